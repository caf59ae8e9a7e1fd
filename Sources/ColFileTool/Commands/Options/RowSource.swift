import ColFile
import SystemPackage

/// What `head`, `export` and `stats` read: one colfile file, or the newest version of a dataset (a
/// folder, Specification.md §14), whose shards are read in turn as one table.
struct RowSource {
    /// The chosen columns' names, in the order given.
    let names: [String]
    /// The chosen columns' types as people read them (a dataset's schema types: a shard may store
    /// a column dictionary-encoded, §14.3).
    let typeNames: [String]
    /// Whether each chosen column holds numbers (right-aligned in tables).
    let numeric: [Bool]
    /// The number of rows.
    let rowCount: Int
    /// The file or dataset, and the chosen columns.
    let origin: Origin

    /// A file and its chosen columns, or a dataset and its chosen schema columns.
    enum Origin {
        /// One colfile file.
        case file(ColFileReader, [ColumnInfo])
        /// A dataset's version.
        case dataset(ColFileDataset, [DatasetColumn])
    }

    /// One reader's part of a range of rows: the chosen columns of a file or shard and its rows.
    struct Part {
        /// The file or shard.
        let reader: ColFileReader
        /// The chosen columns, as that file stores them.
        let columns: [ColumnInfo]
        /// The rows, counted in that file.
        let rows: Range<Int>
    }

    /// Opens `path`, a colfile file or a dataset's folder (its version `version`, or its newest),
    /// and picks the columns `list` names (every column when nil; ``ColumnSelection``).
    ///
    /// - Throws: As ``ColFileReader/open(_:options:)`` or ``ColFileDataset/open(_:version:options:)``;
    ///   ``ColFileError/Code/noSuchColumn`` for a name the file or the dataset's schema lacks; a
    ///   usage error for a `version` of a file.
    static func open(_ path: String, columns list: String?, version: Int? = nil) throws -> RowSource {
        guard isFolder(path) else {
            if version != nil { throw ToolFailure.usage("--version reads a version of a dataset's folder, not of a file") }
            let (reader, columns) = try ColumnSelection.open(path, columns: list)
            return RowSource(names: columns.map(\.name), typeNames: columns.map(ColumnFigures.typeName),
                             numeric: columns.map { isNumeric($0.valueType, $0.logicalType) },
                             rowCount: reader.rowCount, origin: .file(reader, columns))
        }
        let dataset = try ColFileDataset.open(path, version: version)
        var chosen = dataset.schema
        if let list {
            let names = try ColumnSelection.names(list)
            chosen = try names.map { name in
                guard let column = dataset.schema.first(where: { $0.name == name }) else {
                    throw ColFileError(.noSuchColumn, path: path, column: name, message: "no such column in the dataset")
                }
                return column
            }
        }
        return RowSource(names: chosen.map(\.name), typeNames: chosen.map(ColumnFigures.typeName),
                         numeric: chosen.map { isNumeric($0.physicalType, $0.logicalType) },
                         rowCount: dataset.rowCount, origin: .dataset(dataset, chosen))
    }

    /// The parts of `rows` (in this source's row numbers), in order: the file's, or that of each
    /// shard holding some of them. Every such shard is opened and checked against the manifest
    /// here, so a shard that does not match fails before any row is printed.
    ///
    /// - Throws: What opening a shard throws.
    func parts(of rows: Range<Int>) throws -> [Part] {
        switch origin {
        case .file(let reader, let columns):
            return [Part(reader: reader, columns: columns, rows: rows)]
        case .dataset(let dataset, _):
            var parts: [Part] = []
            for (index, shard) in dataset.shards.enumerated() {
                let start = max(rows.lowerBound, shard.firstRow)
                let end = min(rows.upperBound, shard.firstRow + shard.rowCount)
                guard start < end else { continue }
                let reader = try dataset.shard(at: index)
                parts.append(Part(reader: reader, columns: try names.map { try reader.info($0) },
                                  rows: (start - shard.firstRow)..<(end - shard.firstRow)))
            }
            return parts
        }
    }

    /// Whether values of `type` and `logicalType` are shown as numbers.
    private static func isNumeric(_ type: PhysicalType, _ logicalType: LogicalType) -> Bool {
        type.elementSize != nil && logicalType == .none
    }

    /// Whether `path` names a folder (following symbolic links).
    static func isFolder(_ path: String) -> Bool {
        guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec])
        else { return false }
        try? descriptor.close()
        return true
    }
}
