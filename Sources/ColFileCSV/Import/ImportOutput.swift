import ColFile

/// Where an import's writing pass puts the rows: one colfile file, or the shards of a dataset
/// (``CSVImporter/Settings/shardRows``), each written by its own ``ColFileWriter`` and published
/// together as one dataset version at the end (Specification.md §14.5).
final class ImportOutput {
    private let settings: CSVImporter.Settings
    private let names: [String]
    private let types: [CSVColumnType]
    private let transaction: DatasetTransaction?
    private var writer: ColFileWriter
    /// The shards finished so far (sharded output only).
    private(set) var shards = 0

    /// Starts the output of a pass writing columns `names` as `types`.
    ///
    /// - Throws: ``ColFile/ColFileError`` when the file or the dataset cannot be started
    ///   (``ColFile/ColFileError/Code/versionConflict`` when a dataset exists and the import does
    ///   not append to it).
    init(settings: CSVImporter.Settings, names: [String], types: [CSVColumnType]) throws {
        self.settings = settings
        self.names = names
        self.types = types
        if settings.shardRows != nil {
            let transaction = settings.appendsToDataset ? try DatasetTransaction(updating: settings.output)
                : try DatasetTransaction(creating: settings.output)
            self.transaction = transaction
            writer = try transaction.shardWriter()
        } else {
            transaction = nil
            writer = try ColFileWriter(path: settings.output)
        }
    }

    /// The current writer's stream for each column, opened now.
    ///
    /// - Throws: ``ColFile/ColFileError`` when a stream cannot be opened (its scratch file, made
    ///   with the first stream, cannot be created).
    func openSinks() throws -> [ColumnSink?] {
        switch settings.compression {
        case .none: break
        case .all(let compression): writer.defaultCompression = compression
        case .columns(let choices): writer.compression = choices
        }
        // An inferred String column is dictionary-encoded when that pays (`--dictionary`), decided
        // per shard (a dataset's schema does not say the encoding, §14.3); a --schema type is exact.
        // Every stream spills into the writer's one scratch file, whatever the column count.
        // The header's names were checked distinct when it was read (CSVRecordSource).
        writer.reserveColumns(names.count, namesAreDistinct: true)
        let noSchema = settings.schema.isEmpty  // no lookup per column of a wide table
        var sinks: [ColumnSink?] = []
        sinks.reserveCapacity(names.count)
        var start = 0
        while start < names.count {
            // A run of fixed-width columns goes into the writer's table in one call.
            var end = start
            while end < names.count, ColumnSink.tableColumnTypes(types[end]) != nil { end += 1 }
            if end > start {
                try writer.openTableColumns(end - start, column: { offset in
                    let (physicalType, logicalType) = ColumnSink.tableColumnTypes(types[start + offset])!
                    return (names[start + offset], physicalType, logicalType)
                }, opened: { offset, slot in
                    sinks.append(ColumnSink(slot, type: types[start + offset]))
                })
                start = end
                continue
            }
            let name = names[start]
            sinks.append(try ColumnSink(writer: writer, name: name, type: types[start],
                                        dictionary: noSchema || settings.schema[name] == nil ? settings.dictionary : .never))
            start += 1
        }
        return sinks
    }

    /// Finishes the current shard and starts the next.
    ///
    /// - Returns: The new shard's streams.
    func nextShard() throws -> [ColumnSink?] {
        guard let transaction else { preconditionFailure("only a sharded import has shards") }
        try writer.finish()
        try transaction.add(finished: writer)
        shards += 1
        writer = try transaction.shardWriter()
        return try openSinks()
    }

    /// Finishes the file, or the last shard and publishes the dataset version.
    ///
    /// - Returns: The dataset version published, for a sharded import.
    func finish() throws -> ColFileDataset? {
        try writer.finish()
        guard let transaction else { return nil }
        try transaction.add(finished: writer)
        shards += 1
        return try transaction.commit()
    }

    /// Gives up: the file is not published, or the shards written so far are removed.
    func abandon() {
        writer.abandon()
        transaction?.abandon()
    }
}
