import ArgumentParser
import Foundation

extension Polarisctl {
    /// `polarisctl exit-codes`: the table of exit codes.
    struct ExitCodes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exit-codes",
            abstract: "Print the table of exit codes.")

        func run() throws {
            for (status, meaning) in ExitStatus.table {
                print("\(String(status.rawValue).padding(toLength: 6, withPad: " ", startingAt: 0))\(meaning)")
            }
            print("64+N  the RPC ended with gRPC status N (65 CANCELLED ... 80 UNAUTHENTICATED)")
        }
    }
}
