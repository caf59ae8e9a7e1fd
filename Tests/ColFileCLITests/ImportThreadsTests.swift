import ColFile
import ColFileTestSupport
import Testing

/// `colfile import` converts the columns of each block of records on several threads. Whatever
/// the number of threads, the file written and the error reported must be the same. (CI also
/// runs an import of many blocks on 8 threads with colfile built with ThreadSanitizer; see
/// `.ci/run`.)
@Suite struct ImportThreadsTests {
    static let rows = 20_000

    /// A CSV of 12 columns of every inferred type over five blocks, with nulls, quoted empty
    /// strings, and a column that widens from Int64 to Float64 in its last block (the importer
    /// then reads the file again).
    static func csv() -> String {
        var lines = ["id,price,qty,flag,day,ts,name,note,code,ratio,late,empty"]
        for row in 0..<rows {
            let fields: [String] = [
                "\(row)",
                row % 11 == 0 ? "" : "\(Double(row) * 0.25)",
                row % 13 == 0 ? "NA" : "\(row % 1000)",
                row % 7 == 0 ? "" : (row % 2 == 0 ? "true" : "false"),
                "2024-0\(1 + row % 9)-1\(row % 10)",
                "2024-01-01T00:00:\(String(format: "%02d", row % 60)).\(row % 1000)Z",
                row % 5 == 0 ? "\"\"" : "name \(row % 37)",
                "\"note \(row), with a comma\"",
                String(format: "%05d", row % 500),
                row % 3 == 0 ? "" : "\(row % 17).5",
                row == rows - 10 ? "2.5" : "\(row)",
                "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func everyThreadCountWritesTheSameFile() async throws {
        let folder = try TemporaryFolder("cli-import-threads")
        let input = try CSVFixtures.write(Self.csv(), in: folder)
        var checksums: [String] = []
        for threads in ["1", "2", "8"] {
            let output = folder.file("out-\(threads).col")
            let result = try await ProcessRunner.colfile("import", "-q", "--threads", threads, input, output)
            #expect(result.exitCode == 0 && result.standardError.isEmpty, "\(threads): \(result.standardError)")
            let reader = try ColFileReader.open(output)
            try reader.verify()
            #expect(reader.rowCount == Self.rows)
            #expect(try reader.columns.map(\.valueType)
                    == [.int64, .float64, .int64, .bool, .int32, .int64, .string, .string, .string, .float64, .float64, .string])
            // The import's automatic rule: few distinct values (name, code) and nulls only (empty)
            // are dictionary-encoded; the distinct notes stay plain.
            #expect(try reader.columns.filter { $0.dictionary != nil }.map(\.name) == ["name", "code", "empty"])
            #expect(try reader.info("late").nullCount == 0 && reader.info("empty").nullCount == Self.rows)
            // Every value of every column (and its nulls), digested.
            let digest = try await ProcessRunner.colfile("checksum", output)
            #expect(digest.exitCode == 0 && digest.standardError.isEmpty && digest.outputLines.count == 12)
            checksums.append(digest.standardOutput)
        }
        #expect(checksums.count == 3 && checksums.allSatisfy { $0 == checksums[0] })
    }

    /// Values that are not of the `--schema` type in two columns: the one met first in the
    /// file's order is reported, though a thread may convert the other's column first.
    @Test(arguments: ["1", "2", "8"])
    func theFirstBadValueInRowOrderIsReported(threads: String) async throws {
        let folder = try TemporaryFolder("cli-import-threads-error")
        var lines = ["a,b,c"]
        for row in 1...10_000 {
            // In one block: b's bad value (converted first) comes after c's.
            lines.append("\(row),\(row == 6_000 ? "x" : "\(row)"),\(row == 5_000 || row == 9_500 ? "y" : "\(row)")")
        }
        try await expectBadValue(inColumnCAtRow: 5_000, importing: lines, threads: threads, in: folder)
    }

    /// The same across blocks: a thread done with a block's columns converts the next block's
    /// columns ahead (their outcomes count with that block's), and a column widening in an
    /// earlier block does not hide a bad value of another column later. Reported: the first
    /// bad value in row order, in the fourth block, though the other bad values of that block
    /// may be met first.
    @Test(arguments: ["1", "2", "8"])
    func theFirstBadValueAcrossBlocksIsReported(threads: String) async throws {
        let folder = try TemporaryFolder("cli-import-threads-blocks")
        var lines = ["a,b,c,d"]
        for row in 1...20_000 {
            // Past the sample's 10,000 records: d widens in the third block, b and c are bad in the fourth.
            let b = row == 14_000 || row == 17_500 ? "x" : "\(row)"
            let c = row == 13_700 ? "y" : "\(row)"
            let d = row == 11_000 ? "2.5" : "\(row % 100)"
            lines.append("text \(row) of a longer field,\(b),\(c),\(d)")
        }
        try await expectBadValue(inColumnCAtRow: 13_700, importing: lines, threads: threads, in: folder)
    }

    /// Imports `lines` with `--schema b:int64,c:int64` on `threads` threads and expects the one
    /// error about column `c`'s value 'y' at `row`, and nothing written.
    private func expectBadValue(inColumnCAtRow row: Int, importing lines: [String], threads: String,
                                in folder: TemporaryFolder) async throws {
        let input = try CSVFixtures.write(lines.joined(separator: "\n") + "\n", in: folder)
        let result = try await ProcessRunner.colfile("import", "-q", "--threads", threads, "--schema", "b:int64,c:int64",
                                                     input, folder.file("out.col"))
        #expect(result.exitCode == 1)
        #expect(result.standardError == "colfile: \(input): row \(row), column 'c': 'y' is not a valid int64 "
                + "(the type given by --schema)\n")
        #expect(try folder.contents() == ["input.csv"])
    }
}
