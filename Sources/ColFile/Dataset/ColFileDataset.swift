/// One version of a dataset: a table stored as colfile files (shards) in one folder, listed by a
/// manifest (Specification.md §14).
///
/// Opening reads one manifest, the newest unless a version is asked for; it never lists the
/// folder to find shards, and never sees a version being published (a manifest appears whole,
/// by an atomic link). A dataset value keeps describing the version it opened after newer ones
/// are published: shards are never modified, only removed by garbage collection
/// (``collectGarbage(at:keeping:grace:dryRun:waitingForWriters:)``) once no kept version names them.
///
/// Each shard is opened on first use (``shard(at:)``) and then kept: a ``ColFileReader`` whose
/// identity, row count, size and columns were checked against the manifest, so a dataset never
/// mixes versions silently (``ColFileError/Code/shardMismatch``). A shard removed by garbage
/// collection after it was opened stays readable through its mapping; one removed before fails
/// to open with ``ColFileError/Code/io`` (`ENOENT`). ``openAllShards()`` maps every shard at once.
///
/// A shard's reader serves the shard as it is stored. Codec and dictionary encoding are each
/// shard's own choice (§14.3): a column the schema calls ``PhysicalType/string`` may be stored
/// dictionary-encoded in some shards (``ColumnInfo/isDictionaryEncoded``).
/// ``ColFileReader/anyStringColumn(_:)``, ``ColFileReader/anyBinaryColumn(_:)`` and
/// ``ColFileReader/anyColumn(_:as:)`` read either encoding; ``ColFileReader/dictionaryColumn(_:)``
/// and the plain views each read one.
///
/// ```swift
/// let dataset = try ColFileDataset.open("trades.ds")
/// print(dataset.version, dataset.rowCount, dataset.schema)
/// for index in dataset.shards.indices {
///     let prices = try dataset.shard(at: index).column("price", as: Double.self)
///     print(prices.sum())
/// }
/// ```
///
/// A dataset value is `Sendable`: shards may be opened and read from any number of threads.
public final class ColFileDataset: Sendable, CustomStringConvertible {
    /// The dataset's folder, as given to ``open(_:version:options:)``.
    public let path: String
    /// The version this value describes.
    public let version: Int
    /// The columns every shard has, in order.
    public let schema: [DatasetColumn]
    /// The shards, in the dataset's row order.
    public let shards: [DatasetShard]
    /// The dataset's own key/value metadata (the manifest's metadata without the `colfile.` keys).
    public let metadata: [String: String]
    /// How shards are opened.
    public let options: ReaderOptions
    let folder: DatasetFolder
    private let readers = Locked<[Int: ColFileReader]>([:])

    init(folder: DatasetFolder, manifest: DatasetManifest, options: ReaderOptions) {
        self.path = folder.path
        self.folder = folder
        self.version = manifest.version
        self.schema = manifest.schema
        self.shards = manifest.shards
        self.metadata = manifest.metadata
        self.options = options
    }

    /// Opens version `version` of the dataset in the folder `path`, or its newest version.
    ///
    /// The newest version is found from the folder's hint and then by opening the next
    /// versions' manifests until one is missing (Specification.md §14.4); only when the hint is
    /// missing or stale are the manifests' names listed.
    ///
    /// - Parameters:
    ///   - path: The dataset's folder.
    ///   - version: The version to open; nil for the newest.
    ///   - options: How shards are opened (cold columns, decode cap).
    /// - Throws: ``ColFileError/Code/io`` (`ENOENT`) when there is no dataset or no such version
    ///   (never published, or removed by garbage collection); ``ColFileError/Code/badManifest``
    ///   or the error of the first check of Specification.md §9 the manifest fails.
    /// - Complexity: O(shards + columns): one manifest is read; no shard is opened.
    public static func open(_ path: String, version: Int? = nil, options: ReaderOptions = ReaderOptions()) throws
        -> ColFileDataset {
        let folder = DatasetFolder(path: path)
        let manifest: DatasetManifest
        if let version {
            guard version >= 1, let found = try folder.manifest(version) else {
                throw ColFileError(.io, path: folder.manifestPath(max(version, 1)),
                                   message: "the dataset has no version \(version) (never published, or removed by garbage collection)",
                                   errno: .noSuchFileOrDirectory)
            }
            manifest = found
        } else {
            manifest = try folder.newestManifest()
        }
        return ColFileDataset(folder: folder, manifest: manifest, options: options)
    }

