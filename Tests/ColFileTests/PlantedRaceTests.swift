import Foundation
import Testing

/// A deliberate data race, run only with `COLFILE_PLANTED_RACE=1`: `.ci/run` runs it under
/// ThreadSanitizer and requires that step to fail, so a race in the real tests cannot pass CI
/// unnoticed.
@Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_PLANTED_RACE"] == "1"))
func plantedDataRace() {
    let counter = UnsynchronizedCounter()
    let done = DispatchGroup()
    for _ in 0..<2 {
        done.enter()
        Thread.detachNewThread {
            for _ in 0..<10_000 { counter.increment() }
            done.leave()
        }
    }
    done.wait()
    #expect(counter.value > 0)
}

/// A counter with no synchronization at all.
private final class UnsynchronizedCounter: @unchecked Sendable {
    private(set) var value = 0

    func increment() { value += 1 }
}
