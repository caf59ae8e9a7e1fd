import ColFile
import ColFileTestSupport
import Testing

/// ``ColFileDataset/statistics(_:)`` and ``ColumnStatistics/merging(_:)``: a dataset's figures are
/// those of one file of the same rows, whatever each shard's encoding, codec or nulls.
@Suite struct DatasetStatisticsTests {
    /// The rows of shard `shard` of three: ids, halves (exact sums), flags, labels with nulls,
    /// 2-element tensor rows.
    private struct Rows {
        var ids: [Int64?] = []
        var halves: [Double] = []
        var flags: [Bool?] = []
        var labels: [String?] = []
        var pairs: [Float] = []

        init(_ range: Range<Int>) {
            for row in range {
                ids.append(row % 5 == 0 ? nil : Int64(row) - 40)
                halves.append(Double(row) / 2)
                flags.append(row % 7 == 0 ? nil : row % 3 == 0)
                labels.append(row % 4 == 0 ? nil : String(repeating: "x", count: row % 6))
                pairs += [Float(row), -Float(row)]
            }
        }

        func write(to writer: ColFileWriter, encodingLabels: Bool) throws {
            try writer.addColumn("id", ids)
            try writer.addColumn("half", halves)
            try writer.addColumn("flag", flags)
            if encodingLabels {
                try writer.addDictionaryColumn("label", encoding: labels)
            } else {
                try writer.addColumn("label", labels)
            }
            try writer.addTensorColumn("pair", shape: [2], pairs)
        }
    }

    /// Five shards: labels dictionary-encoded in some, plain in others; the last one cold; one
    /// whose labels and flags are all null (row 28), one whose ids are (row 30).
    @Test func aDatasetsFiguresAreThoseOfOneFileOfItsRows() throws {
        let folder = try TemporaryFolder("dataset-statistics")
        let transaction = try DatasetTransaction(creating: folder.file("ds"))
        let ranges = [0..<28, 28..<29, 29..<30, 30..<31, 31..<100]
        for (index, range) in ranges.enumerated() {
            _ = try transaction.writeShard { writer in
                if index == ranges.count - 1 { writer.defaultCompression = .zlib(level: 6, chunkSize: 4096) }
                try Rows(range).write(to: writer, encodingLabels: index % 2 == 0)
            }
        }
        let dataset = try transaction.commit()
        let single = ColFileWriter.Options(syncsToDisk: false)
        let writer = try ColFileWriter(path: folder.file("one.col"), options: single)
        try Rows(0..<100).write(to: writer, encodingLabels: false)
        try writer.finish()
        let file = try ColFileReader.open(folder.file("one.col"))
        for name in ["id", "half", "flag", "label", "pair"] {
            #expect(try dataset.statistics(name) == file.statistics(name), "\(name)")
        }
        let only = try DatasetTransaction(creating: folder.file("one.ds"))
        _ = try only.writeShard { try Rows(0..<10).write(to: $0, encodingLabels: true) }
        #expect(try only.commit().statistics("label").distinctEntries == 5, "one shard keeps its distinct entries")
        let error = #expect(throws: ColFileError.self) { try dataset.statistics("nope") }
        #expect(error?.code == .noSuchColumn && error?.message == "no such column in the dataset")
    }
}
