/// Where everything of a new draft goes (Specification.md §15.2): the header, the claim table,
/// the buffers at the places they will keep in the sealed file, and the description.
///
/// Pure: ``ColFileDraft/create(_:rowCount:columns:rowsPerRange:metadata:)`` writes what it says.
struct DraftPlan {
    /// The header's bytes.
    let header: [UInt8]
    /// The claim table header's bytes (at ``ClaimTableLayout/offset``).
    let claimTableHeader: [UInt8]
    /// The description's bytes (at `header`'s description offset).
    let description: [UInt8]
    /// The draft's size: the end of the description.
    let size: Int

    /// Lays out a draft of `rowCount` rows of `columns`, in ranges of `rowsPerRange` rows.
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` for a column a draft cannot hold, a bad
    ///   declaration, duplicate names, a bad row count or range size.
    init(rowCount: Int, columns: [DraftColumn], rowsPerRange: Int, metadata: [String: String], fileID: [UInt8],
         context: ErrorContext) throws {
        let multiple = DraftConstants.rowsPerRangeMultiple
        guard rowCount >= 0, rowCount <= DraftConstants.maxRows else {
            throw context.error(.invalidArgument, "a draft has 0 to \(DraftConstants.maxRows) rows", found: rowCount)
        }
        guard rowsPerRange >= multiple, rowsPerRange % multiple == 0 else {
            throw context.error(.invalidArgument, "rows per range must be a positive multiple of \(multiple)",
                                found: rowsPerRange)
        }
        guard fileID.count == 16 else {
            throw context.error(.invalidArgument, "a file id must be 16 bytes", found: fileID.count)
        }
        var names = Set<String>()
        for column in columns {
            guard column.physicalType.elementSize != nil || column.physicalType == .bool else {
                throw context.about(column: column.name).error(
                    .invalidArgument, "a draft holds only fixed-width and Bool columns, not \(column.physicalType)")
            }
            try column.declaration.validate(context: context)
            guard names.insert(column.name).inserted else {
                throw context.about(column: column.name).error(.invalidArgument, "a column of this name was already declared")
            }
        }
        try MetadataLimits.check(metadata, maxBlock: FormatLimits.maxFileMetadataLength, context: context)
        let rangeCount = rowCount == 0 ? 0 : (rowCount - 1) / rowsPerRange + 1
        var position = ClaimTableLayout.end(rangeCount: rangeCount)
        func place(_ length: Int) -> BufferDescriptor {
            guard length > 0 else { return BufferDescriptor(offset: 0, storedLength: 0, decodedLength: 0, checksum: 0) }
            let alignment = length >= FormatConstants.largeBufferThreshold ? FormatConstants.largeBufferAlignment
                : FormatConstants.bufferAlignment
            position = (position + alignment - 1) / alignment * alignment
            defer { position += length }
            return BufferDescriptor(offset: UInt64(position), storedLength: UInt64(length), decodedLength: UInt64(length),
                                    checksum: 0)
        }
        let bitmapLength = (rowCount + 7) / 8
        var finished: [FinishedColumn] = []
        for column in columns {
            let validity = column.isNullable ? place(bitmapLength) : .absent
            let valuesLength = column.physicalType.elementSize.map { rowCount * $0 * column.valuesPerRow } ?? bitmapLength
            let values = place(valuesLength)
            finished.append(FinishedColumn(declaration: column.declaration, rowCount: UInt64(rowCount), nullCount: 0,
                                           physicalType: column.physicalType,
                                           buffers: ColumnBuffers(validity: validity, offsets: .absent, values: values),
                                           codec: .none))
        }
        let alignment = FormatConstants.bufferAlignment
        let descriptionOffset = (position + alignment - 1) / alignment * alignment
        // With 0 rows a bitmap is empty, hence absent: such a column reads back as `.zero`.
        description = DirectoryEncoder.encode(columns: finished, rowCount: UInt64(rowCount), metadata: metadata)
        size = descriptionOffset + description.count
        header = DraftHeader(state: .open, fileID: fileID,
                             description: DirectoryLocation(offset: UInt64(descriptionOffset),
                                                            length: UInt64(description.count),
                                                            checksum: CRC32.checksum(description)),
                             rowsPerRange: UInt64(rowsPerRange)).encoded()
        var table = ByteWriter(zeros: ClaimTableLayout.headerLength)
        table.set(UInt64(rangeCount), at: ClaimTableLayout.rangeCount)
        claimTableHeader = table.bytes
    }
}
