/// A draft's bytes that passed every check of Specification.md §15.6, with its columns.
///
/// Pure, like ``FileLayout``: open maps the draft and builds one; tests and the fuzzer feed it
/// bytes from memory.
///
/// A class: it holds its description's ``FileLayout``, which is not copyable, and is shared by
/// reference by the draft and the seal that read it.
final class DraftLayout: Sendable {
    /// One column of the draft, where its buffers are.
    struct Column: Sendable {
        /// The column's position in the description.
        var index: Int
        /// Its declaration.
        var declaration: DraftColumn
        /// Its validity bitmap, for a column whose rows start null.
        var validity: BufferDescriptor?
        /// Its values (a bitmap for Bool).
        var values: BufferDescriptor
    }

    /// The draft's header.
    let header: DraftHeader
    /// The description, checked as a directory (Specification.md §5).
    let description: FileLayout
    /// Every column, in description order.
    let columns: [Column]
    /// The number of claimable ranges K = ⌈R / S⌉.
    let rangeCount: Int
    /// The draft, for errors.
    let context: ErrorContext

    /// The rows of every column, R.
    var rowCount: Int { Int(description.directoryHeader.rowCount) }
    /// Where the draft ends: the end of its description.
    var endOffset: Int { Int(header.description.offset + header.description.length) }

    /// Checks `file`, the whole draft, in the order of Specification.md §15.6.
    ///
    /// - Complexity: O(columns + description length); reads no column data.
    init(validating file: ByteView, context: ErrorContext) throws {
        guard 1.littleEndian == 1 else {
            throw context.error(.unsupportedHost, "colfile drafts are little-endian and this host is big-endian")
        }
        let header = try DraftHeader.parse(file, context: context)
        let location = header.description
        let (end, overflow) = location.offset.addingReportingOverflow(location.length)
        guard !overflow, end <= UInt64(file.count) else {
            throw context.error(.truncated, "draft is truncated",
                                expected: overflow ? "an impossible size" : "at least \(end) bytes",
                                found: "\(file.count) bytes")
        }
        let directory = file.slice(offset: Int(location.offset), length: Int(location.length))
        let actualChecksum = directory.crc32()
        guard actualChecksum == location.checksum else {
            throw context.error(.directoryChecksumMismatch, "description checksum mismatch", offset: location.offset,
                                expected: hex(location.checksum), found: hex(actualChecksum))
        }
        let fileHeader = FileHeader(majorVersion: FormatConstants.majorVersion, minorVersion: FormatConstants.minorVersion,
                                    requiredFlags: 0, optionalFlags: 0, fileID: header.fileID, directory: location)
        let description = try FileLayout(file: file.slice(offset: 0, length: Int(end)), header: fileHeader,
                                         directory: directory, context: context)
        // Every name and the name index, then each column's record (Specification.md §15.6).
        try description.checkNames()
        var columns: [Column] = []
        var firstBuffer = location.offset
        for index in 0..<description.columnCount {
            let column = try DraftLayout.column(index, of: description, context: context)
            if let validity = column.validity, validity.storedLength > 0 { firstBuffer = min(firstBuffer, validity.offset) }
            if column.values.storedLength > 0 { firstBuffer = min(firstBuffer, column.values.offset) }
            columns.append(column)
        }
        let rows = description.directoryHeader.rowCount
        guard rows <= UInt64(DraftConstants.maxRows) else {
            throw context.error(.badDraftLayout, "a draft has at most \(DraftConstants.maxRows) rows",
                                offset: location.offset + UInt64(DirectoryHeaderLayout.rowCount.offset), found: rows)
        }
        let ranges = rows / header.rowsPerRange + (rows % header.rowsPerRange == 0 ? 0 : 1)
        let claimTable = ClaimTableLayout.offset
        let recordedRanges = file.load(ClaimTableLayout.rangeCount, at: claimTable)
        guard recordedRanges == ranges else {
            throw context.error(.badDraftLayout, "the claim table's range count disagrees with the rows and rows per range",
                                offset: UInt64(ClaimTableLayout.rangeCount.at(claimTable)), expected: ranges,
                                found: recordedRanges)
        }
        // Each range needs 16 bytes before the first buffer, so `ranges` is at most the file's size.
        let (tableBytes, tableOverflow) = ranges.multipliedReportingOverflow(by: UInt64(ClaimTableLayout.entryLength))
        guard !tableOverflow, UInt64(ClaimTableLayout.end(rangeCount: 0)) + tableBytes <= firstBuffer else {
            throw context.error(.badDraftLayout, "the claim table overlaps the first buffer or the description",
                                offset: UInt64(claimTable), expected: "the table to end by offset \(firstBuffer)",
                                found: "\(ranges) ranges")
        }
        self.header = header
        self.description = description
        self.columns = columns
        self.rangeCount = Int(ranges)
        self.context = context
    }

