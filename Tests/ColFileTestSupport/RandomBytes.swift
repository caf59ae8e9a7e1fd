import ColFile

extension SplitMix64 {
    /// `count` random bytes, eight from each value of `next()` (least significant first): a
    /// byte-wise `map` is slow in a debug build, and the checksum tests draw tens of MiB.
    package mutating func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        unsafe bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset + 8 <= count {
                unsafe raw.storeBytes(of: next().littleEndian, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            var last = next()
            while offset < count {
                unsafe raw[offset] = UInt8(truncatingIfNeeded: last)
                last >>= 8
                offset += 1
            }
        }
        return bytes
    }
}
