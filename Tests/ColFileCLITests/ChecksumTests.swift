import ColFileTool
import ColFile
import ColFileTestSupport
import Testing

@Suite struct ChecksumTests {
    @Test func sameFileGivesSameOutputTwice() async throws {
        let folder = try TemporaryFolder("cli-checksum")
        let path = try SampleFile.write(in: folder)
        let first = try await ProcessRunner.colfile("checksum", path)
        let second = try await ProcessRunner.colfile("checksum", path)
        #expect(first.exitCode == 0 && first.standardError.isEmpty)
        #expect(first == second)
        #expect(first.outputLines.map { $0.split(separator: " ")[0] }.map(String.init) == SampleFile.columnNames)
        #expect(first.outputLines.allSatisfy { $0.split(separator: " ")[1] == "100" })
        #expect(first.outputLines.allSatisfy { $0.split(separator: " ")[2].count == 16 })
    }

    @Test func chosenColumnsInTheOrderGiven() async throws {
        let folder = try TemporaryFolder("cli-checksum-columns")
        let path = try SampleFile.write(in: folder)
        let all = try await ProcessRunner.colfile("checksum", path)
        let chosen = try await ProcessRunner.colfile("checksum", "--columns", "vec,price", path)
        #expect(chosen.exitCode == 0)
        #expect(chosen.outputLines == [all.outputLines[6], all.outputLines[0]])
    }

    @Test func unknownColumnIsAUsageError() async throws {
        let folder = try TemporaryFolder("cli-checksum-unknown")
        let path = try SampleFile.write(in: folder)
        let result = try await ProcessRunner.colfile("checksum", "--columns", "price,nope", path)
        #expect(result.exitCode == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines == ["colfile: \(path): column 'nope': no such column"])
    }

    @Test func changedValueChangesOnlyItsColumn() async throws {
        let folder = try TemporaryFolder("cli-checksum-change")
        let original = try SampleFile.write(in: folder)
        let changed = folder.file("changed.col")
        let writer = try ColFileWriter(path: changed)
        let reader = try ColFileReader.open(original)
        try writer.addColumn("count", (0..<SampleFile.rows).map { Int32($0 * 3 - 50) })
        let names = try reader.stringColumn("name")
        try writer.addColumn("name", (0..<SampleFile.rows).map { $0 == 1 ? "changed" : names.value(at: $0) })
        try writer.finish()
        let before = try await ProcessRunner.colfile("checksum", "--columns", "count,name", original)
        let after = try await ProcessRunner.colfile("checksum", changed)
        #expect(before.outputLines[0] == after.outputLines[0])
        #expect(before.outputLines[1] != after.outputLines[1])
    }

    /// The hashed byte sequence is part of the tool's contract: pin it with values computed by hand.
    @Test func hashesTagsLengthsAndBytes() throws {
        let folder = try TemporaryFolder("cli-checksum-golden")
        let path = folder.file("golden.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("small", [Int8(5), nil])
        try writer.addColumn("text", ["abc", nil])
        try writer.addColumn("bits", [true, nil] as [Bool?])
        try writer.finish()
        let reader = try ColFileReader.open(path)
        // 01 05 | 00
        #expect(try ColumnChecksum.of(column: "small", in: reader).value == 0xd099_6518_671e_8791)
        // 01 03 00 00 00 00 00 00 00 61 62 63 | 00
        #expect(try ColumnChecksum.of(column: "text", in: reader).value == 0xdae4_7b1c_451a_93b3)
        // 01 01 | 00
        #expect(try ColumnChecksum.of(column: "bits", in: reader).value == 0xd0a6_fd18_672a_1435)
    }
}
