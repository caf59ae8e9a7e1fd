import ColFile
import ColFileTestSupport
import Testing

/// Option lists are read as one CSV record (ColFileCSV's `NameList`): `inspect --schema` spells
/// every name so that it reads back, and `--columns` reaches any name.
@Suite struct NameListCommandTests {
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