    /// The number of rows: the sum of the shards' rows.
    public var rowCount: Int { shards.last.map { $0.firstRow + $0.rowCount } ?? 0 }

    /// The size of the shard files in bytes.
    public var fileBytes: Int { shards.reduce(0) { $0 + $1.fileBytes } }

    /// `ColFileDataset(path: "trades.ds", version: 3, shards: 4, rows: 1000000)`.
    public var description: String {
        "ColFileDataset(path: \"\(path)\", version: \(version), shards: \(shards.count), rows: \(rowCount))"
    }

    /// The path of shard `index`'s file.
    ///
    /// - Precondition: `index` is in `shards.indices`.
    public func shardPath(at index: Int) -> String {
        folder.file(shards[index].name)
    }

    /// The index of the shard holding dataset row `row`.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    /// - Complexity: O(log shards).
    public func shardIndex(containingRow row: Int) -> Int {
        precondition(row >= 0 && row < rowCount, "row index out of range")
        var low = 0
        var high = shards.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if shards[middle].firstRow <= row { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// A reader of shard `index`, opened on first use and checked against the manifest: the
    /// file's identity, row count and size, and each column against the schema.
    ///
    /// - Precondition: `index` is in `shards.indices`.
    /// - Throws: ``ColFileError/Code/io`` when the file cannot be opened (`ENOENT`: removed by
    ///   garbage collection, or never there); the error of the first check of Specification.md
    ///   §9 it fails; ``ColFileError/Code/shardMismatch`` when it is not the file the manifest names.
    /// - Complexity: O(columns) on first use, O(1) after.
    public func shard(at index: Int) throws -> ColFileReader {
        precondition(shards.indices.contains(index), "shard index out of range")
        if let reader = readers.withLock({ $0[index] }) { return reader }
        let reader = try DatasetShardCheck.open(shards[index], at: shardPath(at: index), version: version,
                                                schema: schema, options: options)
        return readers.withLock { readers in
            if let earlier = readers[index] { return earlier }
            readers[index] = reader
            return reader
        }
    }

    /// Opens (and checks) every shard, so that each is mapped: a version read this way stays
    /// readable whatever is published or collected afterwards.
    ///
    /// - Returns: The readers, in shard order.
    /// - Throws: As ``shard(at:)``, for the first shard that fails.
    @discardableResult
    public func openAllShards() throws -> [ColFileReader] {
        try shards.indices.map(shard(at:))
    }

    /// The newest version of the dataset now (Specification.md §14.4): this value's version, or a
    /// later one published since it was opened.
    ///
    /// - Throws: As ``open(_:version:options:)``.
    public func newestVersion() throws -> Int {
        try folder.newestManifest().version
    }

    /// Checks every shard: opens it (identity, rows, size and columns against the manifest) and,
    /// unless `checksums` is false, runs the full verification of ``ColFileReader/verify()``.
    ///
    /// - Parameters:
    ///   - checksums: Whether to verify every shard's bytes too (O(data)); false checks what
    ///     opening checks (O(shards × columns)).
    ///   - progress: Called after each shard with its index.
    /// - Throws: The first failure, as ``shard(at:)`` and ``ColFileReader/verify()`` report it.
    public func verify(checksums: Bool = true, progress: (Int) -> Void = { _ in }) throws {
        for index in shards.indices {
            let reader = try shard(at: index)
            if checksums { try reader.verify() }
            progress(index)
        }
    }
}
