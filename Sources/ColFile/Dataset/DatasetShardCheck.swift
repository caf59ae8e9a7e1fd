/// Opening a shard and checking it against its manifest entry and the dataset's schema
/// (Specification.md §14.5, *What a reader checks*).
enum DatasetShardCheck {
    /// Opens the shard `shard` at `path` and checks it.
    ///
    /// - Throws: ``ColFileError/Code/io`` (a missing file says which version names it), the
    ///   file's own errors, ``ColFileError/Code/shardMismatch``.
    static func open(_ shard: DatasetShard, at path: String, version: Int, schema: [DatasetColumn],
                     options: ReaderOptions) throws -> ColFileReader {
        let reader: ColFileReader
        do {
            reader = try ColFileReader.open(path, options: options)
        } catch let error as ColFileError where error.code == .io && error.errno == .noSuchFileOrDirectory {
            throw ColFileError(.io, path: path,
                               message: "cannot open shard '\(shard.name)' of dataset version \(version) (removed by garbage collection?)",
                               errno: .noSuchFileOrDirectory)
        }
        func mismatch(_ message: String, expected: any CustomStringConvertible, found: any CustomStringConvertible)
            -> ColFileError {
            ColFileError(.shardMismatch, path: path, message: message, expected: expected, found: found)
        }
        guard reader.identity == shard.identity else {
            throw mismatch("the file is not the shard dataset version \(version) names: its identity differs",
                           expected: shard.identity, found: reader.identity)
        }
        guard reader.rowCount == shard.rowCount else {
            throw mismatch("the shard has another row count than its manifest says", expected: shard.rowCount,
                           found: reader.rowCount)
        }
        guard reader.fileBytes == shard.fileBytes else {
            throw mismatch("the shard has another size than its manifest says", expected: shard.fileBytes,
                           found: reader.fileBytes)
        }
        // A column of a type or codec this library does not know (§9 step 14.2, §14.5) is checked
        // by name only; like a single file's, it is refused when asked for, its neighbours read.
        let found = try reader.columns.map { info in
            info.unreadable != nil && info.index < schema.count && schema[info.index].name == info.name
                ? schema[info.index] : DatasetColumn(info)
        }
        if let problem = DatasetColumn.schemaProblem(found, schema: schema, checkingNullability: true) {
            throw ColFileError(.shardMismatch, path: path, message: "the shard does not fit the dataset's schema: " + problem)
        }
        return reader
    }
}
