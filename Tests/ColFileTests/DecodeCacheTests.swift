import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The shared decode cache (Specification.md §13.4): one entry per decoded column, mapped again
/// by later readers without decoding, and never trusted when it is not exactly what this user
/// wrote for this file and column.
@Suite struct DecodeCacheTests {
    /// Regression: a cold column with no rows has no decoded bytes, and its entry was written
    /// without the zero rest of its header page, so its size never checked out and reading it
    /// through the shared cache failed with an `io` error.
    @Test(arguments: WriteMode.allCases)
    func emptyColdColumnsReadThroughTheCache(mode: WriteMode) throws {
        let folder = try TemporaryFolder("cache-empty")
        let path = folder.file("empty.col")
        let columns: [FixtureColumn] = [.fixed("i", [] as [Int64?]), .bool("b", []), .string("s", [])]
        try mode.write(columns, to: path, compression: .zlib())
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: folder.file("cache")))
        #expect(try ExpectedFile(reading: reader).columns == columns.map(\.expected))
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.file("cache")).filter { $0.hasSuffix(".colcache") }
        #expect(entries.count == 3)
    }
}
