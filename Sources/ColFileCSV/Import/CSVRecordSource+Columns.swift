/// Blocks for the importer: for wide records, blocks larger in bytes and fewer in records than
/// ``CSVRecordSource/blockBytes`` and ``CSVRecordSource/blockRows`` give, so each column of a
/// block has some hundred records to convert (the per-column cost of a block, setup and the
/// stream's calls, is paid per block) while a block's memory stays bounded.
extension CSVRecordSource {
    /// The most fields in a block (each takes 4 bytes besides its text, for its end and quote flag).
    static let blockFields = 2 << 20
    /// The most bytes of text a block of wide records ends at (after the record that passes it).
    static let wideBlockBytes = 16 << 20
    /// Bytes of text a block holds per column, up to ``wideBlockBytes``: about 170 records of
    /// 6-byte fields.
    static let blockBytesPerColumn = 1 << 10

    /// The bytes of text at which a block of records of `columns` fields ends:
    /// ``CSVRecordSource/blockBytes``, more for wide records (up to ``wideBlockBytes``).
    static func blockBytes(columns: Int) -> Int {
        min(wideBlockBytes, max(blockBytes, columns * blockBytesPerColumn))
    }

    /// Reads the next block of at most `maxRows` records (fewer, at least one, past
    /// ``blockFields`` fields) into `block`; see ``nextBlock(into:maxRows:maxBytes:)``.
    ///
    /// A block's memory is its text, at most ``blockBytes(columns:)`` plus one record, and 4
    /// bytes per field, at most ``blockFields`` fields or one record's.
    ///
    /// The arrays the block is read into are reserved at these bounds (the text with a quarter
    /// more for the record that passes its bound) before the first block is read into them, so
    /// they are filled in place, never grown and copied.
    func nextImportBlock(into block: inout CSVBlock, maxRows: Int) throws {
        let columns = names.count
        let rows = min(maxRows, max(1, Self.blockFields / columns))
        let bytes = Self.blockBytes(columns: columns)
        // The scanner adds room for a run of fields before it knows how many it will find.
        reserveBlockCapacity(fields: rows * columns + CSVScanner.runFields, textBytes: bytes + bytes / 4)
        try nextBlock(into: &block, maxRows: rows, maxBytes: bytes)
    }
}
