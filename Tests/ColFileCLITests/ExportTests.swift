import ColFile
import ColFileTestSupport
import Foundation
import Testing

@Suite struct ExportTests {
    @Test func csvQuotesNullsFloatsAndTimestamps() async throws {
        let folder = try TemporaryFolder("cli-export-csv")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.colfile("export", path)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.standardOutput == """
            id,score,name,ok,day,seen
            1,2.5,ann,true,2024-01-02,2024-01-02T14:30:00.000Z
            2,,"bob, jr",false,2024-02-29,
            3,-1000.0,,true,1999-12-31,2000-01-01T00:00:00.250Z
            4,0.125,a very long name that goes on and on and on,,2024-01-02,2024-01-02T14:30:00.000Z

            """)
    }

    @Test func jsonLinesWithColumnsAndRows() async throws {
        let folder = try TemporaryFolder("cli-export-jsonl")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.colfile("export", "--format", "jsonl", "--columns", "name,score",
                                                     "--rows", "1..3", path)
        #expect(result.exitCode == 0)
        #expect(result.outputLines == ["{\"name\":\"bob, jr\",\"score\":null}", "{\"name\":null,\"score\":-1000.0}"])
        for line in result.outputLines {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
        let open = try await ProcessRunner.colfile("export", "--rows", "3..", "--columns", "id", path)
        #expect(open.outputLines == ["id", "4"])
        let bad = try await ProcessRunner.colfile("export", "--rows", "3-4", path)
        #expect(bad.exitCode == 2)
        let unknown = try await ProcessRunner.colfile("export", "--columns", "nope", path)
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorLines == ["colfile: \(path): column 'nope': no such column"])
    }

    /// A generated table of every imported type with nulls, strings with quotes, delimiters,
    /// newlines and non-ASCII text: import, export, import again gives the same values.
    @Test(arguments: [UInt64(1), 2, 3])
    func roundTripKeepsValues(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("cli-roundtrip")
        var csv = "i,f,b,d,t,s\n"
        let pieces = ["a", "é", ",", "\"", "\n", "z", " ", "✓", "x"]
        for _ in 0..<500 {
            func maybe(_ text: String) -> String { Int.random(in: 0..<6, using: &random) == 0 ? "" : text }
            // Some strings read as null when unquoted (empty, NA): export must quote them.
            let string = ["", "NA", "null"].randomElement(using: &random)!
                + (Int.random(in: 0..<4, using: &random) == 0 ? ""
                    : "s" + (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
            let fields = [
                maybe(String(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random))),
                maybe(String(Double.random(in: -1e6...1e6, using: &random) * pow(10, Double(Int.random(in: -20...20, using: &random))))),
                maybe(Bool.random(using: &random) ? "true" : "false"),
                maybe(CivilDateText.date(days: Int.random(in: -100_000...100_000, using: &random))),
                maybe(CivilDateText.date(days: Int.random(in: 0...30_000, using: &random)) + "T12:34:56."
                      + String(Int.random(in: 100...999, using: &random)) + "Z"),
                maybe("\"" + string.replacingOccurrences(of: "\"", with: "\"\"") + "\""),
            ]
            csv += fields.joined(separator: ",") + "\n"
        }
        let first = try CSVFixtures.write(csv, as: "first.csv", in: folder)
        #expect(try await ProcessRunner.colfile("import", "-q", first, folder.file("first.col")).exitCode == 0)
        let exported = try await ProcessRunner.colfile("export", folder.file("first.col"))
        #expect(exported.exitCode == 0)
        let second = try CSVFixtures.write(exported.standardOutput, as: "second.csv", in: folder)
        #expect(try await ProcessRunner.colfile("import", "-q", second, folder.file("second.col")).exitCode == 0)
        let before = try ColFileReader.open(folder.file("first.col"))
        let after = try ColFileReader.open(folder.file("second.col"))
        #expect(try before.columns.map(\.physicalType) == [.int64, .float64, .bool, .int32, .int64, .string], "seed \(seed)")
        #expect(try after.columns.map(\.physicalType) == before.columns.map(\.physicalType), "seed \(seed)")
        #expect(try after.columns.map(\.logicalType) == before.columns.map(\.logicalType), "seed \(seed)")
        let sums = [try await ProcessRunner.colfile("checksum", folder.file("first.col")),
                    try await ProcessRunner.colfile("checksum", folder.file("second.col"))]
        #expect(sums[0].exitCode == 0 && sums[0].standardOutput == sums[1].standardOutput, "seed \(seed)")
        let again = try await ProcessRunner.colfile("export", folder.file("second.col"))
        #expect(again.standardOutput == exported.standardOutput, "seed \(seed)")
    }

    @Test func closedPipeEndsQuietly() async throws {
        let folder = try TemporaryFolder("cli-export-pipe")
        let path = folder.file("big.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("x", (0..<300_000).map { Double($0) / 3 })
        try writer.finish()
        let tool = RepositoryPaths.executable("colfile")
        let result = try await ProcessRunner.run("/bin/bash", [
            "-c", "\"$0\" export \"$1\" | head -n 2; echo \"status ${PIPESTATUS[0]}\"", tool, path,
        ])
        #expect(result.outputLines == ["x", "0.0", "status 0"])
        #expect(result.standardError.isEmpty)
    }
}

/// Dates as text for generated CSV.
enum CivilDateText {
    /// `YYYY-MM-DD` of `days` after 1970-01-01 (years 1700 to 2240 for the ranges used here).
    static func date(days: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(days) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
