@testable import colfile
import ColFile
import ColFileTestSupport
import Testing

/// Option lists (`--columns`, `--compress`, `--schema`) are read as one CSV record, so any column
/// name can be given, and `inspect --schema` spells every name so that it reads back.
@Suite struct NameListTests {
    @Test(arguments: [
        ("a,b", ["a", "b"]),
        ("a", ["a"]),
        ("", [""]),
        ("a,,b", ["a", "", "b"]),
        ("\"a,b\",c", ["a,b", "c"]),
        ("\"say \"\"hi\"\"\",x", ["say \"hi\"", "x"]),
        ("5'10\",x", ["5'10\"", "x"]),
        ("\"\",x", ["", "x"]),
        ("\"a,b:int64\",c:date", ["a,b:int64", "c:date"]),
        ("é,ü", ["é", "ü"]),
    ])
    func splitsLikeACSVRecord(text: String, items: [String]) throws {
        #expect(try NameList.split(text, option: "--columns") == items)
    }

    @Test(arguments: [
        ("\"a,b", "--columns: a quoted name is not closed (write a quote inside one as \"\")"),
        ("\"a\"b,c", "--columns: text follows the closing quote of a quoted name"),
    ])
    func badQuotingIsRefused(text: String, message: String) {
        let failure = #expect(throws: ToolFailure.self) { try NameList.split(text, option: "--columns") }
        #expect(failure?.description == message)
    }

    @Test(arguments: ["plain", "a,b", "\"quoted\"", "in \"the\" middle", ",", "\"", ""])
    func spellingReadsBack(name: String) throws {
        #expect(try NameList.split(NameList.spelling(name) + "," + NameList.spelling(name), option: "x") == [name, name])
    }

    /// A CSV whose header has a comma and a quote in its names: inspect --schema spells them, the
    /// export imports back with that schema to the same values, and --columns reaches them.
    @Test func namesWithCommasRoundTrip() async throws {
        let folder = try TemporaryFolder("cli-name-list")
        let input = try CSVFixtures.write("\"price, usd\",\"\"\"q\"\"\",n\n1.5,x,1\n2.25,y,2\n", in: folder)
        let output = folder.file("a.col")
        #expect(try await ProcessRunner.colfile("import", "-q", input, output).exitCode == 0)
        let schema = try await ProcessRunner.colfile("inspect", "--schema", output)
        #expect(schema.exitCode == 0 && schema.standardError.isEmpty)
        #expect(schema.standardOutput == "\"price, usd:float64\",\"\"\"q\"\":string\",n:int64\n")
        let exported = try await ProcessRunner.colfile("export", output)
        let again = try CSVFixtures.write(exported.standardOutput, as: "again.csv", in: folder)
        let back = try await ProcessRunner.colfile("import", "-q", "--schema", String(schema.standardOutput.dropLast()),
                                                   "--compress", "\"price, usd\"", again, folder.file("b.col"))
        #expect(back.exitCode == 0 && back.standardError.isEmpty, "\(back.standardError)")
        let sums = [try await ProcessRunner.colfile("checksum", output),
                    try await ProcessRunner.colfile("checksum", folder.file("b.col"))]
        #expect(sums[0].exitCode == 0 && sums[0].standardOutput == sums[1].standardOutput)
        #expect(try ColFileReader.open(folder.file("b.col")).info("price, usd").isCompressed)
        let head = try await ProcessRunner.colfile("head", "--format", "csv", "--columns", "n,\"price, usd\"", output)
        #expect(head.standardOutput == "n,\"price, usd\"\n1,1.5\n2,2.25\n")
        let bad = try await ProcessRunner.colfile("head", "--columns", "\"price, usd", output)
        #expect(bad.exitCode == 2)
        #expect(bad.standardError == "colfile: --columns: a quoted name is not closed (write a quote inside one as \"\")\n")
    }
}
