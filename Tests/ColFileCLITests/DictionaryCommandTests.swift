import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The tool on dictionary-encoded columns (Specification.md §6.4): the import's automatic rule and
/// its overrides, and head, stats, export, verify and inspect on the golden `dictionary.col`.
@Suite struct DictionaryCommandTests {
    /// 200 rows: `carrier` of 3 distinct values (encoding takes it to well under half), `id` of
    /// distinct values (encoding would not pay).
    private static let csv = "carrier,id\n" + (0..<200).map { "\(["UA", "AA", "B6"][$0 % 3]),row-\($0)\n" }.joined()

    private func imported(_ options: [String], in folder: TemporaryFolder) async throws -> ColFileReader {
        let input = try CSVFixtures.write(Self.csv, in: folder)
        let output = folder.file("out-\(options.count).col")
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"),
                                                 ["import", "--quiet"] + options + [input, output])
        #expect(result.exitCode == 0, "\(result.standardError)")
        return try ColFileReader.open(output)
    }

    @Test func importEncodesByTheRuleUnlessToldOtherwise() async throws {
        let folder = try TemporaryFolder("cli-dictionary-import")
        let automatic = try await imported([], in: folder)
        #expect(try automatic.info("carrier").dictionary
                == DictionaryEncoding(indexType: .int8, valueType: .string, entryCount: 3))
        #expect(try automatic.info("id").physicalType == .string)
        #expect(automatic.formatVersion == "1.2")
        try automatic.verify()
        let never = try await imported(["--dictionary", "never"], in: folder)
        #expect(try never.columns.map(\.physicalType) == [.string, .string])
        let forced = try await imported(["--schema", "carrier:string,id:dictionary(string)"], in: folder)
        #expect(try forced.info("carrier").physicalType == .string)
        #expect(try forced.info("id").dictionary?.entryCount == 200)
    }

    @Test func exportReadsRowsThroughTheDictionary() async throws {
        let path = RepositoryPaths.fixture("dictionary.col")
        let result = try await ProcessRunner.colfile("export", "--rows", "0..3", path)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        // Compared as bytes: row 1's text is "e\u{301}", which Swift's String == would take for "é".
        #expect(Array(result.standardOutput.utf8) == Array("""
            carrier,tag,price,day,none,text,plain,city-zstd
            UA,/wA=,1.5,2023-11-14,,é,0,Paris
            AA,"",,1969-12-31,,e\u{301},1000000007,Zürich
            ,wyg=,-0.0,1969-12-31,,"",2000000014,

            """.utf8))
    }

    @Test func headStatsVerifyAndInspect() async throws {
        let path = RepositoryPaths.fixture("dictionary.col")
        let head = try await ProcessRunner.colfile("head", "-n", "2", "--format", "jsonl", "--columns", "carrier,price", path)
        #expect(head.standardOutput == "{\"carrier\":\"UA\",\"price\":1.5}\n{\"carrier\":\"AA\",\"price\":null}\n")
        let table = try await ProcessRunner.colfile("head", "-n", "1", path)
        #expect(table.standardOutput.contains("dictionary(String)  dictionary(Binary)  dictionary(Float64)"))
        let stats = try await ProcessRunner.colfile("stats", path)
        let lines = stats.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        // nulls, min len, max len, total len, distinct (entries), read through the indices.
        #expect(lines.first { $0.first == "carrier" } == ["carrier", "dictionary(String)", "2", "2", "2", "16", "4"])
        #expect(lines.first { $0.first == "price" } == ["price", "dictionary(Float64)", "2", "-0.0", "1.5", "nan", "nan", "3"])
        let verify = try await ProcessRunner.colfile("verify", path)
        #expect(verify.exitCode == 0 && verify.standardOutput.hasPrefix("\(path): ok (8 columns, 10 rows"))
        let inspect = try await ProcessRunner.colfile("inspect", path)
        #expect(inspect.standardOutput.contains("String, 4 entries, Int8 indices"))
        #expect(inspect.standardOutput.contains("Float64, 3 entries, Int32 indices"))
        let schema = try await ProcessRunner.colfile("inspect", "--schema", path)
        #expect(schema.standardOutput.hasPrefix("carrier:dictionary(string),tag:dictionary(binary),price:float64,day:date"))
    }

    @Test func brokenIndexFailsEveryReadingCommand() async throws {
        let path = RepositoryPaths.fixture("broken/dictionary-index-past-end.col")
        for command in ["export", "head", "stats", "verify"] {
            let result = try await ProcessRunner.colfile(command, path)
            #expect(result.exitCode == 1, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("outside the dictionary"), "\(command): \(result.standardError)")
        }
    }
}
