/// Finds a repeated name among a header's names as they are read, for the header check of
/// ``CSVRecordSource``: names equal as `String`s (Unicode canonical equivalence), as a
/// `[String: Int]` would find them.
///
/// While every name is ASCII (byte equality is then `String` equality), an open-addressing
/// table of the names' indices keyed by a hash of their bytes (FNV-1a): at 50,000 columns a
/// `[String: Int]` hashed each name with the standard library's seeded SipHash and probed a
/// table of `String` keys, several hundred instructions a name; this is a few dozen for a short
/// one. From the first name that is not ASCII on, a `[String: Int]` of every name.
package struct DistinctNames {
    /// Each slot: 0 for empty, else the name's index + 1.
    private var slots: [Int32]
    /// The hash of the name in each slot (compared before the bytes).
    private var hashes: [UInt32]
    private let mask: Int
    /// Every name's index once a name was not ASCII.
    private var byName: [String: Int]?

    /// A table for up to `capacity` names.
    package init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Notes `name`, the name at `index` (the names before it are `names[0..<index]`); returns
    /// the index of an earlier equal name instead, noting nothing, if there is one.
    ///
    /// - Precondition: `index` is `names.count`, and fewer than the `capacity` given to `init`.
    package mutating func insert(_ name: String, at index: Int, of names: [String]) -> Int? {
        precondition(index == names.count && index < (mask + 1) / 2, "names are noted in order, within the capacity")
        if byName == nil, let hash = Self.asciiHash(name) {
            var slot = Int(hash) & mask
            while slots[slot] != 0 {
                let other = Int(slots[slot]) - 1
                if hashes[slot] == hash, names[other] == name { return other }
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(index + 1)
            hashes[slot] = hash
            return nil
        }
        if byName == nil { byName = Dictionary(uniqueKeysWithValues: zip(names, names.indices)) }
        if let earlier = byName![name] { return earlier }
        byName![name] = index
        return nil
    }

    /// FNV-1a of `name`'s UTF-8 bytes folded to 32 bits, or nil when one of them is not ASCII.
    /// The bytes are read in place (iterating `utf8` of a small string took ~250 instructions a name).
    static func asciiHash(_ name: String) -> UInt32? {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var bits: UInt8 = 0
            for unsafe byte in unsafe bytes {
                bits |= byte
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            guard bits < 0x80 else { return nil }
            return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        }
    }
}
