import ColFile
import ColFileTestSupport
import Foundation
import Testing

@Suite struct ImportTests {
    /// Imports `csv` (written to a fresh folder) and returns the run and the output path.
    private func importing(_ csv: String, _ options: [String] = [], folder: TemporaryFolder) async throws
        -> (ProcessOutput, String) {
        let input = try CSVFixtures.write(csv, in: folder)
        let output = folder.file("out.col")
        let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"),
                                                 ["import", "--quiet"] + options + [input, output])
        return (result, output)
    }

    @Test func infersEveryTypeWithNulls() async throws {
        let folder = try TemporaryFolder("cli-import-types")
        let (result, path) = try await importing(CSVFixtures.small, folder: folder)
        #expect(result.exitCode == 0 && result.standardOutput.isEmpty && result.standardError.isEmpty)
        let reader = try ColFileReader.open(path)
        try reader.verify()
        #expect(try reader.columns.map(\.physicalType) == [.int64, .float64, .string, .bool, .int32, .int64])
        #expect(try reader.info("day").logicalType == .date)
        #expect(try reader.info("seen").logicalType == .timestamp(unit: .milliseconds, timeZone: "UTC"))
        #expect(Array(try reader.column("id", as: Int64.self)) == [1, 2, 3, 4])
        let score = try reader.column("score", as: Double.self)
        #expect((0..<4).map { score.value(at: $0) } == [2.5, nil, -1000, 0.125])
        let names = try reader.stringColumn("name")
        #expect((0..<4).map { names.value(at: $0) } == ["ann", "bob, jr", nil, "a very long name that goes on and on and on"])
        let ok = try reader.boolColumn("ok")
        #expect((0..<4).map { ok.value(at: $0) } == [true, false, true, nil])
        #expect(try reader.column("day", as: Int32.self).value(at: 0) == 19_724)
        let seen = try reader.column("seen", as: Int64.self)
        #expect(seen.value(at: 0) == 1_704_205_800_000 && seen.value(at: 1) == nil && seen.value(at: 2) == 946_684_800_250)
    }

    @Test func summaryNamesColumnsAndTypes() async throws {
        let folder = try TemporaryFolder("cli-import-summary")
        let input = try CSVFixtures.write("a,b\n1,x\n", in: folder)
        let result = try await ProcessRunner.colfile("import", input, folder.file("out.col"))
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.outputLines.first?.hasPrefix("imported 1 rows × 2 columns from \(input)") == true)
        #expect(Array(result.outputLines.dropFirst()) == ["  column  type    nulls", "  a       int64       0",
                                                           "  b       string      0"])
    }

    @Test func quotesDelimitersAndEmbeddedNewlines() async throws {
        let folder = try TemporaryFolder("cli-import-quotes")
        let csv = "text,n\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n\"\",4\n,5\n\"NA\",6\nNA,7\n5'10\",8\n"
        let (result, path) = try await importing(csv, folder: folder)
        #expect(result.exitCode == 0)
        let text = try ColFileReader.open(path).stringColumn("text")
        // A quoted field is never null: "" is the empty string and "NA" the text NA.
        #expect((0..<8).map { text.value(at: $0) } == ["a, b", "say \"hi\"", "two\nlines", "", nil, "NA", nil, "5'10\""])
    }

    @Test func quotedEmptyFieldIsNullInATypedColumn() async throws {
        let folder = try TemporaryFolder("cli-import-quoted-empty")
        let (result, path) = try await importing("n,s\n1,\"\"\n\"\",\"\"\n3,\n", folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        let n = try reader.column("n", as: Int64.self)
        #expect((0..<3).map { n.value(at: $0) } == [1, nil, 3])
        let s = try reader.stringColumn("s")
        #expect((0..<3).map { s.value(at: $0) } == ["", "", nil])
    }

    @Test(arguments: [
        ("a,b\n1,\"x\"y\n", "row 1: 'y' follows the closing quote of a quoted field (a quote inside a quoted field is written \"\")"),
        ("a,b\n1,2\n3,\"open\n4,5\n", "row 2: a quoted field is not closed before the end of the file"),
        ("\"a\"\"\n", "the header row: a quoted field is not closed before the end of the file"),
    ])
    func badQuotingIsAnErrorNamingTheRow(csv: String, message: String) async throws {
        let folder = try TemporaryFolder("cli-import-bad-quotes")
        let (result, path) = try await importing(csv, folder: folder)
        #expect(result.exitCode == 1)
        #expect(result.errorLines == ["colfile: \(folder.file("input.csv")): \(message)"])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func byteOrderMarkAndCRLF() async throws {
        let folder = try TemporaryFolder("cli-import-bom")
        let input = try CSVFixtures.write(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,a\r\n2,b\r\n".utf8),
                                          as: "bom.csv", in: folder)
        let output = folder.file("out.col")
        let result = try await ProcessRunner.colfile("import", "-q", input, output)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(output)
        #expect(try reader.columns.map(\.name) == ["id", "name"])
        #expect(Array(try reader.stringColumn("name")) == ["a", "b"])
        #expect(Array(try reader.column("id", as: Int64.self)) == [1, 2])
    }

    @Test func crAndMixedLineEndings() async throws {
        let folder = try TemporaryFolder("cli-import-cr")
        let (result, path) = try await importing("id,name\r1,a\r\n2,\"b\r\nc\"\n3,d", folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(Array(try reader.column("id", as: Int64.self)) == [1, 2, 3])
        #expect(Array(try reader.stringColumn("name")) == ["a", "b\r\nc", "d"])
    }

    /// Values and nulls across the importer's blocks of 4,096 rows land in the right rows.
    @Test func nullsAcrossBlocksStayInTheirRows() async throws {
        let folder = try TemporaryFolder("cli-import-blocks")
        let rows = 10_000
        var csv = "n,x,d\n"
        for row in 0..<rows {
            let isNull = row % 7 == 3 || (4_090..<4_100).contains(row)
            csv += isNull ? ",,\n" : "\(row),\(Double(row) / 4),2024-01-\(10 + row % 9)\n"
        }
        let (result, path) = try await importing(csv, folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        let n = try reader.column("n", as: Int64.self)
        let x = try reader.column("x", as: Double.self)
        let d = try reader.column("d", as: Int32.self)
        for row in 0..<rows {
            let isNull = row % 7 == 3 || (4_090..<4_100).contains(row)
            #expect(n.value(at: row) == (isNull ? nil : Int64(row)), "row \(row)")
            #expect(x.value(at: row) == (isNull ? nil : Double(row) / 4), "row \(row)")
            #expect(d.value(at: row) == (isNull ? nil : Int32(19_732 + row % 9)), "row \(row)")
        }
    }

    @Test func raggedRowIsAnErrorNamingTheRow() async throws {
        let folder = try TemporaryFolder("cli-import-ragged")
        let (result, path) = try await importing("a,b,c\n1,2,3\n4,5\n", folder: folder)
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == ["colfile: \(folder.file("input.csv")): row 2 has 2 fields, expected 3"])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func emptyFileIsAnError() async throws {
        let folder = try TemporaryFolder("cli-import-empty")
        let (result, _) = try await importing("", folder: folder)
        #expect(result.exitCode == 1)
        #expect(result.errorLines == ["colfile: \(folder.file("input.csv")): the file is empty (no header row and no data)"])
    }

    @Test func headerOnlyGivesEmptyStringColumns() async throws {
        let folder = try TemporaryFolder("cli-import-header-only")
        let (result, path) = try await importing("a,b\n", folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(reader.rowCount == 0)
        #expect(try reader.columns.map(\.name) == ["a", "b"])
        #expect(try reader.columns.map(\.physicalType) == [.string, .string])
    }

    @Test func allNullColumnIsAStringColumnOfNulls() async throws {
        let folder = try TemporaryFolder("cli-import-all-null")
        let (result, path) = try await importing("a,b\n1,\n2,NA\n3,null\n", folder: folder)
        #expect(result.exitCode == 0)
        let info = try ColFileReader.open(path).info("b")
        #expect(info.valueType == .string && info.nullCount == 3)
        // Its 1-byte indices (-1) take less than half of 4-byte offsets: the automatic rule encodes
        // it, with an empty dictionary (Specification.md §6.4: N = 0, every row null).
        #expect(info.dictionary?.entryCount == 0)
    }

    @Test func hugeField() async throws {
        let folder = try TemporaryFolder("cli-import-huge")
        let huge = String(repeating: "abcdefgh", count: 1 << 17) // 1 MiB
        let (result, path) = try await importing("id,blob\n1,\"\(huge)\"\n2,x\n", folder: folder)
        #expect(result.exitCode == 0)
        #expect(try ColFileReader.open(path).stringColumn("blob")[0] == huge)
    }

    @Test func noHeaderDelimiterAndNullValues() async throws {
        let folder = try TemporaryFolder("cli-import-options")
        let (result, path) = try await importing("1;-;x\n2;3;NA\n", ["--no-header", "--delimiter", ";",
                                                                      "--null-values", "-"], folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(try reader.columns.map(\.name) == ["column_1", "column_2", "column_3"])
        let second = try reader.column("column_2", as: Int64.self)
        #expect(second.value(at: 0) == nil && second.value(at: 1) == 3)
        #expect(Array(try reader.stringColumn("column_3")) == ["x", "NA"])
    }

    @Test func widensIntToFloatAfterTheSampleByReadingAgain() async throws {
        let folder = try TemporaryFolder("cli-import-widen")
        var csv = "n,d\n"
        for row in 0..<12_000 { csv += "\(row),2024-01-01\n" }
        csv += "0.5,2024-01-01T10:00:00.123456Z\n"
        let input = try CSVFixtures.write(csv, in: folder)
        let output = folder.file("out.col")
        let result = try await ProcessRunner.colfile("import", input, output)
        #expect(result.exitCode == 0)
        #expect(result.outputLines.last == "note: row 12001, column 'n': '0.5' did not fit int64, "
                + "so the file was read again with wider types")
        let reader = try ColFileReader.open(output)
        let n = try reader.column("n", as: Double.self)
        #expect(n[11_999] == 11_999 && n[12_000] == 0.5)
        #expect(try reader.info("d").logicalType == .timestamp(unit: .microseconds, timeZone: "UTC"))
        let d = try reader.column("d", as: Int64.self)
        #expect(d[0] == 1_704_067_200_000_000 && d[12_000] == 1_704_103_200_123_456)
    }

    @Test(arguments: [
        ("1\n2\nx\n", PhysicalType.string),          // int → string
        ("1\n2.5\n", .float64),                       // int → float
        ("1.5\n9007199254740993\n", .string),         // an int a float cannot hold exactly
        ("007\n1\n", .string),                        // leading zeros are kept as text
        ("true\n1\n", .string),                       // bool and int do not mix
        ("1e400\n", .string),                         // would overflow to infinity
        ("nan\n-inf\n1\n", .float64),
        ("99999999999999999999\n", .string),          // beyond Int64
    ])
    func widening(values: String, expected: PhysicalType) async throws {
        let folder = try TemporaryFolder("cli-import-widening")
        let (result, path) = try await importing("v\n" + values, folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(try reader.info("v").physicalType == expected)
        if expected == .string {
            let expectedTexts = values.split(separator: "\n").map(String.init)
            #expect(Array(try reader.stringColumn("v")) == expectedTexts)
        }
    }

    @Test func schemaForcesTypesAndReportsValuesThatDoNotFit() async throws {
        let folder = try TemporaryFolder("cli-import-schema")
        let (good, path) = try await importing("zip,n\n02134,1\n10001,2\n", ["--schema", "zip:string,n:float64"],
                                               folder: folder)
        #expect(good.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(Array(try reader.stringColumn("zip")) == ["02134", "10001"])
        #expect(Array(try reader.column("n", as: Double.self)) == [1, 2])

        let (bad, _) = try await importing("zip,n\n1,2\n3,x4\n", ["--schema", "n:int64"], folder: folder)
        #expect(bad.exitCode == 1)
        #expect(bad.errorLines == ["colfile: \(folder.file("input.csv")): row 2, column 'n': 'x4' is not a valid int64 "
                                   + "(the type given by --schema)"])
        let (unknown, _) = try await importing("a\n1\n", ["--schema", "b:int64"], folder: folder)
        #expect(unknown.exitCode == 2)
        #expect(unknown.errorLines == ["colfile: --schema: \(folder.file("input.csv")) has no column 'b' (columns: a)"])
        let (malformed, _) = try await importing("a\n1\n", ["--schema", "a:integer128"], folder: folder)
        #expect(malformed.exitCode == 2)
    }

    @Test func compressNamedColumnsMakesThemCold() async throws {
        let folder = try TemporaryFolder("cli-import-compress")
        var csv = "id,text\n"
        for row in 0..<2_000 { csv += "\(row),the same words again and again\n" }
        let (result, path) = try await importing(csv, ["--compress", "text"], folder: folder)
        #expect(result.exitCode == 0)
        let reader = try ColFileReader.open(path)
        #expect(try reader.info("text").codec == .zstd && reader.info("id").codec == .none)
        try reader.verify()
        let (unknown, _) = try await importing(csv, ["--compress", "nope"], folder: folder)
        #expect(unknown.exitCode == 2)
    }

    @Test func invalidUTF8AndMissingInput() async throws {
        let folder = try TemporaryFolder("cli-import-bad-input")
        let input = try CSVFixtures.write(bytes: Array("a\nok\n".utf8) + [0xFF, 0x0A], as: "bad.csv", in: folder)
        let bad = try await ProcessRunner.colfile("import", input, folder.file("out.col"))
        #expect(bad.exitCode == 1)
        #expect(bad.errorLines == ["colfile: \(input): row 2: the text is not valid UTF-8"])
        // "é" split by a delimiter: the record's bytes together are UTF-8, its fields are not.
        // (This was reported against the output file, as a misuse of the writer, exit status 2.)
        let split = try CSVFixtures.write(bytes: Array("a,b\n".utf8) + [0xC3, 0x2C, 0xA9, 0x0A], as: "split.csv", in: folder)
        let splitResult = try await ProcessRunner.colfile("import", split, folder.file("out.col"))
        #expect(splitResult.exitCode == 1)
        #expect(splitResult.errorLines == ["colfile: \(split): row 1: the text is not valid UTF-8"])
        let missing = try await ProcessRunner.colfile("import", folder.file("absent.csv"), folder.file("out.col"))
        #expect(missing.exitCode == 2)
        #expect(missing.errorLines == ["colfile: \(folder.file("absent.csv")): cannot open the file: No such file or directory"])
    }

    @Test func helpHasExamples() async throws {
        for command in ["import", "export", "head", "stats", "verify", "inspect", "demo", "harness", "bench", "clean",
                        "cache", "cache list", "cache trim", "cache clear"] {
            let words = command.split(separator: " ").map(String.init)
            let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), words + ["--help"])
            #expect(result.exitCode == 0, "\(command)")
            #expect(result.standardOutput.contains("Example"), "\(command)")
            #expect(result.standardOutput.contains("colfile \(command) ") || result.standardOutput.contains("colfile \(command)\n"),
                    "\(command)")
        }
    }
}
