/// The content of one manifest: a dataset version's schema, metadata and shards
/// (Specification.md §14.2). A manifest is itself a colfile file; this type reads one from a
/// ``ColFileReader`` with every check of §14.2, and writes one with a ``ColFileWriter``.
/// Package access: the tests write the golden dataset's manifests with it.
package struct DatasetManifest: Sendable {
    /// The version it publishes (1 or more).
    package var version: Int
    /// The columns every shard has.
    package var schema: [DatasetColumn]
    /// The dataset's own metadata (keys that do not start with `colfile.`).
    package var metadata: [String: String]
    /// The shards, in the dataset's row order; each one's ``DatasetShard/firstRow`` is set.
    package var shards: [DatasetShard]

    /// A manifest of `shards` (their first rows are computed here).
    package init(version: Int, schema: [DatasetColumn], metadata: [String: String], shards: [DatasetShard]) {
        self.version = version
        self.schema = schema
        self.metadata = metadata
        var row = 0
        self.shards = shards.map { shard in
            var shard = shard
            shard.firstRow = row
            row += shard.rowCount
            return shard
        }
    }

    /// Total rows.
    var rowCount: Int { shards.last.map { $0.firstRow + $0.rowCount } ?? 0 }

    /// Reads and checks the manifest `reader` holds.
    ///
    /// - Parameter expectedVersion: The version its file name says, which its metadata must repeat.
    /// - Throws: ``ColFileError/Code/badManifest`` naming the first rule of §14.2 it breaks; the
    ///   errors of reading its columns.
    init(reading reader: ColFileReader, expectedVersion: Int?) throws {
        let path = reader.path
        func bad(_ message: String, expected: (any CustomStringConvertible)? = nil,
                 found: (any CustomStringConvertible)? = nil) -> ColFileError {
            ColFileError(.badManifest, path: path, message: message, expected: expected, found: found)
        }
        let fileMetadata = reader.metadata
        guard let layout = fileMetadata[ManifestLayout.layoutKey] else {
            throw bad("not a dataset manifest: no \(ManifestLayout.layoutKey) metadata")
        }
        guard layout == ManifestLayout.layoutVersion else {
            throw bad("manifest layout \(layout) is not supported", expected: ManifestLayout.layoutVersion, found: layout)
        }
        let versionText = fileMetadata[ManifestLayout.versionKey] ?? ""
        guard let version = ManifestLayout.version(spelled: versionText) else {
            throw bad("\(ManifestLayout.versionKey) is not a version number", found: "'\(versionText)'")
        }
        if let expectedVersion, expectedVersion != version {
            throw bad("the manifest's version differs from its file name's", expected: expectedVersion, found: version)
        }
        guard let schemaText = fileMetadata[ManifestLayout.schemaKey] else {
            throw bad("no \(ManifestLayout.schemaKey) metadata")
        }
        let schema = try DatasetSchemaText.decode(schemaText, path: path)

        func column(_ name: String, _ type: PhysicalType, shape: [Int] = []) throws -> ColumnInfo {
            guard let info = try? reader.info(name) else { throw bad("no column '\(name)'") }
            guard DatasetColumn.kind(of: info.physicalType) == type, info.shape == shape, info.logicalType == .none,
                  !info.isNullable else {
                let expected = DatasetColumn(name: name, physicalType: type, shape: shape).typeDescription
                throw bad("column '\(name)' is not \(expected) without nulls", found: DatasetColumn(info).typeDescription)
            }
            return info
        }
        _ = try column(ManifestLayout.nameColumn, .string)
        _ = try column(ManifestLayout.rowsColumn, .uint64)
        _ = try column(ManifestLayout.bytesColumn, .uint64)
        _ = try column(ManifestLayout.fileIDColumn, .uint8, shape: [16])
        _ = try column(ManifestLayout.directoryCRCColumn, .uint32)
        let names = try reader.stringColumn(ManifestLayout.nameColumn)
        let rows = try reader.column(ManifestLayout.rowsColumn, as: UInt64.self)
        let bytes = try reader.column(ManifestLayout.bytesColumn, as: UInt64.self)
        let fileIDs = try reader.tensorColumn(ManifestLayout.fileIDColumn, as: UInt8.self)
        let checksums = try reader.column(ManifestLayout.directoryCRCColumn, as: UInt32.self)

        var seen = Set<String>()
        var total = 0
        var shards: [DatasetShard] = []
        shards.reserveCapacity(reader.rowCount)
        for index in 0..<reader.rowCount {
            let name = names.storedValue(at: index)
            if let problem = ManifestLayout.shardNameProblem(name) {
                throw bad("shard \(index): \(problem)", found: "'\(name)'")
            }
            guard seen.insert(name).inserted else { throw bad("shard \(index): the name '\(name)' appears twice") }
            let rowCount = rows.storedValue(at: index)
            let fileBytes = bytes.storedValue(at: index)
            guard rowCount <= UInt64(Int.max), case let (sum, overflow) = total.addingReportingOverflow(Int(rowCount)),
                  !overflow else {
                throw bad("shard \(index): the dataset has more than 2^63 - 1 rows")
            }
            guard fileBytes >= UInt64(ManifestLayout.minimumFileBytes), fileBytes <= UInt64(Int.max) else {
                throw bad("shard \(index): a colfile file has at least 96 bytes", found: fileBytes)
            }
            total = sum
            let identity = FileIdentity(fileID: Array(fileIDs.storedValue(at: index)),
                                        directoryChecksum: checksums.storedValue(at: index))
            shards.append(DatasetShard(name: name, rowCount: Int(rowCount), fileBytes: Int(fileBytes), identity: identity))
        }
        self.init(version: version, schema: schema,
                  metadata: fileMetadata.filter { !$0.key.hasPrefix(ManifestLayout.reservedKeyPrefix) }, shards: shards)
    }

    /// Writes this manifest as a colfile file published at `path` only if no file has that name
    /// (the commit point of §14.5).
    ///
    /// - Throws: ``ColFileError/Code/io`` with `errno` `EEXIST` when the name is taken; other
    ///   writing errors.
    package func write(to path: String, syncsToDisk: Bool, fileID: [UInt8]? = nil) throws {
        var options = ColFileWriter.Options(fileID: fileID, syncsToDisk: syncsToDisk)
        options.replacesExistingFile = false
        let writer = try ColFileWriter(path: path, options: options)
        var fileMetadata = metadata
        fileMetadata[ManifestLayout.layoutKey] = ManifestLayout.layoutVersion
        fileMetadata[ManifestLayout.versionKey] = String(version)
        fileMetadata[ManifestLayout.schemaKey] = DatasetSchemaText.encode(schema)
        writer.metadata = fileMetadata
        try writer.addColumn(ManifestLayout.nameColumn, shards.map(\.name))
        try writer.addColumn(ManifestLayout.rowsColumn, shards.map { UInt64($0.rowCount) })
        try writer.addColumn(ManifestLayout.bytesColumn, shards.map { UInt64($0.fileBytes) })
        try writer.addTensorColumn(ManifestLayout.fileIDColumn, shape: [16], shards.flatMap(\.identity.fileID))
        try writer.addColumn(ManifestLayout.directoryCRCColumn, shards.map(\.identity.directoryChecksum))
        try writer.finish()
    }
}
