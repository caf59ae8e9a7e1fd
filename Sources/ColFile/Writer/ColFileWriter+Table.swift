/// The writer's table of scalar fixed-width columns (``ColumnTable``), for imports of wide tables.
extension ColFileWriter {
    /// Starts a scalar fixed-width column as ``streamColumn(_:of:shape:logicalType:metadata:)``
    /// does, without metadata, held in the writer's ``ColumnTable`` rather than as a stream: no
    /// object, spill or staging buffer of its own while its values are small (an import of a wide
    /// table). The same checks apply, and the file is the same byte for byte.
    package func tableAppender<Element: FixedWidthElement>(
        _ name: String, of type: Element.Type, logicalType: LogicalType = .none
    ) throws -> TableColumnAppender<Element> {
        let declaration = ColumnDeclaration(name: name, physicalType: Element.physicalType, logicalType: logicalType,
                                            shape: [], metadata: [:])
        try declare(declaration)
        let table: ColumnTable
        if let current = self.table, current.count < current.capacity {
            table = current
        } else {
            // Room for every column reserved (an import: one table), else for a thousand more.
            table = ColumnTable(capacity: max(columnsReserved, 1024), arena: try scratchArena(), writer: self)
            self.table = table
        }
        let column = table.add(declaration, openSlot: openStreams.count)
        openStreams.append(.table(table, column))
        columnsReserved = max(0, columnsReserved - 1)
        return TableColumnAppender(table: table, column: column)
    }

    /// Copies a completed table column's values into the file and records it, as
    /// ``completeStream(_:)`` does for a stream (the same bytes).
    func completeTableColumn(_ table: ColumnTable, _ column: Int) throws {
        guard let completed = try table.complete(column) else { return }
        openStreams[completed.openSlot] = nil
        try checkRowCount(completed.rows, column: completed.declaration.name)
        var sampleBytes: [UInt8] = []
        let settings = try compressionSettings(for: completed.declaration.name) {
            sampleBytes = try table.prefix(column, limit: Compression.sampleLength)
            return unsafe sampleBytes.withUnsafeBytes { unsafe ByteView($0) }
        }
        withExtendedLifetime(sampleBytes) {}
        var buffers = ColumnBuffers.absent
        if let validity = completed.validity {
            buffers.validity = try appendSpill(validity, settings: settings)
        }
        if let spill = completed.spill {
            buffers.values = try appendSpill(spill, settings: settings)
        } else if settings != nil {
            let bytes = try table.prefix(column)
            buffers.values = try unsafe bytes.withUnsafeBytes { try unsafe writeBuffer($0, settings: settings) }
        } else if completed.length > 0 {
            try output.pad(toMultipleOf: alignment(forLength: completed.length))
            let offset = output.position
            output.beginChecksum()
            try unsafe table.forEachSegment(column) { try unsafe output.append($0) }
            buffers.values = BufferDescriptor(offset: offset, storedLength: UInt64(completed.length),
                                              decodedLength: UInt64(completed.length), checksum: output.finishChecksum())
        }
        finished.append(FinishedColumn(declaration: completed.declaration, rowCount: UInt64(completed.rows),
                                       nullCount: UInt64(completed.nulls),
                                       physicalType: completed.declaration.physicalType, buffers: buffers,
                                       codec: settings?.codec ?? .none, dictionary: nil))
    }
}
