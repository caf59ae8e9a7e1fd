/// The 64-byte header of the directory (Specification.md §5.1).
struct DirectoryHeader: Sendable, Equatable {
    /// Number of columns, C.
    var columnCount: Int
    /// Rows in every column, R.
    var rowCount: UInt64
    /// Length of each column record, RL.
    var recordLength: Int
    /// Where the records start, relative to the directory.
    var recordsOffset: Int
    /// Where the name index starts, relative to the directory.
    var nameIndexOffset: Int
    /// Where the heap starts, relative to the directory.
    var heapOffset: Int
    /// Length of the heap.
    var heapLength: Int
    /// Where the file metadata block starts, relative to the heap.
    var fileMetadataOffset: Int
    /// Length of the file metadata block; 0 = none.
    var fileMetadataLength: Int

    /// Parses the directory header and checks that its regions lie in the directory: spec §9 step 12.
    static func parse(_ directory: ByteView, fileOffset: UInt64, context: ErrorContext) throws -> DirectoryHeader {
        typealias Layout = DirectoryHeaderLayout
        // The caller checked that the directory holds its header (§9 step 7). Known from here to
        // the compiler, which then drops the range check of each load below, at constant offsets
        // inside it, as a column record's parse does (BENCHMARKS.md, "Attach: the user-space work
        // at open").
        precondition(directory.count >= Layout.length, "a directory holds at least its header")
        guard directory.load(Layout.magic) == FormatConstants.directoryMagic else {
            throw context.error(.badDirectory, "the directory does not start with its magic 'CDIR'", offset: fileOffset)
        }
        let header = DirectoryHeader(
            columnCount: Int(directory.load(Layout.columnCount)),
            rowCount: directory.load(Layout.rowCount),
            recordLength: Int(directory.load(Layout.recordLength)),
            recordsOffset: Int(directory.load(Layout.recordsOffset)),
            nameIndexOffset: Int(directory.load(Layout.nameIndexOffset)),
            heapOffset: Int(directory.load(Layout.heapOffset)),
            heapLength: Int(directory.load(Layout.heapLength)),
            fileMetadataOffset: Int(directory.load(Layout.fileMetadataOffset)),
            fileMetadataLength: Int(directory.load(Layout.fileMetadataLength)))
        guard header.columnCount <= FormatLimits.maxColumns else {
            throw context.error(.badDirectory, "too many columns", offset: Layout.columnCount.at(fileOffset),
                                expected: "at most \(FormatLimits.maxColumns)", found: header.columnCount)
        }
        guard header.rowCount <= FormatLimits.maxRows else {
            throw context.error(.badDirectory, "too many rows", offset: Layout.rowCount.at(fileOffset),
                                expected: "at most \(FormatLimits.maxRows)", found: header.rowCount)
        }
        guard header.recordLength >= ColumnRecordLayout.length else {
            throw context.error(.badDirectory, "column records are too short", offset: Layout.recordLength.at(fileOffset),
                                expected: "at least \(ColumnRecordLayout.length)", found: header.recordLength)
        }
        // Products of u32 values fit in 64 bits; Int is 64 bits on every supported platform.
        try header.checkRegion("column records", header.recordsOffset, header.columnCount * header.recordLength,
                               in: directory, fileOffset: fileOffset, context: context)
        try header.checkRegion("name index", header.nameIndexOffset, header.columnCount * 4,
                               in: directory, fileOffset: fileOffset, context: context)
        try header.checkRegion("heap", header.heapOffset, header.heapLength,
                               in: directory, fileOffset: fileOffset, context: context)
        try header.checkRegionsApart(fileOffset: fileOffset, context: context)
        guard header.fileMetadataLength <= FormatLimits.maxFileMetadataLength else {
            throw context.error(.badMetadata, "file metadata block is too large",
                                offset: Layout.fileMetadataLength.at(fileOffset),
                                expected: "at most \(FormatLimits.maxFileMetadataLength) bytes",
                                found: header.fileMetadataLength)
        }
        guard header.heapContains(offset: header.fileMetadataOffset, length: header.fileMetadataLength) else {
            throw context.error(.badMetadata, "file metadata block lies outside the heap",
                                offset: Layout.fileMetadataOffset.at(fileOffset),
                                expected: "within \(header.heapLength) bytes",
                                found: "offset \(header.fileMetadataOffset) length \(header.fileMetadataLength)")
        }
        return header
    }

    /// Whether `[offset, offset + length)` of the heap is inside it.
    func heapContains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= heapLength && length <= heapLength - offset
    }

    private func checkRegion(_ name: String, _ offset: Int, _ length: Int, in directory: ByteView,
                             fileOffset: UInt64, context: ErrorContext) throws {
        guard offset >= DirectoryHeaderLayout.length,
              directory.contains(offset: UInt64(offset), length: UInt64(length)) else {
            throw context.error(
                .badDirectory, "the \(name) lie outside the directory", offset: fileOffset,
                expected: "within bytes \(DirectoryHeaderLayout.length)..<\(directory.count)",
                found: "offset \(offset) length \(length)")
        }
    }

    /// Checks that no two of the records, the name index and the heap overlap (§5.1); regions of
    /// 0 bytes overlap nothing.
    private func checkRegionsApart(fileOffset: UInt64, context: ErrorContext) throws {
        typealias Region = (name: String, start: Int, length: Int)
        func checkApart(_ first: Region, _ second: Region) throws {
            guard first.length == 0 || second.length == 0 || first.start + first.length <= second.start
                || second.start + second.length <= first.start else {
                throw context.error(.badDirectory, "the \(first.name) and the \(second.name) overlap", offset: fileOffset,
                                    expected: "apart",
                                    found: "bytes \(first.start)..<\(first.start + first.length) and \(second.start)..<\(second.start + second.length)")
            }
        }
        // Three calls rather than a loop over arrays of regions: no allocation at every open.
        let records: Region = ("column records", recordsOffset, columnCount * recordLength)
        let nameIndex: Region = ("name index", nameIndexOffset, columnCount * 4)
        let heap: Region = ("heap", heapOffset, heapLength)
        try checkApart(records, nameIndex)
        try checkApart(records, heap)
        try checkApart(nameIndex, heap)
    }

    /// The 64 bytes of this header.
    func encoded() -> [UInt8] {
        typealias Layout = DirectoryHeaderLayout
        var writer = ByteWriter(zeros: Layout.length)
        writer.set(FormatConstants.directoryMagic, at: Layout.magic)
        writer.set(UInt32(columnCount), at: Layout.columnCount)
        writer.set(rowCount, at: Layout.rowCount)
        writer.set(UInt32(recordLength), at: Layout.recordLength)
        writer.set(UInt32(recordsOffset), at: Layout.recordsOffset)
        writer.set(UInt32(nameIndexOffset), at: Layout.nameIndexOffset)
        writer.set(UInt32(heapOffset), at: Layout.heapOffset)
        writer.set(UInt32(heapLength), at: Layout.heapLength)
        writer.set(UInt32(fileMetadataOffset), at: Layout.fileMetadataOffset)
        writer.set(UInt32(fileMetadataLength), at: Layout.fileMetadataLength)
        return writer.bytes
    }
}
