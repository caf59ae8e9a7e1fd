import ColFile
import Foundation

/// The dataset fixtures in `Fixtures/datasets/` (Specification.md §14.8, `Fixtures/README.md`): a
/// golden dataset of two versions with what a reader must return for each (`golden.json`), a
/// dataset whose shards store the same columns plain and dictionary-encoded (`dictionary.json`),
/// and broken datasets, each a folder with one deliberate fault, whose expected errors are in
/// `broken/catalog.json`. ``regenerate(in:)`` is the one source of all their files.
public enum DatasetFixtures {
    /// `Fixtures/datasets`.
    public static var folder: String { RepositoryPaths.fixture("datasets") }
    /// The golden dataset's folder.
    public static var golden: String { folder + "/golden" }
    /// What a reader must return for each version of the golden dataset.
    public static var goldenJSON: String { folder + "/golden.json" }
    /// The dictionary dataset's folder: one version of a plain shard and a dictionary-encoded one
    /// (Specification.md §14.3: the encoding is each shard's choice).
    public static var dictionary: String { folder + "/dictionary" }
    /// What a reader must return for the dictionary dataset.
    public static var dictionaryJSON: String { folder + "/dictionary.json" }
    /// The dictionary dataset's rows: its shards' names, `label` (String, one null) and `day`
    /// (Date, Int32 days) values.
    public static let dictionaryShards: [(name: String, labels: [String?], days: [Int32])] = [
        ("plain.col", ["red", "green"], [19_000, 19_001]),
        ("encoded.col", ["green", nil, "red", "green"], [19_001, 19_002, 19_001, 19_000]),
    ]
    /// The folder of a broken dataset.
    public static func broken(_ name: String) -> String { folder + "/broken/" + name }

    /// One entry of `broken/catalog.json`.
    public struct Broken: Decodable, Sendable {
        /// The dataset is `broken/NAME/`.
        public var name: String
        /// The error code a reader must report.
        public var code: String
        /// `open`: opening the newest version fails; `shards`: it opens, opening its shards fails.
        public var stage: String
        /// The file (relative to the dataset's folder) the error names.
        public var file: String
        /// The error's text after `PATH: `.
        public var message: String
    }

    /// The broken datasets, in catalog order.
    public static func catalog() throws -> [Broken] {
        try JSONDecoder().decode([Broken].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/broken/catalog.json")))
    }

    /// A fixed file id: 16 bytes `seed, seed + 1, …`.
    static func fileID(_ seed: UInt8) -> [UInt8] { (0..<16).map { seed &+ UInt8($0) } }

    /// Writes a shard of the golden dataset: `id` (Int64), `price` (Float64, 1.5 × id), `label`
    /// (String, nullable when a label is nil), `ts` (Timestamp(ms, UTC), 1000 × id) and `emb`
    /// (Float32 [2]: id, −id).
    static func writeShard(_ path: String, ids: [Int64], labels: [String?], seed: UInt8) throws {
        let writer = try ColFileWriter(path: path, options: .init(fileID: fileID(seed)))
        try writer.addColumn("id", ids)
        try writer.addColumn("price", ids.map { Double($0) * 1.5 })
        if labels.contains(where: { $0 == nil }) {
            try writer.addColumn("label", labels)
        } else {
            try writer.addColumn("label", labels.map { $0! })
        }
        try writer.addColumn("ts", ids.map { $0 * 1000 }, logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
        try writer.addTensorColumn("emb", shape: [2], ids.flatMap { [Float($0), -Float($0)] })
        try writer.finish()
    }

    /// A manifest's content, written with `ColFileWriter` directly so that the broken fixtures can
    /// break any rule of Specification.md §14.2.
    struct ManifestContent {
        var metadata: [String: String]
        var shards: [DatasetShard]
        var omittedColumn: String?

        func write(to path: String, seed: UInt8) throws {
            let writer = try ColFileWriter(path: path, options: .init(fileID: fileID(seed)))
            writer.metadata = metadata
            try writer.addColumn("name", shards.map(\.name))
            try writer.addColumn("rows", shards.map { UInt64($0.rowCount) })
            try writer.addColumn("bytes", shards.map { UInt64($0.fileBytes) })
            if omittedColumn != "fileID" {
                try writer.addTensorColumn("fileID", shape: [16], shards.flatMap(\.identity.fileID))
            }
            try writer.addColumn("directoryCRC", shards.map(\.identity.directoryChecksum))
            try writer.finish()
        }
    }

    /// Writes every dataset fixture into `root` (default `Fixtures/datasets`).
    public static func regenerate(in root: String = folder) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: root + "/golden")
        try fileManager.createDirectory(atPath: root + "/golden", withIntermediateDirectories: true)
        let golden = root + "/golden"
        try writeShard(golden + "/a.col", ids: [1, 2, 3], labels: ["one", "two", "three"], seed: 0x10)
        try writeShard(golden + "/b.col", ids: [4, 5], labels: ["four", "five"], seed: 0x20)
        try writeShard(golden + "/c.col", ids: [6, 7], labels: ["six", nil], seed: 0x30)
        try fileManager.copyItem(atPath: golden + "/a.col", toPath: golden + "/a-2.col")
        let first = try ColFileReader.open(golden + "/a.col").columns.map(DatasetColumn.init)
        var nullable = first
        nullable[2].isNullable = true
        let versions = [
            DatasetManifest(version: 1, schema: first, metadata: ["source": "golden"],
                            shards: try ["a.col", "b.col"].map { try shard($0, in: golden) }),
            DatasetManifest(version: 2, schema: nullable, metadata: ["source": "golden", "note": "b.col replaced"],
                            shards: try ["a.col", "c.col", "a-2.col"].map { try shard($0, in: golden) }),
        ]
        for manifest in versions {
            try manifest.write(to: golden + "/_manifest-0000000000000000000\(manifest.version).col", syncsToDisk: false,
                               fileID: fileID(0xA0 + UInt8(manifest.version)))
        }
        try Files.write(Array("2\n".utf8), to: golden + "/_latest")
        let goldenJSON = try describe(versions) { manifest in
            let firstIDs = ["a.col": 1, "a-2.col": 1, "b.col": 4, "c.col": 6]
            return ["ids": manifest.shards.flatMap { shard in (0..<shard.rowCount).map { firstIDs[shard.name]! + $0 } }]
        }
        try Files.write(Array(goldenJSON.utf8), to: root + "/golden.json")
        try regenerateDictionary(in: root)
        try regenerateBroken(in: root + "/broken", golden: golden, dictionary: root + "/dictionary")
    }

