import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Datasets (Specification.md §14) through the library: versions published by transactions,
/// concurrent writers, readers that hold a version, finding the newest version, garbage
/// collection and its lock, and every error a dataset's use (not its files) can cause.
@Suite struct DatasetTests {
    /// Writes a small table: `id` (Int64) and `label` (String, null where `nulls` says).
    private func writeTable(_ path: String, ids: [Int64], nulls: Bool = false) throws {
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("id", ids)
        if nulls {
            try writer.addColumn("label", ids.map { $0 % 2 == 0 ? nil : "l\($0)" } as [String?])
        } else {
            try writer.addColumn("label", ids.map { "l\($0)" })
        }
        try writer.finish()
    }

    /// Adds a shard of `ids` through the transaction's own writer.
    @discardableResult
    private func writeShard(_ transaction: DatasetTransaction, ids: [Int64]) throws -> DatasetShard {
        try transaction.writeShard { writer in
            try writer.addColumn("id", ids)
            try writer.addColumn("label", ids.map { "l\($0)" })
        }
    }

    /// Every `id` of `dataset`, shard after shard.
    private func ids(_ dataset: ColFileDataset) throws -> [Int64] {
        try dataset.shards.indices.flatMap { try Array(dataset.shard(at: $0).column("id", as: Int64.self).values) }
    }

