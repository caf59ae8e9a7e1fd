/// Where a field lies in a block's text and whether it was quoted, packed in one word: the
/// start in the high 32 bits, the end shifted left by one in the low 32, the quote in bit 0 (a
/// quoted field's range leaves out its quotes, which the block's text keeps).
///
/// A block's text is shorter than 2 GiB: it ends after the record that passes
/// ``CSVRecordSource/blockBytes(columns:)`` (16 MiB at most), and a record is at most
/// ``CSVScanner/maximumRecordBytes``.
enum CSVFieldPlace {
    /// The packed place of the field that starts at `start` of the text (at its opening quote
    /// when quoted) and whose entry in ``CSVScanner/fieldEnds`` is `packedEnd`.
    @inline(__always)
    static func pack(start: Int, packedEnd: UInt32) -> UInt64 {
        // A quoted field's text starts one byte later and ends one byte earlier: the end, in
        // bits 1 and up, less the quote bit.
        let quote = packedEnd & 1
        return UInt64(truncatingIfNeeded: start &+ Int(quote)) << 32 | UInt64(packedEnd &- quote << 1)
    }

    /// The range of text of a packed place.
    static func range(_ place: UInt64) -> Range<Int> {
        Int(truncatingIfNeeded: place >> 32)..<Int(truncatingIfNeeded: (place & 0xFFFF_FFFF) >> 1)
    }

    /// Whether the field of a packed place was quoted.
    static func isQuoted(_ place: UInt64) -> Bool {
        place & 1 != 0
    }
}
