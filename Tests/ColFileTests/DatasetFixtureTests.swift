import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The dataset fixtures (`Fixtures/datasets/`, Specification.md §14.8): the golden and dictionary
/// datasets read as their JSON says, their manifests are what the library's encoder writes, and
/// each broken dataset fails with its catalog entry's code and message.
@Suite struct DatasetFixtureTests {
    /// Writes the dataset fixtures again, only when `COLFILE_REGENERATE_FIXTURES=1`
    /// (`Tools/regenerate-fixtures.sh`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_REGENERATE_FIXTURES"] == "1"))
    func regenerateDatasetFixtures() throws {
        try DatasetFixtures.regenerate()
    }

    /// One version of `golden.json` or `dictionary.json`.
    private struct GoldenVersion: Decodable {
        struct Shard: Decodable, Equatable {
            var name: String
            var rows: Int
            var firstRow: Int
            var fileBytes: Int
            var fileId: String
            var directoryCRC: String
            var identity: String
        }
        struct Column: Decodable, Equatable {
            var name: String
            var type: String
            var logicalType: String
            var timeUnit: String?
            var timeZone: String?
            var shape: [Int]
            var nullable: Bool
        }
        var version: Int
        var rows: Int
        var fileBytes: Int
        var metadata: [String: String]
        var schema: [Column]
        var shards: [Shard]
        /// golden.json: the `id` column's values in row order.
        var ids: [Int64]?
        /// dictionary.json: the `label` and `day` columns' values in row order, and the shards
        /// that store them dictionary-encoded.
        var labels: [String?]?
        var days: [Int32]?
        var dictionaryEncoded: [String]?
    }

    private func versions(_ path: String) throws -> [GoldenVersion] {
        struct Root: Decodable { var versions: [GoldenVersion] }
        return try JSONDecoder().decode(Root.self, from: Data(contentsOf: URL(fileURLWithPath: path))).versions
    }

    /// Checks what `dataset` says of itself (size, metadata, schema, shards) against `expected`,
    /// and verifies it.
    private func check(_ dataset: ColFileDataset, _ expected: GoldenVersion) throws {
        #expect(dataset.rowCount == expected.rows && dataset.fileBytes == expected.fileBytes)
        #expect(dataset.metadata == expected.metadata)
        let schema = dataset.schema.map { column -> GoldenVersion.Column in
            var unit: String?
            var zone: String?
            var logical = column.logicalType == .date ? "Date" : "none"
            if case .timestamp(let timeUnit, let timeZone) = column.logicalType {
                (logical, unit, zone) = ("Timestamp", timeUnit.description, timeZone)
            }
            return .init(name: column.name, type: column.physicalType.description, logicalType: logical,
                         timeUnit: unit, timeZone: zone, shape: column.shape, nullable: column.isNullable)
        }
        #expect(schema == expected.schema)
        let shards = dataset.shards.map { shard -> GoldenVersion.Shard in
            let crc = String(shard.identity.directoryChecksum, radix: 16)
            return .init(name: shard.name, rows: shard.rowCount, firstRow: shard.firstRow, fileBytes: shard.fileBytes,
                         fileId: shard.identity.fileIDHex,
                         directoryCRC: String(repeating: "0", count: 8 - crc.count) + crc,
                         identity: shard.identity.description)
        }
        #expect(shards == expected.shards)
        try dataset.verify()
    }

    @Test func goldenDatasetReadsAsItsJSONSays() throws {
        let versions = try versions(DatasetFixtures.goldenJSON)
        #expect(versions.map(\.version) == [1, 2])
        #expect(try ColFileDataset.open(DatasetFixtures.golden).version == 2)
        for expected in versions {
            let dataset = try ColFileDataset.open(DatasetFixtures.golden, version: expected.version)
            try check(dataset, expected)
            var ids: [Int64] = []
            for index in dataset.shards.indices {
                ids += try Array(dataset.shard(at: index).column("id", as: Int64.self).values)
            }
            #expect(ids == expected.ids)
        }
    }

