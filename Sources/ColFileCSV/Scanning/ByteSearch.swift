/// Finds bytes eight at a time (SWAR: one 64-bit word holds eight bytes), for the scanner's
/// inner loops: a field's end, a quoted field's next quote.
///
/// For a word `w`, `(w - 0x0101…01) & ~w & 0x8080…80` has the high bit set in the lowest byte
/// of `w` that is zero, and possibly in bytes above it (a borrow runs on past a zero byte), but
/// in none below it. So, XOR-ed with a byte repeated eight times, its lowest set bit marks the
/// first byte equal to that byte, and the OR of several such masks marks the first byte equal
/// to any of them (each mask's spurious bits lie above its own true first match).
package enum ByteSearch {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let lineFeeds = broadcast(UInt8(ascii: "\n"))
    private static let carriageReturns = broadcast(UInt8(ascii: "\r"))

    /// `byte` in each of a word's eight bytes.
    package static func broadcast(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// High bits at (at least) the lowest zero byte of `word` and never below it.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highBits }

    /// The little-endian word of the eight bytes at `offset`.
    @inline(__always)
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        unsafe UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped)
            .loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The index of the first delimiter (`delimiters`: it repeated by ``broadcast(_:)``), LF or
    /// CR in `bytes[start..<end]`, or `end` when there is none.
    ///
    /// Audited unsafe scope: the words read lie in `start..<end`, which the caller guarantees is
    /// within `bytes`.
    @inline(__always)
    package static func firstSeparator(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                               delimiter delimiters: UInt64) -> Int {
        var index = start
        while index + 8 <= end {
            let word = unsafe word(bytes, at: index)
            let found = zeroBytes(word ^ delimiters) | zeroBytes(word ^ lineFeeds) | zeroBytes(word ^ carriageReturns)
            if found != 0 { return index + found.trailingZeroBitCount >> 3 }
            index += 8
        }
        let delimiter = UInt8(truncatingIfNeeded: delimiters)
        while index < end {
            let byte = unsafe bytes[index]
            if byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return index }
            index += 1
        }
        return end
    }

    /// The index of the first byte equal to `target` (a byte repeated by ``broadcast(_:)``) in
    /// `bytes[start..<end]`, or `end` when there is none.
    ///
    /// Audited unsafe scope: as ``firstSeparator(in:from:to:delimiter:)``.
    @inline(__always)
    package static func first(_ target: UInt64, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let found = zeroBytes(unsafe word(bytes, at: index) ^ target)
            if found != 0 { return index + found.trailingZeroBitCount >> 3 }
            index += 8
        }
        let byte = UInt8(truncatingIfNeeded: target)
        while index < end, unsafe bytes[index] != byte { index += 1 }
        return index
    }
}
