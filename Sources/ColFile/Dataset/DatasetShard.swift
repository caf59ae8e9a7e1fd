/// One shard of a dataset version, as its manifest describes it (Specification.md §14.2).
public struct DatasetShard: Sendable, Hashable, CustomStringConvertible {
    /// The shard's file name in the dataset's folder.
    public var name: String
    /// Its number of rows.
    public var rowCount: Int
    /// The size of its file in bytes.
    public var fileBytes: Int
    /// Its identity: file id and directory CRC-32 (Specification.md §3). A file at the shard's
    /// path with another identity is not this shard (``ColFileError/Code/shardMismatch``).
    public var identity: FileIdentity
    /// The dataset row of the shard's first row: the rows of the shards before it.
    public var firstRow: Int

    /// A shard description.
    public init(name: String, rowCount: Int, fileBytes: Int, identity: FileIdentity, firstRow: Int = 0) {
        self.name = name
        self.rowCount = rowCount
        self.fileBytes = fileBytes
        self.identity = identity
        self.firstRow = firstRow
    }

    /// `part-1a2b.col (1000 rows, FILEID-CRC)`.
    public var description: String { "\(name) (\(rowCount) rows, \(identity))" }
}
