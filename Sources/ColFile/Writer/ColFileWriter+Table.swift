/// The writer's table of scalar fixed-width columns (``ColumnTable``), for imports of wide tables.
extension ColFileWriter {
    /// Starts a scalar fixed-width column as ``streamColumn(_:of:shape:logicalType:metadata:)``
    /// does, without metadata, held in the writer's ``ColumnTable`` rather than as a stream: no
    /// object, spill or staging buffer of its own while its values are small (an import of a wide
    /// table). The same checks apply, and the file is the same byte for byte.
    package func tableAppender<Element: FixedWidthElement>(
        _ name: String, of type: Element.Type, logicalType: LogicalType = .none
    ) throws -> TableColumnAppender<Element> {
        var appender: TableColumnAppender<Element>?
        try openTableColumns(1, column: { _ in (name, Element.physicalType, logicalType) }) { _, slot in
            appender = slot.appender(of: Element.self)
        }
        return appender!
    }

    /// Starts `count` scalar fixed-width columns, without metadata, one after another: what
    /// `count` calls of ``tableAppender(_:of:logicalType:)`` do, with the same checks and the same
    /// file, but the table's room, its entry of the open streams and the columns' fresh memory
    /// dealt with once for the run (an import of a wide table opens 50,000 columns this way).
    ///
    /// - Parameters:
    ///   - column: The name, physical type and logical type of the `i`th column, asked for in order.
    ///   - opened: Called with `i` and the `i`th column's place in the table once it is started.
    /// - Throws: ``ColFileError/Code/invalidArgument`` for the first column whose declaration
    ///   ``tableAppender(_:of:logicalType:)`` would refuse; the columns before it stay started.
    package func openTableColumns(
        _ count: Int, column: (Int) -> (name: String, physicalType: PhysicalType, logicalType: LogicalType),
        opened: (Int, TableColumnSlot) throws -> Void
    ) throws {
        var index = 0
        while index < count {
            let table = try tableWithRoom()
            let first = table.count
            let run = min(count - index, table.capacity - first)
            for offset in 0..<run {
                let (name, physicalType, logicalType) = column(index + offset)
                try declareTableColumn(name, physicalType: physicalType, logicalType: logicalType)
                let added = table.add(name: name, physicalType: physicalType, logicalType: logicalType)
                try opened(index + offset, TableColumnSlot(table: table, column: added))
            }
            recordTableRun(table, first..<(first + run))
            index += run
        }
        columnsReserved = max(0, columnsReserved - count)
    }

    /// Checks a table column's declaration as ``declare(_:)`` does, building the declaration
    /// only for a logical type to check (a plain column needs only its name's length).
    private func declareTableColumn(_ name: String, physicalType: PhysicalType, logicalType: LogicalType) throws {
        guard case .none = logicalType, (1...FormatLimits.maxNameLength).contains(name.utf8.count) else {
            return try declare(ColumnDeclaration(name: name, physicalType: physicalType, logicalType: logicalType,
                                                  shape: [], metadata: [:]))
        }
        try declare(name: name)
    }

    /// The writer's table when it has room for another column, else a new one.
    private func tableWithRoom() throws -> ColumnTable {
        if let current = table, current.count < current.capacity { return current }
        // Room for every column reserved (an import: one table), else for a thousand more.
        let made = ColumnTable(capacity: max(columnsReserved, 1024), arena: try scratchArena(), writer: self)
        table = made
        settleTableRun()
        tableRun = nil
        return made
    }

    /// Lists `columns` of `table`, just started, among the open streams. Columns of one table
    /// opened one after another share one entry: the last entry when ``tableRun`` says it is this
    /// table's run ending where `columns` start. The run grows in ``tableRun`` alone; its entry is
    /// brought up to date when something else reads or appends to the entries
    /// (``settleTableRun()``), not rewritten for every column.
    private func recordTableRun(_ table: ColumnTable, _ columns: Range<Int>) {
        guard !columns.isEmpty else { return }
        if let run = tableRun, run.slot == openStreams.count - 1, run.columns.upperBound == columns.lowerBound {
            tableRun = (run.slot, run.columns.lowerBound..<columns.upperBound)
        } else {
            settleTableRun()
            openStreams.append(.tableColumns(table, columns))
            tableRun = (openStreams.count - 1, columns)
        }
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
