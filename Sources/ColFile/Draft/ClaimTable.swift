/// The claim table of an open draft (Specification.md §15.3): the counter of ranges handed out
/// and each range's state, attempts and last owner.
///
/// Its words change only under the draft's locks (§15.4), which the kernel keeps across
/// processes; they are read and written atomically all the same, with acquire and release
/// ordering, so that threads of one process see each other's writes in order and
/// ThreadSanitizer sees no race (it does not know `fcntl` locks).
struct ClaimTable: Sendable {
    private let words: MutableByteView
    /// The number of ranges.
    let rangeCount: Int

    /// The claim table of `rangeCount` ranges at the start of `words`.
    init(_ words: MutableByteView, rangeCount: Int) {
        precondition(words.count >= ClaimTableLayout.end(rangeCount: rangeCount) - ClaimTableLayout.offset,
                     "claim table outside its bytes")
        self.words = words
        self.rangeCount = rangeCount
    }

    /// The next range never handed out.
    var nextRange: Int {
        get { Int(clamping: words.withAtomic(UInt64.self, element: 0) { $0.load(ordering: .acquiring) }) }
        nonmutating set { words.withAtomic(UInt64.self, element: 0) { $0.store(UInt64(newValue), ordering: .releasing) } }
    }

    private func word(_ range: Int, _ field: Field<UInt32>) -> Int {
        precondition(range >= 0 && range < rangeCount, "range index out of range")
        return (ClaimTableLayout.headerLength + range * ClaimTableLayout.entryLength + field.offset) / 4
    }

    /// Range `index`'s state (an unknown word reads as claimed: only its lock can say more).
    func state(_ index: Int) -> RangeState {
        let code = words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryState)) {
            $0.load(ordering: .acquiring)
        }
        return RangeState(rawValue: code) ?? .claimed
    }

    /// Records range `index`'s state.
    func setState(_ index: Int, _ state: RangeState) {
        words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryState)) {
            $0.store(state.rawValue, ordering: .releasing)
        }
    }

    /// How many times range `index` was claimed.
    func attempts(_ index: Int) -> Int {
        Int(words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryAttempts)) {
            $0.load(ordering: .acquiring)
        })
    }

    /// The process id of range `index`'s last claimer (0: never claimed).
    func owner(_ index: Int) -> Int32 {
        Int32(bitPattern: words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryOwner)) {
            $0.load(ordering: .acquiring)
        })
    }

    /// Marks range `index` claimed by process `pid`; returns its attempt number (1 for the first).
    func claim(_ index: Int, by pid: Int32) -> Int {
        let attempt = words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryAttempts)) {
            $0.loadThenWrappingIncrement(ordering: .acquiringAndReleasing)
        } &+ 1
        words.withAtomic(UInt32.self, element: word(index, ClaimTableLayout.entryOwner)) {
            $0.store(UInt32(bitPattern: pid), ordering: .releasing)
        }
        setState(index, .claimed)
        return Int(attempt)
    }
}
