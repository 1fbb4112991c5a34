import Bench
import Testing

@Suite struct ScheduleTests {
    @Test func stepHoldsEachLevelForTheStepDuration() throws {
        let s = try Schedule(kind: .step, start: 10, end: 40, step: 10, stepDuration: 2)
        #expect(s.value(at: 0) == 10)
        #expect(s.value(at: 1.99) == 10)
        #expect(s.value(at: 2) == 20)
        #expect(s.value(at: 5) == 30)
        #expect(s.value(at: 6) == 40)
        #expect(s.value(at: 100) == 40)
        #expect(s.rampSeconds == 6)
    }

    @Test func lineMovesContinuouslyAndDown() throws {
        let s = try Schedule(kind: .line, start: 100, end: 50, step: -10, stepDuration: 1)
        #expect(s.value(at: 0.5) == 95)
        #expect(s.value(at: 2.5) == 75)
        #expect(s.value(at: 10) == 50)
    }

    @Test(arguments: [(0.0, 1.0), (5.0, 0.0), (-5.0, 1.0)])
    func rejectsSchedulesThatCannotRun(step: Double, duration: Double) {
        #expect(throws: BenchError.self) { _ = try Schedule(kind: .step, start: 1, end: 10, step: step, stepDuration: duration) }
    }
}

@Suite struct SLOTests {
    @Test func parsesTheDocumentedForms() throws {
        let list = try SLO.parseList("p99<50ms,p999<=200ms, error-rate<1%,rps>5000,max<2s,p50<800us")
        #expect(list.map(\.metric) == [.p99, .p999, .errorRate, .rps, .max, .p50])
        #expect(list.map(\.threshold) == [50_000, 200_000, 0.01, 5000, 2_000_000, 800])
        #expect(list[1].comparison == .lessOrEqual)
        #expect(list[3].comparison == .greater)
    }

    @Test(arguments: ["p98<1ms", "p99<50", "error-rate<1", "rps>x", "p99=5ms", ""])
    func rejectsBadObjectives(text: String) {
        #expect(throws: BenchError.self) { _ = try SLO(parsing: text) }
    }

    @Test func comparisons() throws {
        let slo = try SLO(parsing: "p99<50ms")
        #expect(slo.isMet(by: 49_999))
        #expect(!slo.isMet(by: 50_000))
        #expect(try SLO(parsing: "rps>=10").isMet(by: 10))
    }
}
