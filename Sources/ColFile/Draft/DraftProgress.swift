/// How far the ranges of a draft's claim table are (Specification.md §15.3).
public struct DraftProgress: Sendable, Equatable, CustomStringConvertible {
    /// Ranges never claimed.
    public var free = 0
    /// Ranges claimed by a claimer that is alive and holds them.
    public var working = 0
    /// Ranges claimed, then left unfinished: their claimer's process died or released them.
    /// The next claims take them.
    public var abandoned = 0
    /// Ranges done.
    public var done = 0
    /// Ranges claimed more than once (taken over after an abandoned claim).
    public var resumed = 0

    /// All ranges.
    public var total: Int { free + working + abandoned + done }

    /// `done 3, working 1, abandoned 0, free 4 of 8 ranges (resumed 0)`.
    public var description: String {
        "done \(done), working \(working), abandoned \(abandoned), free \(free) of \(total) ranges (resumed \(resumed))"
    }
}

extension ColFileDraft {
    /// The state of every range, with liveness asked of the kernel (`F_OFD_GETLK` on each claimed
    /// range's lock).
    ///
    /// - Complexity: O(ranges), one system call per claimed, unfinished range.
    public func progress() -> DraftProgress {
        let table = claimTable
        var progress = DraftProgress()
        for index in 0..<table.rangeCount {
            if table.attempts(index) > 1 { progress.resumed += 1 }
            switch table.state(index) {
            case .free: progress.free += 1
            case .done: progress.done += 1
            case .claimed:
                let held = (try? Syscalls.isLocked(mapping.fd, against: .exclusive,
                                                   start: DraftConstants.rangeLockBase + Int64(index), length: 1)) ?? true
                if held { progress.working += 1 } else { progress.abandoned += 1 }
            }
        }
        return progress
    }

    /// Whether a seal of this draft began and stopped before it replaced the header (the draft's
    /// data is intact; sealing again starts over).
    public var hasInterruptedSeal: Bool { layout.header.state == .sealing }

    /// How many times range `index` was claimed (0: never).
    ///
    /// - Precondition: `index` is in `0 ..< rangeCount`.
    public func attempts(ofRange index: Int) -> Int { claimTable.attempts(index) }
}
