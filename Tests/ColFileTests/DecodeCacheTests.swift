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

    private let fixture = GoldenFixtures.named("cold")

    /// A reader of `cold.col` that decodes into the shared cache in `cache`.
    private func reader(_ cache: TemporaryFolder) throws -> ColFileReader {
        try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .sharedCache, cacheFolder: cache.path))
    }

    /// The entry file of column `index` of `cold.col` in `cache`.
    private func entry(_ cache: TemporaryFolder, column index: Int) throws -> String {
        cache.file("\(try reader(cache).identity)-\(index).colcache")
    }

    private func attributes(_ path: String) throws -> (inode: Int, modified: Date, mode: Int, owner: Int, size: Int) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return ((attributes[.systemFileNumber] as? NSNumber)?.intValue ?? -1, attributes[.modificationDate] as? Date ?? .distantPast,
                (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1,
                (attributes[.ownerAccountID] as? NSNumber)?.intValue ?? -1, (attributes[.size] as? NSNumber)?.intValue ?? -1)
    }

    private var idValues: [Int64] { (0..<ColdFixture.rowCount).map { Int64($0) * 3 - 1000 } }

    /// One entry (and no lock file) per decoded column, named by file id, directory CRC-32 and
    /// column index; a second reader maps the entries without decoding again.
    @Test func oneEntryPerDecodedColumnReusedByLaterReaders() throws {
        let cache = try TemporaryFolder("cache-entries")
        let first = try reader(cache)
        #expect(Array(try first.column("id", as: Int64.self)) == idValues)
        let identity = first.identity.description
        #expect(try cache.contents() == ["\(identity)-0.colcache"])
        #expect(try ExpectedFile(reading: first) == fixture.expected)
        #expect(try cache.contents() == (0..<5).map { "\(identity)-\($0).colcache" })
        let before = try (0..<5).map { try attributes(entry(cache, column: $0)) }
        #expect(before.allSatisfy { $0.mode & 0o022 == 0 && $0.size % 4096 == 0 })
        let second = try reader(cache)
        #expect(try ExpectedFile(reading: second) == fixture.expected)
        try second.verify()
        let after = try (0..<5).map { try attributes(entry(cache, column: $0)) }
        #expect(after.map(\.inode) == before.map(\.inode))
        #expect(after.map(\.modified) == before.map(\.modified))
    }

    /// An entry `mmap` refuses (`ENOMEM`: the address space limit or `vm.max_map_count` reached)
    /// fails the read with an `io` error that says so, not one that blames the entry's content;
    /// the entry stays, and a reader that can map it uses it.
    @Test func anEntryThatCannotBeMappedFailsTheReadSayingWhy() throws {
        let cache = try TemporaryFolder("cache-unmappable")
        var options = ReaderOptions(coldColumns: .sharedCache, cacheFolder: cache.path)
        options.injectedCacheFault = InjectedFault(.mapCacheEntry, errno: .noMemory)
        let refused = try ColFileReader.open(fixture.path, options: options)
        let entry = try entry(cache, column: 0)
        #expect {
            _ = try refused.column("id", as: Int64.self)
        } throws: { error in
            (error as? ColFileError)?.description == "\(fixture.path): column 'id': cannot map the cache entry \(entry): "
                + "Cannot allocate memory (errno 12)"
        }
        #expect(try cache.contents() == [URL(filePath: entry).lastPathComponent])
        #expect(Array(try reader(cache).column("id", as: Int64.self)) == idValues)
    }

    /// How an entry is spoiled before a new reader reads its column.
    enum Spoiling: String, CaseIterable {
        /// Same name and size, garbage bytes.
        case garbage
        /// Same bytes, but the header names another column.
        case otherColumn
        /// Same bytes, writable by group and others.
        case worldWritable
        /// Same bytes, owned by another user (uid 65534); needs root to set up.
        case otherOwner
        /// Cut short by one page.
        case truncated
        /// A symbolic link to a good entry.
        case symbolicLink
    }

    /// A spoiled entry is never used: the new reader reads the right values, and a fresh entry
    /// (a new file, owned by us, not writable by others) replaces it.
    @Test(arguments: Spoiling.allCases)
    func untrustedEntriesAreReplaced(spoiling: Spoiling) throws {
        let cache = try TemporaryFolder("cache-spoiled")
        let path = try entry(cache, column: 0)
        _ = try reader(cache).column("id", as: Int64.self)
        let good = try Files.read(path)
        let manager = FileManager.default
        switch spoiling {
        case .garbage:
            var rng = SplitMix64(seed: TestSeed.value)
            try manager.removeItem(atPath: path)
            try Files.write((0..<good.count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, to: path)
        case .otherColumn:
            var bytes = FileBytes(good)
            bytes.store(UInt32(1), at: 12)
            bytes.store(CRC32.checksum(bytes.bytes[0..<88]), at: 88)
            try manager.removeItem(atPath: path)
            try Files.write(bytes.bytes, to: path)
        case .worldWritable:
            try manager.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        case .otherOwner:
            guard getuid() == 0 else { return }
            try manager.setAttributes([.ownerAccountID: 65534], ofItemAtPath: path)
        case .truncated:
            try manager.removeItem(atPath: path)
            try Files.write(Array(good.dropLast(4096)), to: path)
        case .symbolicLink:
            try manager.moveItem(atPath: path, toPath: cache.file("elsewhere"))
            try manager.createSymbolicLink(atPath: path, withDestinationPath: cache.file("elsewhere"))
        }
        try manager.setAttributes([.posixPermissions: spoiling == .worldWritable ? 0o666 : 0o600], ofItemAtPath: path)
        let spoiled = try attributes(path)
        #expect(Array(try reader(cache).column("id", as: Int64.self)) == idValues, "\(spoiling)")
        let replaced = try attributes(path)
        #expect(replaced.inode != spoiled.inode, "\(spoiling)")
        #expect(replaced.owner == Int(getuid()) && replaced.mode & 0o022 == 0, "\(spoiling)")
        #expect(try Files.read(path) == good, "\(spoiling)")
        #expect(try manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType == .typeRegular, "\(spoiling)")
    }

    /// A cache folder that others may write to is not used: the reader decodes into private memory.
    @Test func folderWritableByOthersIsNotUsed() throws {
        let cache = try TemporaryFolder("cache-open-folder")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: cache.path)
        #expect(try ExpectedFile(reading: reader(cache)) == fixture.expected)
        #expect(try cache.contents().isEmpty)
    }

    /// Many threads reading one cold column of one reader for the first time at once get the
    /// same values, from one decode into one entry; so do many readers of the same file.
    @Test func concurrentFirstReadsDecodeOnce() throws {
        let cache = try TemporaryFolder("cache-concurrent")
        let shared = try reader(cache)
        let results = Locked<[[Int64]]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { iteration in
            do {
                let reader = iteration % 2 == 0 ? shared : try self.reader(cache)
                let values = Array(try reader.column("id", as: Int64.self).values)
                results.withLock { $0.append(values) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(results.withLock { $0.count == 16 && $0.allSatisfy { $0 == idValues } })
        #expect(try cache.contents() == ["\(shared.identity)-0.colcache"])
    }
}