    /// The manifest entry of the file `name` in `folder`.
    static func shard(_ name: String, in folder: String) throws -> DatasetShard {
        let reader = try ColFileReader.open(folder + "/" + name)
        return DatasetShard(name: name, rowCount: reader.rowCount, fileBytes: reader.fileBytes, identity: reader.identity)
    }

    /// Writes the dictionary dataset (``dictionaryShards``) and `dictionary.json` into `root`:
    /// `plain.col` stores `label` and `day` plain, `encoded.col` dictionary-encoded (a dictionary
    /// of String with a null row, and one of Int32 Date days); the schema says `String` and
    /// `Int32 Date`.
    static func regenerateDictionary(in root: String) throws {
        let dataset = root + "/dictionary"
        try? FileManager.default.removeItem(atPath: dataset)
        try FileManager.default.createDirectory(atPath: dataset, withIntermediateDirectories: true)
        let (plainRows, encodedRows) = (dictionaryShards[0], dictionaryShards[1])
        let plain = try ColFileWriter(path: dataset + "/" + plainRows.name, options: .init(fileID: fileID(0x40)))
        try plain.addColumn("label", plainRows.labels.map { $0! })
        try plain.addColumn("day", plainRows.days, logicalType: .date)
        try plain.finish()
        let encoded = try ColFileWriter(path: dataset + "/" + encodedRows.name, options: .init(fileID: fileID(0x50)))
        try encoded.addDictionaryColumn("label", encoding: encodedRows.labels)
        let days = encodedRows.days.reduce(into: [Int32]()) { entries, day in if !entries.contains(day) { entries.append(day) } }
        try encoded.addDictionaryColumn("day", indices: encodedRows.days.map { days.firstIndex(of: $0) },
                                        dictionary: .values(days), logicalType: .date)
        try encoded.finish()
        let schema = try ColFileReader.open(dataset + "/" + encodedRows.name).columns.map(DatasetColumn.init)
        let manifest = DatasetManifest(version: 1, schema: schema, metadata: ["source": "dictionary"],
                                       shards: try dictionaryShards.map { try shard($0.name, in: dataset) })
        try manifest.write(to: dataset + "/_manifest-00000000000000000001.col", syncsToDisk: false, fileID: fileID(0xC1))
        try Files.write(Array("1\n".utf8), to: dataset + "/_latest")
        let json = try describe([manifest]) { _ in
            ["labels": dictionaryShards.flatMap { $0.labels.map { $0 ?? NSNull() as Any } },
             "days": dictionaryShards.flatMap(\.days), "dictionaryEncoded": [encodedRows.name]]
        }
        try Files.write(Array(json.utf8), to: root + "/dictionary.json")
    }