    /// Column `index` of `description`, checked against the draft rules of Specification.md §15.2.
    private static func column(_ index: Int, of description: borrowing FileLayout, context: ErrorContext) throws -> Column {
        // The record's own checks (§9, "On a column's first use") before any field of it is read.
        if let unreadable = try description.checkColumn(index) { throw unreadable }
        let record = description.record(at: index)
        let name = description.name(at: index)
        let context = context.about(column: name)
        let recordOffset = description.header.directory.offset
            + UInt64(description.directoryHeader.recordsOffset + index * description.directoryHeader.recordLength)
        guard let type = PhysicalType(rawValue: record.physicalTypeCode), type.elementSize != nil || type == .bool else {
            throw context.error(.badDraftLayout, "a draft holds only fixed-width and Bool columns",
                                offset: UInt64(ColumnRecordLayout.physicalType.at(recordOffset)),
                                expected: "a physical type from 1 to 12", found: record.physicalTypeCode)
        }
        guard record.codec == 0 else {
            throw context.error(.badDraftLayout, "a draft's columns are not compressed",
                                offset: UInt64(ColumnRecordLayout.codec.at(recordOffset)), expected: 0, found: record.codec)
        }
        let buffers = [record.buffers[BufferRole.validity.rawValue], record.buffers[BufferRole.values.rawValue]]
        guard record.nullCount == 0, buffers.allSatisfy({ $0.checksum == 0 }) else {
            throw context.error(.badDraftLayout, "a draft's null counts and buffer checksums are 0 until it is sealed",
                                offset: UInt64(ColumnRecordLayout.nullCount.at(recordOffset)))
        }
        var logical = LogicalType.fromCode(record.logicalTypeCode)
        if case .timestamp = logical {
            let zone = record.timeZoneLength == 0 ? nil
                : description.heapBytes(offset: record.timeZoneOffset, length: Int(record.timeZoneLength)).utf8String()
            logical = .timestamp(unit: TimeUnit(rawValue: record.timeUnitCode) ?? .seconds, timeZone: zone)
        }
        let shapeBytes = record.rank == 0 ? nil
            : description.heapBytes(offset: record.shapeOffset, length: Int(record.rank) * 8)
        let shape = (0..<Int(record.rank)).map { Int(shapeBytes!.load(UInt64.self, at: $0 * 8)) }
        let declaration = DraftColumn(name, type, shape: shape, logicalType: logical,
                                      initialRows: record.hasValidity ? .null : .zero,
                                      metadata: (try? description.columnMetadata(record)) ?? [:])
        return Column(index: index, declaration: declaration,
                      validity: record.hasValidity ? record.buffers[BufferRole.validity.rawValue] : nil,
                      values: record.buffers[BufferRole.values.rawValue])
    }

    /// The column named `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``.
    func column(named name: String) throws -> Column {
        guard let index = try description.columnIndex(named: name) else {
            throw context.about(column: name).error(.noSuchColumn, "no such column in the draft")
        }
        return columns[index]
    }
}
