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
            settleTableRun()
            tableRun = nil
        }
        let column = table.add(declaration)
        // Columns of one table opened one after another share one entry: the last entry when
        // ``tableRun`` says it is this table's run ending at `column`. The run grows in
        // ``tableRun`` alone; its entry is brought up to date when something else reads or
        // appends to the entries (``settleTableRun()``), not rewritten for every column.
        if let run = tableRun, run.slot == openStreams.count - 1, run.columns.upperBound == column {
            tableRun = (run.slot, run.columns.lowerBound..<(column + 1))
        } else {
            settleTableRun()
            openStreams.append(.tableColumns(table, column..<(column + 1)))
            tableRun = (openStreams.count - 1, column..<(column + 1))
        }
        columnsReserved = max(0, columnsReserved - 1)
        return TableColumnAppender(table: table, column: column)
    }

    /// Writes the columns of the table run (``tableRun``) into its entry of ``openStreams``,
    /// which ``tableAppender(_:of:logicalType:)`` leaves behind while the run grows; called
    /// before the entries are read or another is appended.
    func settleTableRun() {
        guard let run = tableRun, case .tableColumns(let table, let columns)? = openStreams[run.slot],
              columns != run.columns else { return }
        openStreams[run.slot] = .tableColumns(table, run.columns)
    }

    /// Completes the columns of `table` not completed yet, in order.
    func completeTableColumns(_ table: ColumnTable, _ columns: Range<Int>) throws {
        // Without compression nothing is resolved per column.
        let plain = if compression.isEmpty, case .none = defaultCompression { true } else { false }
        for column in columns { try completeTableColumn(table, column, plain: plain) }
    }

    /// Copies a completed table column's values into the file and records it, as
    /// ``completeStream(_:)`` does for a stream (the same bytes); `plain` when no column is
    /// compressed.
    func completeTableColumn(_ table: ColumnTable, _ column: Int, plain: Bool = false) throws {
        guard let completed = try table.complete(column) else { return }
        try checkRowCount(completed.rows, column: completed.name)
        var sampleBytes: [UInt8] = []
        let settings = plain ? nil : try compressionSettings(for: completed.name) {
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
            let (offset, checksum) = try unsafe output.appendBuffer(alignment: alignment(forLength: completed.length)) {
                try unsafe table.forEachSegment(column, $0)
            }
            buffers.values = BufferDescriptor(offset: offset, storedLength: UInt64(completed.length),
                                              decodedLength: UInt64(completed.length), checksum: checksum)
        }
        // The record's fields stay in the table (no `FinishedColumn` a column of a wide import).
        table.setBuffers(column, validity: buffers.validity, values: buffers.values, codec: settings?.codec ?? .none)
        finished.appendTableColumn(table, column)
    }
}
