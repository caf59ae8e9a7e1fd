import ColFileTool
import ColFile
import ColFileTestSupport
import Testing

/// Several processes map one file at once and read identical values.
@Suite struct MultiprocessTests {
    @Test func concurrentProcessesReadWhatTheParentReads() async throws {
        let folder = try TemporaryFolder("cli-multiprocess")
        let path = try SampleFile.write(in: folder)
        let reader = try ColFileReader.open(path)

        async let first = ProcessRunner.colfile("checksum", path)
        async let second = ProcessRunner.colfile("checksum", path)
        let children = try await [first, second]

        for child in children {
            #expect(child.exitCode == 0)
            #expect(child.standardError.isEmpty)
        }
        #expect(children[0].standardOutput == children[1].standardOutput)
        let parent = try reader.columns.map { info in
            let checksum = try ColumnChecksum.of(column: info.name, in: reader)
            return "\(info.name) \(reader.rowCount) \(String(checksum.value, radix: 16).leftPadded(to: 16))"
        }
        #expect(children[0].outputLines == parent)

        // The parent's mapping still serves the values that were written, while children come and go.
        let prices = try reader.column("price", as: Double.self)
        #expect(prices.value(at: 4) == 5.0 && prices.value(at: 9) == nil)
        #expect(try reader.stringColumn("name").value(at: 8) == "row 8 ✓")
        #expect(try reader.tensorColumn("vec", as: Float.self)[99, 3] == 399)
        #expect(!reader.fileHasBeenReplaced())
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