    /// The names in a dataset's folder that are neither the lock nor the hint.
    private func dataFiles(_ folder: TemporaryFolder, _ name: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.file(name)).filter { !["_lock", "_latest"].contains($0) }
            .sorted()
    }

    @Test func createAppendReplaceAndOpenEveryVersion() throws {
        let folder = try TemporaryFolder("dataset-round-trip")
        let path = folder.file("ds")
        try writeTable(folder.file("a.col"), ids: [1, 2, 3])
        try writeTable(folder.file("b.col"), ids: [4, 5])
        try writeTable(folder.file("c.col"), ids: [6], nulls: true)

        let create = try DatasetTransaction(creating: path, metadata: ["source": "test"])
        try create.addFile(folder.file("a.col"))
        try create.addFile(folder.file("b.col"), copying: true)
        let first = try create.commit()
        #expect(first.version == 1 && first.rowCount == 5 && first.shards.map(\.name) == ["a.col", "b.col"])
        #expect(first.shards.map(\.firstRow) == [0, 3])
        #expect(first.schema == [DatasetColumn(name: "id", physicalType: .int64),
                                 DatasetColumn(name: "label", physicalType: .string)])
        #expect(first.metadata == ["source": "test"])

        let append = try DatasetTransaction(updating: path)
        let written = try writeShard(append, ids: [7, 8])
        try append.addFile(folder.file("c.col"))
        append.replace(shardNamed: "a.col")
        try append.setMetadata("2", forKey: "round")
        let second = try append.commit()
        #expect(second.version == 2)
        #expect(second.shards.map(\.name) == [written.name, "c.col", "b.col"])
        #expect(try ids(second) == [7, 8, 6, 4, 5])
        #expect(second.schema[1].isNullable, "a shard with nulls makes the column nullable")
        #expect(second.metadata == ["source": "test", "round": "2"])
        #expect(written.name.hasPrefix("part-") && written.name.hasSuffix(".col"))
        #expect(second.shardIndex(containingRow: 0) == 0 && second.shardIndex(containingRow: 2) == 1)
        #expect(second.shardIndex(containingRow: 4) == 2)

        #expect(try ColFileDataset.open(path).version == 2)
        let old = try ColFileDataset.open(path, version: 1)
        #expect(try ids(old) == [1, 2, 3, 4, 5])
        #expect(!old.schema[1].isNullable)
        try old.verify()
        try second.verify()
        #expect(try first.newestVersion() == 2)
        let missing = #expect(throws: ColFileError.self) { try ColFileDataset.open(path, version: 3) }
        #expect(missing?.code == .io && missing?.errno == .noSuchFileOrDirectory)
    }

    /// A reader that opened version 1 and mapped its shards reads them unchanged after version 2
    /// replaced one and garbage collection removed version 1's manifest and that shard.
    @Test func aHeldVersionSurvivesPublishingAndCollection() throws {
        let folder = try TemporaryFolder("dataset-held")
        let path = folder.file("ds")
        let create = try DatasetTransaction(creating: path)
        let replaced = try writeShard(create, ids: [1, 2])
        try writeShard(create, ids: [3])
        let held = try create.commit()
        try held.openAllShards()

        let change = try DatasetTransaction(updating: path)
        try writeShard(change, ids: [10, 20])
        change.replace(shardNamed: replaced.name)
        try change.commit()
        // Waiting, not failing: a process another test spawns holds copies of this process's
        // descriptors, the lock file's among them, from its fork until its exec (see DatasetLock).
        let report = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero, waitingForWriters: true)
        #expect(report.removedVersions == [1] && report.removedFiles == [replaced.name] && report.keptVersions == [2])
        #expect(report.heldLock)
        #expect(!FileManager.default.fileExists(atPath: folder.file("ds/" + replaced.name)))

        #expect(try ids(held) == [1, 2, 3], "the mapped shards of version 1 still read")
        try held.verify()
        #expect(try ids(ColFileDataset.open(path)) == [10, 20, 3])
        // Version 1 is gone for new readers; a late opener of its removed shard gets a clear error.
        #expect(throws: ColFileError.self) { try ColFileDataset.open(path, version: 1) }
        let stale = try DatasetTransaction(creating: folder.file("other"))
        try writeShard(stale, ids: [1])
        let other = try stale.commit()
        try FileManager.default.removeItem(atPath: other.shardPath(at: 0))
        let gone = #expect(throws: ColFileError.self) { try other.shard(at: 0) }
        #expect(gone?.code == .io && gone?.errno == .noSuchFileOrDirectory)
        #expect(gone?.description == "\(other.shardPath(at: 0)): cannot open shard '\(other.shards[0].name)' of dataset "
                    + "version 1 (removed by garbage collection?): No such file or directory (errno 2)")
    }

    /// Two writers that start from the same version both publish: the second builds on the
    /// first's version. A replace of a shard another writer replaced first is a conflict.
    @Test func concurrentWritersBuildOnEachOther() throws {
        let folder = try TemporaryFolder("dataset-race")
        let path = folder.file("ds")
        let create = try DatasetTransaction(creating: path)
        let shared = try writeShard(create, ids: [1])
        try create.commit()

        let left = try DatasetTransaction(updating: path)
        let right = try DatasetTransaction(updating: path)
        try writeShard(left, ids: [2])
        try writeShard(right, ids: [3])
        #expect(try left.commit().version == 2)
        let rebased = try right.commit()
        #expect(try rebased.version == 3 && ids(rebased) == [1, 2, 3])

        let first = try DatasetTransaction(updating: path)
        let second = try DatasetTransaction(updating: path)
        first.replace(shardNamed: shared.name)
        second.replace(shardNamed: shared.name)
        try writeShard(second, ids: [9])
        try first.commit()
        let conflict = #expect(throws: ColFileError.self) { try second.commit() }
        #expect(conflict?.code == .versionConflict)
        #expect(conflict?.description == "\(path): shard '\(shared.name)' is not in dataset version 4: "
                    + "another writer replaced or removed it")
        second.abandon()
        #expect(try ColFileDataset.open(path).version == 4)
        #expect(try dataFiles(folder, "ds").filter { $0.hasPrefix("part-") }.count == 3,
                "the abandoned transaction removed its shard")

        let again = #expect(throws: ColFileError.self) { try DatasetTransaction(creating: path) }
        #expect(again?.code == .versionConflict)
        #expect(again?.description == "\(path): a dataset already exists here (version 4)")
    }

    /// A collection that does not wait tries again for a moment before it reports a writer, so a
    /// lock let go of within that moment (as a forked child's copy of it is, at the child's exec)
    /// does not fail it.
    @Test func garbageCollectionOutlastsALockLetGoOfAtOnce() throws {
        let folder = try TemporaryFolder("dataset-gc-retry")
        let path = folder.file("ds")
        let create = try DatasetTransaction(creating: path)
        try writeShard(create, ids: [1])
        try create.commit()
        let holder = unsafe open(folder.file("ds/_lock"), O_RDWR | O_CLOEXEC)
        try #require(holder >= 0 && flock(holder, LOCK_SH) == 0)
        let letGo = Thread { usleep(20_000); close(holder) }
        letGo.start()
        let report = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero)
        #expect(report.heldLock && report.removedFiles.isEmpty)
    }

    /// Garbage collection never runs while a writer holds the lock, so it never removes a shard
    /// about to be published; files younger than the grace period stay; a writer's leftovers go
    /// once it has passed; the hint is mended when it named a removed version.
    @Test func garbageCollectionSparesWritersAndYoungFiles() throws {
        let folder = try TemporaryFolder("dataset-gc")
        let path = folder.file("ds")
        let create = try DatasetTransaction(creating: path)
        try writeShard(create, ids: [1])
        try create.commit()

        let writer = try DatasetTransaction(updating: path)
        let pending = try writeShard(writer, ids: [2])
        let busy = #expect(throws: ColFileError.self) {
            try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero)
        }
        #expect(busy?.code == .io && busy?.errno == .wouldBlock)
        #expect(busy?.description.hasPrefix("\(path)/_lock: a writer is publishing to the dataset (it holds the lock); try "
                    + "again once it has published: ") == true)
        try writer.commit()
        #expect(FileManager.default.fileExists(atPath: folder.file("ds/" + pending.name)))

        // A leftover of a writer that died: named like a shard, in no manifest.
        try writeTable(folder.file("ds/orphan.col"), ids: [5])
        // From here no writer is open: wait out a spawned child's copy of the lock (see DatasetLock).
        let young = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .seconds(3600), waitingForWriters: true)
        #expect(young.youngFiles == ["orphan.col"] && young.removedFiles.isEmpty && young.removedVersions == [1])
        let dry = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero, dryRun: true, waitingForWriters: true)
        #expect(dry.removedFiles == ["orphan.col"])
        #expect(FileManager.default.fileExists(atPath: folder.file("ds/orphan.col")))
        let collected = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero, waitingForWriters: true)
        #expect(collected.removedFiles == ["orphan.col"] && collected.removedBytes > 0)
        let shardNames = try ColFileDataset.open(path).shards.map(\.name)
        #expect(try dataFiles(folder, "ds") == (["_manifest-00000000000000000002.col"] + shardNames).sorted())

        // A hint naming a removed version is mended, and readers find the newest without it.
        try Files.write(Array("1\n".utf8), to: folder.file("ds/_latest"))
        #expect(try ColFileDataset.open(path).version == 2)
        _ = try ColFileDataset.collectGarbage(at: path, keeping: 1, grace: .zero, waitingForWriters: true)
        #expect(String(decoding: try Files.read(folder.file("ds/_latest")), as: UTF8.self) == "2\n")
    }

    /// The hint is only a start: missing, unreadable, stale, naming a removed manifest or not a
    /// regular file (a FIFO, opened without blocking), readers still open the newest version.
    @Test(arguments: ["", "7x\n", "0\n", "1\n", "99\n", nil, "fifo"] as [String?])
    func newestVersionWhateverTheHint(hint: String?) throws {
        let folder = try TemporaryFolder("dataset-hint")
        let path = folder.file("ds")
        for round in 0..<3 {
            let transaction = round == 0 ? try DatasetTransaction(creating: path) : try DatasetTransaction(updating: path)
            try writeShard(transaction, ids: [Int64(round)])
            try transaction.commit()
        }
        if hint == "fifo" {
            try FileManager.default.removeItem(atPath: folder.file("ds/_latest"))
            try SpecialFiles.makeFIFO(at: folder.file("ds/_latest"))
        } else if let hint {
            try Files.write(Array(hint.utf8), to: folder.file("ds/_latest"))
        } else {
            try FileManager.default.removeItem(atPath: folder.file("ds/_latest"))
        }
        #expect(try ColFileDataset.open(path).version == 3)
    }

    /// Files that do not fit the schema, reserved metadata keys, a dataset without a schema, a
    /// folder without a dataset: each refused with its own error.
    @Test func misuseIsRefused() throws {
        let folder = try TemporaryFolder("dataset-misuse")
        let path = folder.file("ds")
        let noDataset = #expect(throws: ColFileError.self) { try ColFileDataset.open(path) }
        #expect(noDataset?.code == .io && noDataset?.errno == .noSuchFileOrDirectory)
        #expect(throws: ColFileError.self) { try DatasetTransaction(updating: path) }

        let empty = try DatasetTransaction(creating: path)
        let noSchema = #expect(throws: ColFileError.self) { try empty.commit() }
        #expect(noSchema?.code == .invalidArgument)
        empty.abandon()

        let reserved = #expect(throws: ColFileError.self) {
            try DatasetTransaction(creating: path, metadata: ["colfile.dataset.version": "9"])
        }
        #expect(reserved?.code == .invalidArgument)

        let schema = [DatasetColumn(name: "id", physicalType: .int64), DatasetColumn(name: "label", physicalType: .string)]
        let create = try DatasetTransaction(creating: path, schema: schema)
        #expect(try create.commit().shards.isEmpty, "a dataset may start with a schema and no shard")

        let other = folder.file("other.col")
        let writer = try ColFileWriter(path: other)
        try writer.addColumn("id", [1.5] as [Double])
        try writer.addColumn("label", ["x"])
        try writer.finish()
        let change = try DatasetTransaction(updating: path)
        let misfit = #expect(throws: ColFileError.self) { try change.addFile(other) }
        #expect(misfit?.code == .invalidArgument)
        #expect(misfit?.description == "\(other): the file does not fit the dataset's schema: "
                    + "column 'id' is Float64 where the dataset's is Int64")
        #expect(try dataFiles(folder, "ds") == ["_manifest-00000000000000000001.col"])
    }

    /// A file whose name could not name a shard is placed under a fresh one; a taken name gets a variant.
    @Test func placedFilesGetUsableNames() throws {
        let folder = try TemporaryFolder("dataset-names")
        try writeTable(folder.file("_hidden.col"), ids: [1])
        try writeTable(folder.file("day.col"), ids: [2])
        let create = try DatasetTransaction(creating: folder.file("ds"))
        let hidden = try create.addFile(folder.file("_hidden.col"))
        let day = try create.addFile(folder.file("day.col"))
        let again = try create.addFile(folder.file("day.col"))
        let dataset = try create.commit()
        #expect(hidden.name.hasPrefix("part-") && day.name == "day.col")
        #expect(again.name.hasPrefix("day-") && again.name.hasSuffix(".col") && again.name.count == "day-12345678.col".count)
        #expect(dataset.shards[1].identity == dataset.shards[2].identity)
    }

    /// The schema's JSON is the canonical form of Specification.md §14.3, whatever the names hold.
    @Test func schemaTextIsCanonical() throws {
        let folder = try TemporaryFolder("dataset-schema")
        let names = ["q\"b\\s/", "t\tn\nr\r\u{8}\u{C}\u{1}\u{1F}\u{7F}", "é日本😀"]
        let create = try DatasetTransaction(creating: folder.file("ds"), schema: [
            DatasetColumn(name: names[0], physicalType: .largeString, isNullable: true),
            DatasetColumn(name: names[1], physicalType: .int64, logicalType: .timestamp(unit: .nanoseconds, timeZone: "+01:00")),
            DatasetColumn(name: names[2], physicalType: .float16, shape: [2, 3]),
        ])
        let dataset = try create.commit()
        #expect(dataset.schema.map(\.name) == names && dataset.schema[0].physicalType == .string)
        let manifest = try ColFileReader.open(folder.file("ds/_manifest-00000000000000000001.col"))
        #expect(manifest.metadata["colfile.dataset.schema"] == #"[{"name":"q\"b\\s/","type":"String","logicalType":"none","shape":[],"nullable":true},"#
                + #"{"name":"t\tn\nr\r\b\f\u0001\u001f"# + "\u{7F}" + #"","type":"Int64","logicalType":"Timestamp","timeUnit":"ns","timeZone":"+01:00","shape":[],"nullable":false},"#
                + #"{"name":"é日本😀","type":"Float16","logicalType":"none","shape":[2,3],"nullable":false}]"#)
        #expect(manifest.metadata["colfile.dataset.layout"] == "1" && manifest.metadata["colfile.dataset.version"] == "1")
    }

    /// Format 1.2 shards (Specification.md §14.3: the codec is each shard's own choice): zstd,
    /// zlib and plain shards in one version read alike; the manifest, which uses no codec, is 1.0.
    @Test func shardsOfEveryCodecMix() throws {
        let folder = try TemporaryFolder("dataset-codecs")
        let create = try DatasetTransaction(creating: folder.file("ds"))
        for (index, compression) in [Compression.zstd(), .zlib(), .none].enumerated() {
            let writer = try create.shardWriter()
            writer.defaultCompression = compression
            let ids = (0..<5000).map { Int64(index * 5000 + $0) }
            try writer.addColumn("id", ids)
            try writer.addColumn("label", ids.map { "l\($0 % 7)" })
            try writer.finish()
            try create.add(finished: writer)
        }
        let dataset = try create.commit()
        let readers = try dataset.openAllShards()
        #expect(readers.map(\.formatVersion) == ["1.2", "1.1", "1.0"])
        #expect(try readers[0].info("id").codec == .zstd && readers[1].info("id").codec == .zlib)
        #expect(try ids(dataset) == (0..<15000).map(Int64.init))
        #expect(try readers[0].chunkedColumn("label").string(at: 4999) == "l1")
        try dataset.verify()
        #expect(try ColFileReader.open(folder.file("ds/_manifest-00000000000000000001.col")).formatVersion == "1.0")
    }

    /// A shard column of a type this library does not know (§9 step 14.2: a later version's shard)
    /// is refused when asked for, as in a single file, and its neighbours read; a writer never
    /// adds such a file, whose type the schema could not say.
    @Test func aShardColumnOfAnUnknownTypeIsRefusedOnlyWhenAskedFor() throws {
        let folder = try TemporaryFolder("dataset-unreadable")
        let spec = GoldenFixtures.named("spec-example").path
        let schema = try ColFileReader.open(spec).columns.map(DatasetColumn.init)
        var file = FileBytes(try Files.read(spec))
        file.store(200, ColumnRecordLayout.physicalType, at: file.recordOffset(0))
        file.resealDirectory()
        try Files.write(file.bytes, to: folder.file("later.col"))

        let create = try DatasetTransaction(creating: folder.file("ds"), schema: schema)
        let refused = #expect(throws: ColFileError.self) { try create.addFile(folder.file("later.col")) }
        #expect(refused?.code == .invalidArgument && refused?.column == schema[0].name)
        create.abandon()

        // As a later writer would publish it: the manifest names the file with its identity.
        try FileManager.default.createDirectory(atPath: folder.file("later"), withIntermediateDirectories: true)
        try Files.write(file.bytes, to: folder.file("later/s.col"))
        let reader = try ColFileReader.open(folder.file("later/s.col"))
        let shard = DatasetShard(name: "s.col", rowCount: reader.rowCount, fileBytes: reader.fileBytes, identity: reader.identity)
        try DatasetManifest(version: 1, schema: schema, metadata: [:], shards: [shard])
            .write(to: folder.file("later/_manifest-00000000000000000001.col"), syncsToDisk: false)
        let dataset = try ColFileDataset.open(folder.file("later"))
        let opened = try dataset.shard(at: 0)
        #expect(try opened.info(schema[0].name).unreadable?.code == .unknownPhysicalType)
        #expect(throws: ColFileError.self) { try opened.column(schema[0].name, as: Int32.self) }
        let names = try opened.stringColumn(schema[1].name)
        #expect(names.indices.map { names.value(at: $0) } == ["a", "bc", nil])
    }

    /// A dictionary-encoded column (Specification.md §6.4) fits the schema column of its values'
    /// kind (§14.3): the encoding is each shard's choice, as the codec is. A plain shard and an
    /// encoded one (String with a null, Date days) make one version whose schema says `String` and
    /// `Int32 Date`; reopened, both shards pass the reader's checks and give their rows.
    @Test func aDictionaryEncodedColumnFitsTheKindOfItsValues() throws {
        let folder = try TemporaryFolder("dataset-dictionary")
        let plain = try ColFileWriter(path: folder.file("plain.col"))
        try plain.addColumn("label", ["a", "b"])
        try plain.addColumn("day", [19_000, 19_001] as [Int32], logicalType: .date)
        try plain.finish()
        let encoded = try ColFileWriter(path: folder.file("encoded.col"))
        try encoded.addDictionaryColumn("label", encoding: ["b", nil, "c"])
        try encoded.addDictionaryColumn("day", indices: [1, 0, 1], dictionary: .values([19_000, 19_005] as [Int32]),
                                        logicalType: .date)
        try encoded.finish()
        let create = try DatasetTransaction(creating: folder.file("ds"))
        try create.addFile(folder.file("plain.col"))
        try create.addFile(folder.file("encoded.col"))
        let dataset = try create.commit()
        #expect(dataset.schema == [DatasetColumn(name: "label", physicalType: .string, isNullable: true),
                                   DatasetColumn(name: "day", physicalType: .int32, logicalType: .date)])

        let reopened = try ColFileDataset.open(folder.file("ds"))
        try reopened.verify()
        let shard = try reopened.shard(at: 1)
        let labels = try shard.dictionaryColumn("label")
        #expect((0..<labels.count).map { labels.string(at: $0) } == ["b", nil, "c"])
        let days = try shard.dictionaryColumn("day")
        #expect((0..<days.count).map { days.value(at: $0, as: Int32.self) } == [19_005, 19_000, 19_005])
    }

    /// A dictionary's value type is what must fit: a shard whose `label` is a dictionary of
    /// Binary does not join a dataset whose `label` is String, and the error says so.
    @Test func aDictionaryOfAnotherKindIsRefused() throws {
        let folder = try TemporaryFolder("dataset-dictionary-kind")
        try writeTable(folder.file("plain.col"), ids: [1, 2])
        let encoded = try ColFileWriter(path: folder.file("binary.col"))
        try encoded.addColumn("id", [3] as [Int64])
        try encoded.addDictionaryColumn("label", indices: [0], dictionary: .binary([[0x6c, 0x33]]))
        try encoded.finish()
        let create = try DatasetTransaction(creating: folder.file("ds"))
        try create.addFile(folder.file("plain.col"))
        let refused = #expect(throws: ColFileError.self) { try create.addFile(folder.file("binary.col")) }
        #expect(refused?.code == .invalidArgument)
        #expect(refused?.message == "the file does not fit the dataset's schema: column 'label' is Binary where the dataset's is String")
        create.abandon()
    }
}
