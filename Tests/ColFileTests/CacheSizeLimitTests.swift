import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The shared decode cache stays within its size limit (Specification.md §13.4): a reader that
/// adds an entry removes the least recently used others, where "used" is the last decode or
/// mapping of an entry; the entry just added is kept, and readers keep what they mapped.
@Suite struct CacheSizeLimitTests {
    @Test(arguments: [
        ("0", 0), ("1048576", 1 << 20), ("512M", 512 << 20), ("20g", 20 << 30), ("1T", 1 << 40), ("3k", 3 << 10),
        ("8589934591G", 8_589_934_591 << 30),
    ])
    func sizesParse(text: String, bytes: Int) {
        #expect(CacheSizeLimit.bytes(parsing: text) == bytes)
    }

    @Test(arguments: ["", "M", "-1", "+1", "1.5G", " 1G", "1G ", "1GB", "1KiB", "1 G", "١٢", "0x10",
                      "99999999999999999999", "8589934592G", "9223372036854775807K"])
    func nonSizesDoNotParse(text: String) {
        #expect(CacheSizeLimit.bytes(parsing: text) == nil)
    }

    /// A file of four cold Int64 columns `a`…`d` of 10,000 rows: each decodes into an entry of
    /// 86,016 bytes (the header page and 80,000 bytes rounded up to 4 KiB).
    private func coldFile(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("cold.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
        for (offset, name) in ["a", "b", "c", "d"].enumerated() {
            try writer.addColumn(name, (0..<10_000).map { Int64($0 * 4 + offset) })
        }
        try writer.finish()
        return path
    }

    private static let entryBytes = 86_016

    /// The values of the column at `offset` (0 for `a` … 3 for `d`).
    private func values(_ offset: Int) -> [Int64?] {
        (0..<10_000).map { Int64($0 * 4 + offset) }
    }

    /// Reads column `name` whole through a reader whose cache in `cache` holds at most `maxBytes`.
    private func read(_ name: String, of path: String, cache: String, maxBytes: Int?) throws -> [Int64?] {
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache, cacheMaxBytes: maxBytes))
        return Array(try reader.column(name, as: Int64.self))
    }

    /// The columns (by index) whose entries are in `cache`.
    private func cachedColumns(_ cache: String) throws -> Set<Int> {
        Set(try ColdColumnCache.entries(in: cache).map { Int($0.source.split(separator: "-").last!)! })
    }

    private func setLastUse(_ path: String, secondsAgo: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-secondsAgo)],
                                              ofItemAtPath: path)
    }

    /// Four entries do not fit a limit of three: adding the fourth removes the least recently
    /// used, which is the one mapped longest ago, not the one decoded longest ago.
    @Test func addingAnEntryRemovesTheLeastRecentlyUsed() throws {
        let folder = try TemporaryFolder("cache-limit-lru")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        let limit = 3 * Self.entryBytes + Self.entryBytes / 2  // a trim leaves 0.9 of it: three entries
        for name in ["a", "b", "c"] { _ = try read(name, of: path, cache: cache, maxBytes: limit) }
        #expect(try cachedColumns(cache) == [0, 1, 2])
        let entries = try ColdColumnCache.entries(in: cache)
        #expect(entries.allSatisfy { $0.bytes == Self.entryBytes })
        // `a` was decoded first; then `b` and `c` were used more recently than `a`…
        try setLastUse(entries[0].path, secondsAgo: 3 * 3600)
        try setLastUse(entries[1].path, secondsAgo: 2 * 3600)
        try setLastUse(entries[2].path, secondsAgo: 1 * 3600)
        // …until a reader maps `a` again: its use is now, and `b` is the least recently used.
        #expect(try read("a", of: path, cache: cache, maxBytes: limit) == values(0))
        #expect(try ColdColumnCache.entries(in: cache).last?.path == entries[0].path)
        #expect(try read("d", of: path, cache: cache, maxBytes: limit) == values(3))
        #expect(try cachedColumns(cache) == [0, 2, 3])
        // A mapping used within the last minute is not marked again (no inode write per attach).
        let marked = try ColdColumnCache.entries(in: cache).map(\.lastUsed)
        _ = try read("a", of: path, cache: cache, maxBytes: limit)
        #expect(try ColdColumnCache.entries(in: cache).map(\.lastUsed) == marked)
    }

    /// An entry larger than the limit is kept when added (the others go); the next one added
    /// replaces it.
    @Test func theEntryAddedIsKeptEvenAboveTheLimit() throws {
        let folder = try TemporaryFolder("cache-limit-small")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        _ = try read("a", of: path, cache: cache, maxBytes: 1000)
        #expect(try cachedColumns(cache) == [0])
        _ = try read("b", of: path, cache: cache, maxBytes: 1000)
        #expect(try cachedColumns(cache) == [1])
        // Without a limit below them, entries accumulate.
        _ = try read("c", of: path, cache: cache, maxBytes: 4 * Self.entryBytes)
        #expect(try cachedColumns(cache) == [1, 2])
    }

    /// Ten entries under a limit of ten: the eleventh write trims to nine tenths (two go). A write
    /// that the last listing says still fits does not list the folder, so an entry put there by
    /// someone else is counted only at the next listing, which trims it away.
    @Test func aTrimLeavesNineTenthsAndListsTheFolderOnlyWhenItMayBeFull() throws {
        let folder = try TemporaryFolder("cache-limit-listing")
        let path = folder.file("wide.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
        for index in 0..<12 { try writer.addColumn("c\(index)", (0..<10_000).map { Int64($0 + index) }) }
        try writer.finish()
        let cache = folder.file("cache")
        let limit = 10 * Self.entryBytes
        for index in 0..<10 { _ = try read("c\(index)", of: path, cache: cache, maxBytes: limit) }
        #expect(try cachedColumns(cache) == Set(0..<10))
        _ = try read("c10", of: path, cache: cache, maxBytes: limit)
        #expect(try cachedColumns(cache) == Set(2..<11))
        let newest = try #require(try ColdColumnCache.entries(in: cache).last)
        try FileManager.default.linkItem(atPath: newest.path, toPath: cache + "/other-0.colcache")
        _ = try read("c11", of: path, cache: cache, maxBytes: limit)
        #expect(try ColdColumnCache.entries(in: cache).count == 11)
        _ = try read("c0", of: path, cache: cache, maxBytes: limit)
        #expect(try ColdColumnCache.entries(in: cache).count == 9)
        #expect(try cachedColumns(cache).contains(0))
    }

    /// Removing an entry never takes values from a reader that mapped it; a later reader decodes
    /// the column again into a new entry.
    @Test func readersKeepWhatTheyMappedWhenItsEntryIsRemoved() throws {
        let folder = try TemporaryFolder("cache-limit-mapped")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
        let column = try reader.column("b", as: Int64.self)
        let removed = try ColdColumnCache.trim(in: cache, toBytes: 0)
        #expect(removed.count == 1 && removed[0].bytes == Self.entryBytes)
        #expect(try cachedColumns(cache).isEmpty)
        #expect(Array(column) == values(1))
        #expect(try read("b", of: path, cache: cache, maxBytes: nil) == Array(column))
        #expect(try cachedColumns(cache) == [1])
    }

    /// Trimming keeps the most recently used entries that fit, and the entry it is told to keep.
    @Test func trimRemovesOldestFirstAndKeepsTheNamedEntry() throws {
        let folder = try TemporaryFolder("cache-limit-trim")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        for name in ["a", "b", "c", "d"] { _ = try read(name, of: path, cache: cache, maxBytes: nil) }
        var entries = try ColdColumnCache.entries(in: cache)
        for (index, entry) in entries.enumerated() { try setLastUse(entry.path, secondsAgo: Double(100 - index)) }
        entries = try ColdColumnCache.entries(in: cache)
        let removed = try ColdColumnCache.trim(in: cache, toBytes: 2 * Self.entryBytes + 1, keeping: entries[0].path)
        #expect(removed.map(\.path) == [entries[1].path, entries[2].path])
        #expect(try ColdColumnCache.entries(in: cache).map(\.path) == [entries[0].path, entries[3].path])
        #expect(try ColdColumnCache.trim(in: cache, toBytes: 2 * Self.entryBytes).isEmpty)
        #expect(try ColdColumnCache.trim(in: folder.file("none"), toBytes: 0).isEmpty)
    }

    /// The limit given by the caller wins; without one, the default is a tenth of the file
    /// system (this test process does not set `$COLFILE_CACHE_MAX_SIZE`; the tool's tests set it).
    @Test func theLimitComesFromTheCallerOrTheFileSystem() throws {
        let folder = try TemporaryFolder("cache-limit-source")
        #expect(CacheSizeLimit.forFolder(folder.path, given: 5) == CacheSizeLimit(bytes: 5, source: .given))
        try #require(ProcessInfo.processInfo.environment[CacheSizeLimit.environmentVariable] == nil,
                     "run the tests without $COLFILE_CACHE_MAX_SIZE")
        #expect(CacheSizeLimit.forFolder(folder.file("none")) == nil)
        let fileSystem = try FileManager.default.attributesOfFileSystem(forPath: folder.path)
        let size = try #require((fileSystem[.systemSize] as? NSNumber)?.intValue)
        #expect(CacheSizeLimit.forFolder(folder.path) == CacheSizeLimit(bytes: size / 10, source: .fileSystemShare(ignored: nil)))
    }
}
