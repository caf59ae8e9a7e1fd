import SystemPackage

/// One change to a dataset, published as its next version (Specification.md §14.5): new shards
/// (written here, or existing files placed in the folder) and shards of the current version to
/// replace.
///
/// Shards are written or placed under fresh names while the transaction lasts; nothing changes
/// for readers until ``commit()`` publishes one new manifest atomically. The transaction holds the
/// dataset's lock shared from its start to its end, so garbage collection never removes a shard
/// it is about to publish. If another writer publishes first, ``commit()`` applies the change
/// again on top of that version (adding commutes; a replaced shard must still be there, else
/// ``ColFileError/Code/versionConflict``). A transaction released without ``commit()`` (or
/// given up with ``abandon()``) removes the shard files it made; the dataset is unchanged.
///
/// ```swift
/// let change = try DatasetTransaction(updating: "trades.ds")
/// _ = try change.writeShard { writer in
///     try writer.addColumn("price", [101.5, 99.25] as [Double])
///     try writer.addColumn("symbol", ["AAPL", "MSFT"])
/// }
/// _ = try change.addFile("/data/2024-06-02.col")      // hard-linked in, or copied
/// change.replace(shardNamed: "2024-06-01.col")        // its rows go, the new shards take its place
/// let published = try change.commit()                 // version k + 1
/// ```
///
/// A transaction is used from one thread at a time.
public final class DatasetTransaction {
    /// Choices that change how the transaction writes and publishes.
    public struct Options: Sendable {
        /// Whether shards and the manifest are flushed to disk (`fsync`) before they are published
        /// (Specification.md §11); true by default.
        public var syncsToDisk: Bool
        /// How many versions other writers may publish while ``DatasetTransaction/commit()``
        /// applies the change again, before it gives up with ``ColFileError/Code/versionConflict``.
        public var maxAttempts: Int

        /// The default options: durable, 16 attempts.
        public init(syncsToDisk: Bool = true, maxAttempts: Int = 16) {
            self.syncsToDisk = syncsToDisk
            self.maxAttempts = max(1, maxAttempts)
        }
    }

    /// The dataset's folder.
    public let path: String
    private let folder: DatasetFolder
    private let options: Options
    private let creating: Bool
    /// The schema shards are checked against: given, the current version's, or the first shard's.
    private var schema: [DatasetColumn]?
    private var initialMetadata: [String: String]
    private var metadataChanges: [String: String?] = [:]
    private var added: [(shard: DatasetShard, columns: [DatasetColumn])] = []
    private var replaced: [String] = []
    private var lock: DatasetLock?
    private var isDone = false

    /// Starts creating a dataset in the folder `path` (made if missing), whose version 1 ``commit()``
    /// publishes.
    ///
    /// - Parameters:
    ///   - schema: The columns; nil takes the first shard's (then a shard must be added).
    ///   - metadata: The dataset's key/value metadata (keys must not start with `colfile.`).
    /// - Throws: ``ColFileError/Code/versionConflict`` when the folder holds a dataset;
    ///   ``ColFileError/Code/invalidArgument`` for a reserved metadata key; ``ColFileError/Code/io``.
    public init(creating path: String, schema: [DatasetColumn]? = nil, metadata: [String: String] = [:],
                options: Options = Options()) throws {
        self.path = path
        self.folder = DatasetFolder(path: path)
        self.options = options
        self.creating = true
        self.schema = schema
        self.initialMetadata = metadata
        try DatasetTransaction.checkMetadataKeys(metadata.keys, path: path)
        do throws(Errno) {
            try Syscalls.makeFolder(path, mode: 0o755)
        } catch {
            throw ColFileError(.io, path: path, message: "cannot make the dataset's folder", errno: error)
        }
        try checkNoDataset()
        lock = try DatasetLock(folder, exclusive: false, wait: true)
    }

    /// Starts a change of the dataset in the folder `path`, which ``commit()`` publishes as the
    /// version after the newest.
    ///
    /// - Throws: As ``ColFileDataset/open(_:version:options:)`` when there is no dataset or its
    ///   manifest is bad; ``ColFileError/Code/io``.
    public init(updating path: String, options: Options = Options()) throws {
        self.path = path
        self.folder = DatasetFolder(path: path)
        self.options = options
        self.creating = false
        let base = try folder.newestManifest()
        self.schema = base.schema
        self.initialMetadata = base.metadata
        lock = try DatasetLock(folder, exclusive: false, wait: true)
    }

    deinit {
        if !isDone { abandon() }
    }

