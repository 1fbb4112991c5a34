import Bench
import Foundation

/// The progress line `bench` redraws on stderr while it runs (only on a terminal).
final class BenchLiveView: @unchecked Sendable {
    private let runner: BenchRunner
    private let task: Task<Void, Never>

    init(runner: BenchRunner, started: Date) {
        self.runner = runner
        task = Task.detached {
            while !Task.isCancelled {
                let elapsed = Date().timeIntervalSince(started)
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.line(runner.progress, elapsed: elapsed)).utf8))
                try? await Task.sleep(nanoseconds: 250_000_000)
            }
        }
    }

    /// Stops redrawing and clears the line.
    func finish() async {
        task.cancel()
        _ = await task.value
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func line(_ progress: BenchProgress?, elapsed: Double) -> String {
        guard let progress else { return String(format: "connecting… %.1fs", elapsed) }
        if progress.warmupLeft > 0 { return String(format: "warming up… %.1fs left", progress.warmupLeft) }
        let width = 24
        let fraction = progress.fraction ?? 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let remaining = progress.remaining.map { String(format: " ~%.0fs left", $0) } ?? ""
        return String(format: "%@ %3.0f%% %.1fs%@  %.0f req/s  p99 %@  errors %d", bar, fraction * 100, elapsed, remaining,
                      progress.rps, BenchReport.duration(Double(progress.p99)), progress.failed)
    }
}
