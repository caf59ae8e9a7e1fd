import ColFile
import ColFileTestSupport
import Foundation
import Testing

@Suite struct InspectTests {
    @Test func textSummaryDescribesFileAndColumns() async throws {
        let folder = try TemporaryFolder("cli-inspect")
        let path = try SampleFile.write(in: folder)
        let reader = try ColFileReader.open(path)
        let result = try await ProcessRunner.colfile("inspect", path)
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        let lines = result.outputLines
        #expect(lines.first == "\(path): colfile format 1.0")
        #expect(lines.contains("  file id   000102030405060708090a0b0c0d0e0f"))
        #expect(lines.contains("  identity  \(reader.identity)"))
        let size = try #require(lines.first { $0.hasPrefix("  size ") })
        let sizeWords = size.split(separator: " ")
        #expect(sizeWords[1].filter(\.isNumber) == String(reader.fileBytes) && sizeWords[2] == "bytes")
        #expect(lines.contains("  rows      100"))
        #expect(lines.contains("  columns   8"))
        #expect(lines.contains("    source = cli-tests"))
        #expect(lines.contains("    unit = USD"))

        let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("  name ") })
        let header = lines[headerIndex]
        let table = lines[(headerIndex + 1)...]
        #expect(header.split(separator: " ") == ["name", "type", "logical", "shape", "nulls", "stored", "bytes",
                                                 "codec", "chunks", "ratio", "offset", "align", "crc32"])
        for info in try reader.columns {
            let row = try #require(table.first { $0.hasPrefix("  \(info.name) ") })
            let cells = row.split(separator: " ").map(String.init)
            let values = try #require(info.buffers.first { $0.role == .values })
            let first = try #require(info.buffers.first { $0.storedLength > 0 })
            #expect(cells[1] == info.physicalType.description)
            #expect(cells.last == String(format: "%08x", values.checksum))
            #expect(cells[cells.count - 3] == String(first.offset))
            let alignment = try #require(UInt64(cells[cells.count - 2]))
            #expect(alignment >= 64 && alignment <= 4096 && first.offset % alignment == 0)
            #expect(alignment == 4096 || (first.offset / alignment) % 2 == 1)
        }
        #expect(lines.contains { $0.hasPrefix("  ts ") && $0.contains("Timestamp(ms, UTC)") })
        #expect(lines.contains { $0.hasPrefix("  vec ") && $0.contains("[2, 2]") })
        #expect(lines.contains { $0.hasPrefix("  price ") && $0.contains(" 10 ") })
    }

    @Test func jsonDescribesEveryBuffer() async throws {
        let folder = try TemporaryFolder("cli-inspect-json")
        let path = try SampleFile.write(in: folder)
        let reader = try ColFileReader.open(path)
        let result = try await ProcessRunner.colfile("inspect", "--json", path)
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
            as? [String: Any])
        #expect(object["formatVersion"] as? String == "1.0")
        #expect(object["fileId"] as? String == "000102030405060708090a0b0c0d0e0f")
        #expect(object["identity"] as? String == reader.identity.description)
        #expect(object["fileBytes"] as? Int == reader.fileBytes)
        #expect(object["rows"] as? Int == 100)
        #expect(object["metadata"] as? [String: String] == ["source": "cli-tests", "version": "1"])

        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == SampleFile.columnNames)
        for (json, info) in zip(columns, try reader.columns) {
            #expect(json["type"] as? String == info.physicalType.description)
            #expect(json["shape"] as? [Int] == info.shape)
            #expect(json["nullable"] as? Bool == info.isNullable)
            #expect(json["nullCount"] as? Int == info.nullCount)
            #expect(json["storedBytes"] as? Int == Int(info.storedBytes))
            #expect(json["rawBytes"] as? Int == Int(info.rawBytes))
            #expect(json["codec"] as? String == "none")
            #expect(json["metadata"] as? [String: String] == info.metadata)
            let buffers = try #require(json["buffers"] as? [[String: Any]])
            #expect(buffers.map { $0["role"] as? String } == info.buffers.map(\.role.description))
            for (buffer, expected) in zip(buffers, info.buffers) {
                #expect(buffer["offset"] as? Int == Int(expected.offset))
                #expect(buffer["storedLength"] as? Int == Int(expected.storedLength))
                #expect(buffer["decodedLength"] as? Int == Int(expected.decodedLength))
                #expect(buffer["checksum"] as? String == String(format: "%08x", expected.checksum))
            }
        }
        let byName = Dictionary(uniqueKeysWithValues: columns.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["ts"]?["logicalType"] as? String == "Timestamp")
        #expect(byName["ts"]?["timeUnit"] as? String == "ms")
        #expect(byName["ts"]?["timeZone"] as? String == "UTC")
        #expect(byName["day"]?["logicalType"] as? String == "Date")
        #expect(byName["price"]?["logicalType"] as? String == "none")
        #expect(byName["price"]?["timeUnit"] == nil)
        #expect(byName["vec"]?["shape"] as? [Int] == [2, 2])
        #expect(byName["name"]?["buffers"].map { ($0 as? [Any])?.count } == 3)
    }

    @Test func missingFileIsAnIOErrorOnOneLine() async throws {
        let folder = try TemporaryFolder("cli-missing")
        let path = folder.file("absent.col")
        let result = try await ProcessRunner.colfile("inspect", path)
        #expect(result.exitCode == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("colfile: \(path): cannot open the file"))
        #expect(result.standardError.contains("No such file or directory"))
    }

    @Test func garbageFileIsABadFileOnOneLine() async throws {
        let folder = try TemporaryFolder("cli-garbage")
        let path = folder.file("garbage.col")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: path))
        for arguments in [["inspect", path], ["inspect", "--json", path], ["checksum", path]] {
            let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments)
            #expect(result.exitCode == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(result.errorLines.count == 1)
            #expect(result.standardError.hasPrefix("colfile: \(path): not a colfile file"))
        }
    }

    /// Names and metadata come from the file: a newline or a terminal escape in them is shown as
    /// an escape, never written raw (one line per column, no colour changes in the terminal).
    @Test func controlCharactersInNamesAreEscaped() async throws {
        let folder = try TemporaryFolder("cli-control-names")
        let path = folder.file("names.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("a\nb\u{1B}[31m", [1, 2] as [Int64], metadata: ["k\r": "v\u{7}"])
        try writer.finish()
        for arguments in [["inspect", path], ["head", path], ["stats", path]] {
            let result = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), arguments)
            #expect(result.exitCode == 0, "\(arguments)")
            #expect(!result.standardOutput.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" || $0 == "\u{7}" },
                    "\(arguments)")
            #expect(result.standardOutput.contains("a\\nb\\u{1B}[31m"), "\(arguments)")
        }
        let missing = try await ProcessRunner.colfile("export", "--columns", "x\ny", path)
        #expect(missing.exitCode == 2)
        #expect(missing.errorLines == ["colfile: \(path): column 'x\\ny': no such column"])
    }
}
