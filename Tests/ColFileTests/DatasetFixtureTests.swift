import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The dataset fixtures (`Fixtures/datasets/`, Specification.md §14.8): the golden dataset reads
/// as `golden.json` says, its manifests are what the library's encoder writes, and each broken
/// dataset fails with its catalog entry's code and message.
@Suite struct DatasetFixtureTests {
    /// Writes the dataset fixtures again, only when `COLFILE_REGENERATE_FIXTURES=1`
    /// (`Tools/regenerate-fixtures.sh`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_REGENERATE_FIXTURES"] == "1"))
    func regenerateDatasetFixtures() throws {
        try DatasetFixtures.regenerate()
    }

    /// One version of `golden.json`.
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
        var ids: [Int64]
    }

    private func goldenVersions() throws -> [GoldenVersion] {
        struct Root: Decodable { var versions: [GoldenVersion] }
        return try JSONDecoder().decode(Root.self, from: Data(contentsOf: URL(fileURLWithPath: DatasetFixtures.goldenJSON)))
            .versions
    }

    @Test func goldenDatasetReadsAsItsJSONSays() throws {
        let versions = try goldenVersions()
        #expect(versions.map(\.version) == [1, 2])
        #expect(try ColFileDataset.open(DatasetFixtures.golden).version == 2)
        for expected in versions {
            let dataset = try ColFileDataset.open(DatasetFixtures.golden, version: expected.version)
            #expect(dataset.rowCount == expected.rows && dataset.fileBytes == expected.fileBytes)
            #expect(dataset.metadata == expected.metadata)
            let schema = dataset.schema.map { column -> GoldenVersion.Column in
                var unit: String?
                var zone: String?
                var logical = "none"
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
            var ids: [Int64] = []
            for index in dataset.shards.indices {
                ids += try Array(dataset.shard(at: index).column("id", as: Int64.self).values)
            }
            #expect(ids == expected.ids)
            try dataset.verify()
        }
    }

    /// The committed manifests are, byte for byte, what the library writes for the versions
    /// they hold (the Python package's test checks its writer the same way).
    @Test(arguments: [1, 2])
    func goldenManifestIsWhatTheWriterWrites(version: Int) throws {
        let path = DatasetFixtures.golden + "/_manifest-0000000000000000000\(version).col"
        let committed = try ColFileReader.open(path)
        let dataset = try ColFileDataset.open(DatasetFixtures.golden, version: version)
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