    /// The dictionary dataset: one shard stores `label` and `day` plain, the other
    /// dictionary-encoded, and the schema says the values' kinds (Specification.md §14.3); each
    /// shard's rows read through the view its encoding needs.
    @Test func dictionaryDatasetReadsAsItsJSONSays() throws {
        let expected = try #require(try versions(DatasetFixtures.dictionaryJSON).first)
        let dataset = try ColFileDataset.open(DatasetFixtures.dictionary)
        try check(dataset, expected)
        var labels: [String?] = []
        var days: [Int32?] = []
        var encoded: [String] = []
        for (index, shard) in dataset.shards.enumerated() {
            let reader = try dataset.shard(at: index)
            #expect(try reader.info("label").isDictionaryEncoded == reader.info("day").isDictionaryEncoded)
            if try reader.info("label").isDictionaryEncoded {
                encoded.append(shard.name)
                let label = try reader.dictionaryColumn("label")
                let day = try reader.dictionaryColumn("day")
                labels += (0..<label.count).map { label.string(at: $0) }
                days += (0..<day.count).map { day.value(at: $0, as: Int32.self) }
            } else {
                let label = try reader.stringColumn("label")
                labels += label.indices.map { label.value(at: $0) }
                days += try Array(reader.column("day", as: Int32.self).values)
            }
        }
        #expect(labels == expected.labels && days == expected.days?.map { $0 })
        #expect(encoded == expected.dictionaryEncoded)
        // One view for both encodings.
        let anyLabels = try dataset.shards.indices.flatMap { Array(try dataset.shard(at: $0).anyStringColumn("label")) }
        let anyDays = try dataset.shards.indices.flatMap { Array(try dataset.shard(at: $0).anyColumn("day", as: Int32.self)) }
        #expect(anyLabels == expected.labels && anyDays == expected.days?.map { $0 })
    }

    /// The committed manifests are, byte for byte, what the library writes for the versions
    /// they hold (the Python package's test checks its writer the same way).
    @Test(arguments: [(DatasetFixtures.golden, 1), (DatasetFixtures.golden, 2), (DatasetFixtures.dictionary, 1)])
    func manifestIsWhatTheWriterWrites(folder: String, version: Int) throws {
        let path = folder + "/_manifest-0000000000000000000\(version).col"
        let committed = try ColFileReader.open(path)
        let dataset = try ColFileDataset.open(folder, version: version)
        let folder = try TemporaryFolder("golden-manifest")
        let manifest = DatasetManifest(version: version, schema: dataset.schema, metadata: dataset.metadata,
                                       shards: dataset.shards)
        try manifest.write(to: folder.file("manifest.col"), syncsToDisk: false, fileID: committed.identity.fileID)
        #expect(try Files.read(folder.file("manifest.col")) == (try Files.read(path)))
    }

    @Test(arguments: try DatasetFixtures.catalog().map(\.name))
    func brokenDatasetFailsWithItsError(name: String) throws {
        let entry = try #require(try DatasetFixtures.catalog().first { $0.name == name })
        let folder = DatasetFixtures.broken(name)
        let error = #expect(throws: ColFileError.self, "\(name)") {
            let dataset = try ColFileDataset.open(folder)
            #expect(entry.stage == "shards", "\(name): opens, but must fail at \(entry.stage)")
            try dataset.openAllShards()
        }
        #expect(error?.code.rawValue == entry.code, "\(name)")
        #expect(error?.description == "\(folder)/\(entry.file): \(entry.message)", "\(name)")
    }

    /// Every dataset error a file can cause has a broken dataset; every code a dataset's files
    /// cannot cause is tested by ``DatasetTests``.
    @Test func everyDatasetFileErrorHasABrokenDataset() throws {
        let covered = Set(try DatasetFixtures.catalog().map(\.code))
        #expect(covered == [ColFileError.Code.badManifest.rawValue, ColFileError.Code.shardMismatch.rawValue])
    }
}
