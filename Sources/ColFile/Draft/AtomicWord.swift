import Atomics

/// A 32- or 64-bit word of a draft's mapping as an atomic, for ``AtomicColumn``: its operations
/// on bit patterns serve signed and unsigned values alike (two's complement).
@usableFromInline
enum AtomicWord {
    /// A 64-bit word.
    case wide(UnsafeAtomic<UInt64>)
    /// A 32-bit word.
    case narrow(UnsafeAtomic<UInt32>)

    /// The word, zero-extended.
    @inlinable func load() -> UInt64 {
        switch self {
        case .wide(let word): word.load(ordering: .sequentiallyConsistent)
        case .narrow(let word): UInt64(word.load(ordering: .sequentiallyConsistent))
        }
    }

    /// Stores the low bits of `value`.
    @inlinable func store(_ value: UInt64) {
        switch self {
        case .wide(let word): word.store(value, ordering: .sequentiallyConsistent)
        case .narrow(let word): word.store(UInt32(truncatingIfNeeded: value), ordering: .sequentiallyConsistent)
        }
    }

    /// Adds the low bits of `value`, wrapping; returns the word before.
    @inlinable func loadThenAdd(_ value: UInt64) -> UInt64 {
        switch self {
        case .wide(let word): word.loadThenWrappingIncrement(by: value, ordering: .sequentiallyConsistent)
        case .narrow(let word):
            UInt64(word.loadThenWrappingIncrement(by: UInt32(truncatingIfNeeded: value), ordering: .sequentiallyConsistent))
        }
    }

    /// Stores `desired` if the word holds `expected`; returns whether it did and the word before.
    @inlinable func compareExchange(expected: UInt64, desired: UInt64) -> (Bool, UInt64) {
        switch self {
        case .wide(let word):
            return word.compareExchange(expected: expected, desired: desired, ordering: .sequentiallyConsistent)
        case .narrow(let word):
            let (exchanged, original) = word.compareExchange(expected: UInt32(truncatingIfNeeded: expected),
                                                             desired: UInt32(truncatingIfNeeded: desired),
                                                             ordering: .sequentiallyConsistent)
            return (exchanged, UInt64(original))
        }
    }
}
