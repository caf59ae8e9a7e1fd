import ColFile
import ColFileTestSupport
import Foundation
import SystemPackage
import Testing

/// A decode cache that cannot take an entry (a full disk, a read-only file system, a folder that
/// is not ours) makes the reader decode privately: the read succeeds, ``ColFileReader/cacheFallbacks``
/// and the process's observer say why, and no partial entry, temporary or lock file is left (issue 17).
@Suite(.serialized) struct CacheFallbackTests {
    private static let rows = 1 << 18
    /// The values of column `x`.
    private static let values: [Int64] = (0..<rows).map { Int64($0 &* 2_654_435_761 % 1_000_003) }

    /// A file whose Int64 column `x` (2 MiB decoded) is zlib-compressed, in `folder`.
    private func coldFile(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("cold.col")
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib()
        try writer.addColumn("x", Self.values)
        try writer.finish()
        return path
    }

    /// Reads `x` of `path` through the cache in `cache` with `options`; checks every value and returns the reader.
    private func readThroughCache(_ path: String, cache: String, fault: InjectedFault? = nil) throws -> ColFileReader {
        var options = ReaderOptions(coldColumns: .sharedCache, cacheFolder: cache)
        options.injectedCacheFault = fault
        let reader = try ColFileReader.open(path, options: options)
        let column = try reader.column("x", as: Int64.self)
        #expect(Array(column) == Self.values)
        return reader
    }

    /// Files left in `cache` (entries, lock files, named temporaries).
    private func leftovers(_ cache: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0 != "lost+found" }
    }

    @Test(arguments: [InjectedFault(.write(afterBytes: 1 << 19), errno: .noSpace),
                      InjectedFault(.write(afterBytes: 0), errno: .diskQuotaExceeded),
                      InjectedFault(.rename, errno: .readOnlyFileSystem),
                      InjectedFault(.link, errno: .permissionDenied)])
    func injectedWriteFaultFallsBackToAPrivateDecode(fault: InjectedFault) throws {
        let folder = try TemporaryFolder("cache-fallback")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        let observed = Locked<[CacheFallback]>([])
        ColFileReader.observeCacheFallbacks { fallback in observed.withLock { $0.append(fallback) } }
        defer { ColFileReader.observeCacheFallbacks(nil) }
        let reader = try readThroughCache(path, cache: cache, fault: fault)
        #expect(reader.cacheFallbacks.count == 1)
        #expect(reader.cacheFallbacks.first?.errno == fault.errno)
        #expect(reader.cacheFallbacks.first?.column == "x")
        #expect(reader.cacheFallbacks.first?.folder == cache)
        #expect(observed.withLock { $0.filter { $0.path == path } } == reader.cacheFallbacks)
        #expect(try leftovers(cache) == [])
        // The next reader without the fault writes the entry as usual.
        let next = try readThroughCache(path, cache: cache)
        #expect(next.cacheFallbacks == [])
        #expect(try leftovers(cache).count == 1)
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the folder to another user"))
    func aCacheFolderThatIsNotOursFallsBack() throws {
        let folder = try TemporaryFolder("cache-foreign")
        let path = try coldFile(in: folder)
        let cache = folder.file("cache")
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700, .ownerAccountID: 65534])
        let reader = try readThroughCache(path, cache: cache)
        #expect(reader.cacheFallbacks.count == 1)
        #expect(reader.cacheFallbacks.first?.reason.contains("owned by user 65534") == true)
        #expect(try leftovers(cache) == [])
    }

    @Test(.enabled(if: TmpfsMount.isAvailable, "cannot mount a tmpfs (needs root)"))
    func aFullTmpfsFallsBackAndLeavesNothing() throws {
        let folder = try TemporaryFolder("cache-enospc")
        let path = try coldFile(in: folder)
        let disk = try TmpfsMount("cache-enospc", size: "1m")
        let reader = try readThroughCache(path, cache: disk.path)
        #expect(reader.cacheFallbacks.count == 1)
        #expect(reader.cacheFallbacks.first?.errno == .noSpace, "\(reader.cacheFallbacks)")
        #expect(try leftovers(disk.path) == [])
    }

    @Test(.enabled(if: TmpfsMount.isAvailable, "cannot mount a tmpfs (needs root)"))
    func aReadOnlyFileSystemFallsBack() throws {
        let folder = try TemporaryFolder("cache-erofs")
        let path = try coldFile(in: folder)
        let disk = try TmpfsMount("cache-erofs", readOnly: true)
        let reader = try readThroughCache(path, cache: disk.path)
        #expect(reader.cacheFallbacks.count == 1)
        #expect(reader.cacheFallbacks.first?.errno == .readOnlyFileSystem, "\(reader.cacheFallbacks)")
        #expect(try leftovers(disk.path) == [])
    }
}