    /// The JSON of `golden.json` and `dictionary.json`: per version, what `colfile dataset inspect
    /// --json` prints (without `path`) and the keys `values` gives (the rows a reader must return).
    static func describe(_ versions: [DatasetManifest], values: (DatasetManifest) -> [String: Any]) throws -> String {
        let objects: [[String: Any]] = versions.map { manifest in
            var row = 0
            let shards: [[String: Any]] = manifest.shards.map { shard in
                defer { row += shard.rowCount }
                let crc = String(shard.identity.directoryChecksum, radix: 16)
                return ["name": shard.name, "rows": shard.rowCount, "firstRow": row, "fileBytes": shard.fileBytes,
                        "fileId": shard.identity.fileIDHex,
                        "directoryCRC": String(repeating: "0", count: 8 - crc.count) + crc,
                        "identity": shard.identity.description]
            }
            let schema: [[String: Any]] = manifest.schema.map { column in
                var object: [String: Any] = ["name": column.name, "type": column.physicalType.description,
                                             "shape": column.shape, "nullable": column.isNullable, "logicalType": "none"]
                if case .timestamp(let unit, let zone) = column.logicalType {
                    object["logicalType"] = "Timestamp"
                    object["timeUnit"] = unit.description
                    if let zone { object["timeZone"] = zone }
                } else if column.logicalType == .date {
                    object["logicalType"] = "Date"
                }
                return object
            }
            let description: [String: Any] = ["version": manifest.version, "rows": row,
                                              "fileBytes": manifest.shards.reduce(0) { $0 + $1.fileBytes },
                                              "metadata": manifest.metadata, "schema": schema, "shards": shards]
            return description.merging(values(manifest)) { first, _ in first }
        }
        let data = try JSONSerialization.data(withJSONObject: ["versions": objects],
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes each broken dataset: version 1 of the golden dataset with one fault, and the encoded
    /// shard of the dictionary dataset under a schema whose `label` is Binary (a reader must
    /// compare the dictionary's value type, not the physical type Dictionary).
    static func regenerateBroken(in root: String, golden: String, dictionary: String) throws {
        let fileManager = FileManager.default
        let schemaText = try ColFileReader.open(golden + "/_manifest-00000000000000000001.col")
            .metadata["colfile.dataset.schema"]!
        let baseMetadata = ["colfile.dataset.layout": "1", "colfile.dataset.version": "1",
                            "colfile.dataset.schema": schemaText, "source": "golden"]
        typealias Edit = (inout ManifestContent, String) throws -> Void
        let cases: [(String, [String], Edit)] = [
            ("layout-2", ["a.col", "b.col"], { content, _ in content.metadata["colfile.dataset.layout"] = "2" }),
            ("version-differs", ["a.col", "b.col"], { content, _ in content.metadata["colfile.dataset.version"] = "2" }),
            ("schema-not-json", ["a.col", "b.col"], { content, _ in
                content.metadata["colfile.dataset.schema"] = String(schemaText.dropLast())
            }),
            ("schema-unknown-type", ["a.col", "b.col"], { content, _ in
                content.metadata["colfile.dataset.schema"] = schemaText.replacingOccurrences(of: "\"Int64\"", with: "\"Int128\"")
            }),
            ("shard-name-twice", ["a.col"], { content, _ in content.shards.append(content.shards[0]) }),
            ("shard-name-with-slash", ["a.col"], { content, _ in content.shards[0].name = "../a.col" }),
            ("no-fileid-column", ["a.col", "b.col"], { content, _ in content.omittedColumn = "fileID" }),
            ("shard-replaced", ["a.col", "b.col"], { _, folder in
                try fileManager.removeItem(atPath: folder + "/a.col")
                try fileManager.copyItem(atPath: golden + "/b.col", toPath: folder + "/a.col")
            }),
            ("shard-rows-differ", ["a.col", "b.col"], { content, _ in content.shards[1].rowCount = 3 }),
            ("shard-type-differs", ["a.col", "b.col"], { content, _ in
                content.metadata["colfile.dataset.schema"] = schemaText.replacingOccurrences(of: "\"Float64\"", with: "\"Float32\"")
            }),
            ("shard-nulls-not-nullable", ["a.col", "c.col"], { _, _ in }),
        ]
        func write(_ name: String, copying shardNames: [String], from source: String, metadata: [String: String],
                   edit: Edit) throws {
            let folder = root + "/" + name
            try? fileManager.removeItem(atPath: folder)
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for shardName in shardNames {
                try fileManager.copyItem(atPath: source + "/" + shardName, toPath: folder + "/" + shardName)
            }
            var content = ManifestContent(metadata: metadata, shards: try shardNames.map { try shard($0, in: folder) })
            try edit(&content, folder)
            try content.write(to: folder + "/_manifest-00000000000000000001.col", seed: 0xB0)
        }
        for (name, shardNames, edit) in cases {
            try write(name, copying: shardNames, from: golden, metadata: baseMetadata, edit: edit)
        }
        let dictionarySchema = try ColFileReader.open(dictionary + "/_manifest-00000000000000000001.col")
            .metadata["colfile.dataset.schema"]!
        let binaryLabels = dictionarySchema.replacingOccurrences(of: "\"type\":\"String\"", with: "\"type\":\"Binary\"")
        try write("shard-dictionary-kind-differs", copying: ["encoded.col"], from: dictionary,
                  metadata: ["colfile.dataset.layout": "1", "colfile.dataset.version": "1",
                             "colfile.dataset.schema": binaryLabels, "source": "dictionary"],
                  edit: { _, _ in })
    }
}