    /// Sets (or, with nil, removes) one entry of the dataset's metadata in the version this
    /// publishes; other entries stay as the version it builds on has them.
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` for a key starting with `colfile.`.
    public func setMetadata(_ value: String?, forKey key: String) throws {
        try DatasetTransaction.checkMetadataKeys([key], path: path)
        metadataChanges[key] = .some(value)
    }

    /// A writer whose ``ColFileWriter/finish()`` publishes a new shard file under a fresh name in
    /// the dataset's folder (never replacing a file); hand it to ``add(finished:)`` after.
    ///
    /// - Throws: ``ColFileError/Code/io`` when no temporary file can be made in the folder.
    public func shardWriter(options writerOptions: ColFileWriter.Options = ColFileWriter.Options()) throws
        -> ColFileWriter {
        precondition(!isDone, "DatasetTransaction used after commit() or abandon()")
        var writerOptions = writerOptions
        writerOptions.replacesExistingFile = false
        writerOptions.syncsToDisk = writerOptions.syncsToDisk && options.syncsToDisk
        let name = ShardPlacement.unusedName(like: ShardPlacement.freshName(), in: folder)
        return try ColFileWriter(path: folder.file(name), options: writerOptions)
    }

    /// Adds the shard a writer from ``shardWriter(options:)`` published.
    ///
    /// - Returns: The shard as the manifest will describe it.
    /// - Throws: ``ColFileError/Code/invalidArgument`` when its columns do not fit the dataset's
    ///   schema (the file is removed); the errors of opening it.
    /// - Precondition: `writer` came from this transaction and its `finish()` succeeded.
    @discardableResult
    public func add(finished writer: ColFileWriter) throws -> DatasetShard {
        precondition(!isDone, "DatasetTransaction used after commit() or abandon()")
        let name = String(writer.path.dropFirst(folder.path.count + 1))
        precondition(writer.path == folder.file(name), "the writer does not belong to this transaction")
        do {
            return try record(name, describing: writer.path)
        } catch {
            Syscalls.removeIgnoringErrors(writer.path)
            throw error
        }
    }

    /// Writes a shard: makes a writer with ``shardWriter(options:)``, lets `body` add its columns,
    /// finishes it and adds it.
    ///
    /// - Returns: The shard.
    /// - Throws: What `body` throws (the shard is then not written), and as ``add(finished:)``.
    @discardableResult
    public func writeShard(options writerOptions: ColFileWriter.Options = ColFileWriter.Options(),
                           _ body: (ColFileWriter) throws -> Void) throws -> DatasetShard {
        let writer = try shardWriter(options: writerOptions)
        do {
            try body(writer)
        } catch {
            writer.abandon()
            throw error
        }
        try writer.finish()
        return try add(finished: writer)
    }

    /// Adds the colfile file at `source` as a new shard: placed in the folder under its own file
    /// name, or a variant of it when that is taken (`day-1a2b3c4d.col`), by a hard link (no byte
    /// copied; the file must then never be modified in place, which colfile writers never do) or,
    /// when `copying` or the link is impossible, by a copy.
    ///
    /// - Returns: The shard.
    /// - Throws: ``ColFileError/Code/invalidArgument`` when its columns do not fit the dataset's
    ///   schema; the errors of opening the file; ``ColFileError/Code/io``.
    @discardableResult
    public func addFile(_ source: String, copying: Bool = false) throws -> DatasetShard {
        precondition(!isDone, "DatasetTransaction used after commit() or abandon()")
        let original = try ColFileReader.open(source)
        _ = try columns(of: original, describing: source)
        let name = try ShardPlacement.place(source, in: folder, copying: copying, syncsToDisk: options.syncsToDisk)
        do {
            let shard = try record(name, describing: source)
            guard shard.identity == original.identity else {
                throw ColFileError(.shardMismatch, path: source, message: "the file changed while it was placed in the dataset",
                                   expected: original.identity, found: shard.identity)
            }
            return shard
        } catch {
            Syscalls.removeIgnoringErrors(folder.file(name))
            added.removeAll { $0.shard.name == name }
            throw error
        }
    }

    /// Leaves the shard named `name` out of the version this publishes; the shards added take
    /// the place of the first shard replaced (or go at the end when none is).
    ///
    /// ``commit()`` fails with ``ColFileError/Code/versionConflict`` if the version it builds on
    /// has no such shard (another writer replaced or removed it).
    public func replace(shardNamed name: String) {
        precondition(!isDone, "DatasetTransaction used after commit() or abandon()")
        if !replaced.contains(name) { replaced.append(name) }
    }

    /// Publishes the change as the next version of the dataset: writes its manifest and links it
    /// to the next version's name, which succeeds only if no other writer took that version; if
    /// one did, builds on the version it published and tries the next one.
    ///
    /// - Returns: The version published.
    /// - Throws: ``ColFileError/Code/versionConflict`` (a dataset was created meanwhile, a replaced
    ///   shard is gone, or ``Options/maxAttempts`` versions were taken); ``ColFileError/Code/invalidArgument``
    ///   when a new dataset has neither a schema nor a shard; ``ColFileError/Code/io``. The shard
    ///   files stay until ``abandon()`` (or the transaction's release) removes them.
    /// - Precondition: not committed or abandoned before.
    @discardableResult
    public func commit() throws -> ColFileDataset {
        precondition(!isDone, "DatasetTransaction used after commit() or abandon()")
        for _ in 0..<options.maxAttempts {
            let manifest = try nextManifest()
            do {
                try manifest.write(to: folder.manifestPath(manifest.version), syncsToDisk: options.syncsToDisk)
            } catch let error as ColFileError where error.code == .io && error.errno == .fileExists {
                if creating {
                    throw ColFileError(.versionConflict, path: path,
                                       message: "another writer created a dataset here first")
                }
                continue  // another writer published this version: build on it
            }
            isDone = true
            lock?.release()
            folder.publishHint(manifest.version)
            return ColFileDataset(folder: folder, manifest: manifest, options: ReaderOptions())
        }
        throw ColFileError(.versionConflict, path: path,
                           message: "other writers published \(options.maxAttempts) versions while this one tried to")
    }

    /// Gives up the change: removes the shard files this transaction made and lets go of the
    /// lock; the dataset is unchanged. Safe to call twice; does nothing after ``commit()``.
    public func abandon() {
        guard !isDone else { return }
        isDone = true
        for entry in added { Syscalls.removeIgnoringErrors(folder.file(entry.shard.name)) }
        added = []
        lock?.release()
    }

    // MARK: - Internals

    /// The manifest of the next version: the newest version's shards without the replaced ones,
    /// with the added ones in their place.
    private func nextManifest() throws -> DatasetManifest {
        let base: DatasetManifest?
        if creating {
            try checkNoDataset()
            base = nil
        } else {
            base = try folder.newestManifest()
        }
        guard var schema = base?.schema ?? schema ?? added.first?.columns else {
            throw ColFileError(.invalidArgument, path: path, message: "a new dataset needs a schema or a shard")
        }
        for entry in added {
            if let problem = DatasetColumn.schemaProblem(entry.columns, schema: schema, checkingNullability: false) {
                throw ColFileError(.invalidArgument, path: folder.file(entry.shard.name),
                                   message: "the file does not fit the dataset's schema: " + problem)
            }
            for (index, column) in entry.columns.enumerated() where column.isNullable {
                schema[index].isNullable = true
            }
        }
        var shards = base?.shards ?? []
        var position = shards.count
        for name in replaced {
            guard let index = shards.firstIndex(where: { $0.name == name }) else {
                throw ColFileError(.versionConflict, path: path,
                                   message: "shard '\(name)' is not in dataset version \(base?.version ?? 0): "
                                       + "another writer replaced or removed it")
            }
            position = min(position, index)
        }
        shards.removeAll { replaced.contains($0.name) }
        shards.insert(contentsOf: added.map(\.shard), at: position)
        var metadata = base?.metadata ?? initialMetadata
        for (key, value) in metadataChanges { metadata[key] = value }
        return DatasetManifest(version: (base?.version ?? 0) + 1, schema: schema, metadata: metadata, shards: shards)
    }

    /// Opens the file `name` in the folder (which `source` names to the caller) and records it.
    private func record(_ name: String, describing source: String) throws -> DatasetShard {
        let reader = try ColFileReader.open(folder.file(name))
        let columns = try columns(of: reader, describing: source)
        let shard = DatasetShard(name: name, rowCount: reader.rowCount, fileBytes: reader.fileBytes, identity: reader.identity)
        if schema == nil { schema = columns }
        added.append((shard, columns))
        return shard
    }

    /// The schema columns of `reader`'s file, checked against the dataset's schema when it is known.
    private func columns(of reader: ColFileReader, describing source: String) throws -> [DatasetColumn] {
        let infos = try reader.columns
        for info in infos {
            // A column of a type or codec this library does not know (§9 step 14.2): its type and
            // shape were not checked, so the schema cannot say what it is.
            if let unreadable = info.unreadable {
                throw ColFileError(.invalidArgument, path: source, column: info.name,
                                   message: "a dataset cannot describe a column this library cannot read",
                                   found: unreadable.message)
            }
            if case .unknown(let code) = info.logicalType {
                throw ColFileError(.invalidArgument, path: source, column: info.name,
                                   message: "a dataset cannot describe a logical type this library does not know",
                                   found: code)
            }
        }
        let columns = infos.map(DatasetColumn.init)
        // A new shard may bring nulls: the version it joins has the column nullable.
        if let schema, let problem = DatasetColumn.schemaProblem(columns, schema: schema, checkingNullability: false) {
            throw ColFileError(.invalidArgument, path: source, message: "the file does not fit the dataset's schema: " + problem)
        }
        return columns
    }

    /// Fails with ``ColFileError/Code/versionConflict`` when the folder holds a dataset.
    private func checkNoDataset() throws {
        do {
            let existing = try folder.newestManifest()
            throw ColFileError(.versionConflict, path: path,
                               message: "a dataset already exists here (version \(existing.version))")
        } catch let error as ColFileError where error.code == .io && error.errno == .noSuchFileOrDirectory {
            return
        }
    }

    private static func checkMetadataKeys(_ keys: some Sequence<String>, path: String) throws {
        for key in keys where key.hasPrefix(ManifestLayout.reservedKeyPrefix) {
            throw ColFileError(.invalidArgument, path: path,
                               message: "metadata keys starting with '\(ManifestLayout.reservedKeyPrefix)' belong to the format",
                               found: "'\(key)'")
        }
    }
}
