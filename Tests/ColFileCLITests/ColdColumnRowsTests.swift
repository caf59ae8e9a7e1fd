import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile head` and `colfile export --rows` of cold columns read the rows they print through
/// their chunks alone: the same text as of the same table stored plain, nothing written to the
/// shared cache of decoded columns, and a broken chunk past those rows does not stop them (one
/// holding them does).
@Suite struct ColdColumnRowsTests {
    private static let rows = 100_000

    /// A table of every kind of column `head` prints, plain or every column compressed with zlib
    /// in chunks of 4 KiB (about 200 chunks a column of Int64); 1,562 rows are its 1/64.
    private func writeTable(to path: String, compressed: Bool) throws {
        let rows = 0..<Self.rows
        let writer = try ColFileWriter(path: path)
        if compressed { writer.defaultCompression = .zlib(level: 6, chunkSize: 4096) }
        try writer.addColumn("i", rows.map { Int64($0 * 7 - 300) })
        try writer.addColumn("x", rows.map { $0 % 11 == 0 ? nil : Double($0) / 8 - 40 })
        try writer.addColumn("s", rows.map { $0 % 13 == 0 ? nil : "row \($0), \(String(repeating: "é", count: $0 % 5))" })
        try writer.addColumn("b", rows.map { $0 % 3 == 0 })
        try writer.addColumn("d", rows.map { Int32($0 - 5_000) }, logicalType: .date)
        try writer.addColumn("t", rows.map { Int64($0) * 86_400_123 },
                             logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
        try writer.addDictionaryColumn("c", encoding: rows.map { $0 % 17 == 0 ? nil : "code \($0 % 6)" })
        try writer.addTensorColumn("v", shape: [2], rows.flatMap { [Float($0), -Float($0) / 4] })
        try writer.addBinaryColumn("raw", rows.map { [UInt8($0 % 256), 0, 255] })
        try writer.finish()
    }

    /// Runs `colfile` with `cache` as its cache folder.
    private func colfile(cache: String, _ arguments: [String]) async throws -> ProcessOutput {
        try await ProcessRunner.run("/usr/bin/env", ["COLFILE_CACHE_DIR=\(cache)", RepositoryPaths.executable("colfile")] + arguments)
    }

    @Test func coldColumnsShowAsPlainOnesAndLeaveTheCacheEmpty() async throws {
        let folder = try TemporaryFolder("cli-head-cold")
        let plain = folder.file("plain.col"), cold = folder.file("cold.col"), cache = folder.file("cache")
        try writeTable(to: plain, compressed: false)
        try writeTable(to: cold, compressed: true)
        #expect(try ColFileReader.open(cold).columns.allSatisfy(\.isCompressed))
        for arguments in [["head"], ["head", "-n", "700", "--format", "csv"], ["head", "-n", "900", "--format", "jsonl"],
                          ["head", "-n", "3", "--columns", "v,raw,c"], ["export", "--rows", "15000..15900"],
                          ["export", "--rows", "99990..", "--format", "jsonl"]] {
            let expected = try await colfile(cache: cache, arguments + [plain])
            let shown = try await colfile(cache: cache, arguments + [cold])
            #expect(expected.exitCode == 0 && shown.exitCode == 0, "\(arguments): \(shown.standardError)")
            #expect(shown.standardOutput == expected.standardOutput, "\(arguments)")
            #expect(shown.standardOutput.count > 100, "\(arguments)")
        }
        #expect(try ColdColumnCache.entries(in: cache).isEmpty)
        // More than 1/64 of the rows: the column is decoded whole, through the cache.
        let many = try await colfile(cache: cache, ["head", "-n", "2000", "--columns", "i", cold])
        #expect(many.exitCode == 0 && many.outputLines.count == 2_003)
        #expect(try ColdColumnCache.entries(in: cache).count == 1)
    }

    @Test func aBrokenChunkStopsThemOnlyWhenItHoldsARowPrinted() async throws {
        let folder = try TemporaryFolder("cli-head-cold-broken")
        let path = folder.file("cold.col"), cache = folder.file("cache")
        try writeTable(to: path, compressed: true)
        let values = try #require(try ColFileReader.open(path).info("i").buffers.first { $0.role == .values })
        #expect(values.chunkCount > 30)

        // The last byte of the last chunk (zlib's Adler-32 of its bytes): rows 0 to 9 do not need it.
        let last = values.offset + values.storedLength - 1
        try Files.overwrite(path, with: [~(try Files.read(path)[Int(last)])], at: last)
        let shown = try await colfile(cache: cache, ["head", "--columns", "i", path])
        #expect(shown.exitCode == 0 && shown.standardError.isEmpty, "\(shown.standardError)")
        #expect(shown.outputLines.dropFirst(2).first?.trimmingCharacters(in: .whitespaces) == "-300")
        let some = try await colfile(cache: cache, ["export", "--rows", "100..102", "--columns", "i", path])
        #expect(some.exitCode == 0 && some.outputLines == ["i", "400", "407"], "\(some.standardError)")
        // What reading the whole column meets (`export` decodes every chunk).
        let whole = try await colfile(cache: cache, ["export", "--columns", "i", path])
        #expect(whole.exitCode == 1)
        #expect(whole.errorLines.first?.hasPrefix("colfile: \(path): column 'i': chunk \(values.chunkCount - 1): ") == true,
                "\(whole.standardError)")

        // The second byte of chunk 0's zlib stream (its header's check bits): the first row needs it.
        let chunkZero = values.offset + 16 + 24 * UInt64(values.chunkCount)
        try Files.overwrite(path, with: [~(try Files.read(path)[Int(chunkZero + 1)])], at: chunkZero + 1)
        let failed = try await colfile(cache: cache, ["head", "--columns", "i", path])
        #expect(failed.exitCode == 1)
        #expect(failed.errorLines == [
            "colfile: \(path): column 'i': chunk 0: the compressed stream is truncated or corrupt at offset \(chunkZero) (found zlib status -3)",
        ])
        #expect(try ColdColumnCache.entries(in: cache).isEmpty)
    }
}
