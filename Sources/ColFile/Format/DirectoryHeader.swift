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
        guard directory.load(UInt32.self, at: 0) == FormatConstants.directoryMagic else {
            throw context.error(.badDirectory, "the directory does not start with its magic 'CDIR'", offset: fileOffset)
        }
        let header = DirectoryHeader(
            columnCount: Int(directory.load(UInt32.self, at: 4)),
            rowCount: directory.load(UInt64.self, at: 8),
            recordLength: Int(directory.load(UInt32.self, at: 16)),
            recordsOffset: Int(directory.load(UInt32.self, at: 20)),
            nameIndexOffset: Int(directory.load(UInt32.self, at: 24)),
            heapOffset: Int(directory.load(UInt32.self, at: 28)),
            heapLength: Int(directory.load(UInt32.self, at: 32)),
            fileMetadataOffset: Int(directory.load(UInt32.self, at: 36)),
            fileMetadataLength: Int(directory.load(UInt32.self, at: 40)))
        guard header.columnCount <= FormatLimits.maxColumns else {
            throw context.error(.badDirectory, "too many columns", offset: fileOffset + 4,
                                expected: "at most \(FormatLimits.maxColumns)", found: header.columnCount)
        }
        guard header.recordLength >= FormatConstants.columnRecordLength else {
            throw context.error(.badDirectory, "column records are too short", offset: fileOffset + 16,
                                expected: "at least \(FormatConstants.columnRecordLength)", found: header.recordLength)
        }
        // Products of u32 values fit in 64 bits; Int is 64 bits on every supported platform.
        try header.checkRegion("column records", header.recordsOffset, header.columnCount * header.recordLength,
                               in: directory, fileOffset: fileOffset, context: context)
        try header.checkRegion("name index", header.nameIndexOffset, header.columnCount * 4,
                               in: directory, fileOffset: fileOffset, context: context)
        try header.checkRegion("heap", header.heapOffset, header.heapLength,
                               in: directory, fileOffset: fileOffset, context: context)
        guard header.fileMetadataLength <= FormatLimits.maxFileMetadataLength else {
            throw context.error(.badMetadata, "file metadata block is too large", offset: fileOffset + 40,
                                expected: "at most \(FormatLimits.maxFileMetadataLength) bytes",
                                found: header.fileMetadataLength)
        }
        guard header.heapContains(offset: header.fileMetadataOffset, length: header.fileMetadataLength) else {
            throw context.error(.badMetadata, "file metadata block lies outside the heap", offset: fileOffset + 36,
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
        guard offset >= FormatConstants.directoryHeaderLength,
              directory.contains(offset: UInt64(offset), length: UInt64(length)) else {
            throw context.error(
                .badDirectory, "the \(name) lie outside the directory", offset: fileOffset,
                expected: "within bytes \(FormatConstants.directoryHeaderLength)..<\(directory.count)",
                found: "offset \(offset) length \(length)")
        }
    }

    /// Appends the 64 bytes of this header.
    func encode(into writer: inout ByteWriter) {
        writer.append(FormatConstants.directoryMagic)
        writer.append(UInt32(columnCount))
        writer.append(rowCount)
        writer.append(UInt32(recordLength))
        writer.append(UInt32(recordsOffset))
        writer.append(UInt32(nameIndexOffset))
        writer.append(UInt32(heapOffset))
        writer.append(UInt32(heapLength))
        writer.append(UInt32(fileMetadataOffset))
        writer.append(UInt32(fileMetadataLength))
        writer.append(bytes: repeatElement(0, count: 20))
    }
}
