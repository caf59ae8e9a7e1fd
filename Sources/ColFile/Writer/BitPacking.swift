/// Packs booleans into bitmaps, least-significant bit first (Specification.md §6.1).
enum BitPacking {
    /// `ceil(bits.count / 8)` bytes holding `bits`; padding bits are 0.
    static func pack(_ bits: some Collection<Bool>) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (index, bit) in bits.enumerated() where bit {
            bytes[index >> 3] |= 1 << UInt8(index & 7)
        }
        return bytes
    }
}
