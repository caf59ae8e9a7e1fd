/// Builds little-endian byte structures (header, trailer, directory) in memory.
struct ByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends `value` little-endian.
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// Appends raw bytes.
    mutating func append(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// Appends zero bytes until the length is a multiple of `alignment`.
    mutating func pad(toMultipleOf alignment: Int) {
        let remainder = bytes.count % alignment
        if remainder != 0 { bytes.append(contentsOf: repeatElement(0, count: alignment - remainder)) }
    }

    /// Overwrites a little-endian value at `offset`, inside what was written.
    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for (index, shift) in stride(from: 0, to: T.bitWidth, by: 8).enumerated() {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }
}
