import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Many threads reading one file at once (Specification.md §13.4): the same reader's plain and
/// cold columns, and the first access to a cold column from many threads and readers together
/// with a fresh cache folder. Every thread must see the same values, and the cold column must be
/// decoded once: exactly one `.colcache` entry. CI runs this suite under ThreadSanitizer.
@Suite struct ConcurrencyTests {
    /// Enough rows for a dozen 4 KiB chunks per cold column, so two decode threads share the work;
    /// few enough that the digests, which read every value, stay short under ThreadSanitizer
    /// (every generic call of an unoptimized build takes a runtime lock that eight threads queue on).
    static let rows = 6_000
    static let threads = 8

    /// A file with plain Float64, String, Bool and tensor columns, and cold Int64 and String columns.
    private func writeFile(_ path: String) throws {
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("x", (0..<Self.rows).map { Double($0) * 0.5 })
        try writer.addColumn("s", (0..<Self.rows).map { $0 % 4 == 0 ? nil : "v\($0 % 50)" } as [String?])
        try writer.addColumn("b", (0..<Self.rows).map { $0 % 3 == 0 })
        try writer.addTensorColumn("t", shape: [2], (0..<(2 * Self.rows)).map { Float($0 % 7) })
        writer.compression["cold"] = .zlib(level: 1, chunkSize: 4096)
        try writer.addColumn("cold", (0..<Self.rows).map { Int64($0 % 1000) })
        writer.compression["coldText"] = .zlib(level: 1, chunkSize: 4096)
        try writer.addColumn("coldText", (0..<Self.rows).map { "w\($0 % 30)" })
        try writer.finish()
    }

    /// A digest of every value of every column, read through the views.
    private static func digest(_ reader: ColFileReader) throws -> [Int] {
        let x = try reader.column("x", as: Double.self)
        let s = try reader.stringColumn("s")
        let b = try reader.boolColumn("b")
        let t = try reader.tensorColumn("t", as: Float.self)
        let cold = try reader.column("cold", as: Int64.self)
        let coldText = try reader.stringColumn("coldText")
        return [
            Int(x.values.reduce(0, +)),
            s.indices.reduce(0) { $0 + (s.value(at: $1)?.utf8.count ?? 100) },
            b.trueCount,
            Int(t.indices.reduce(Float(0)) { $0 + t[$1, 0] + t[$1, 1] }),
            Int(cold.values.reduce(0, +)),
            coldText.indices.reduce(0) { $0 + coldText.storedValue(at: $1).utf8.count },
        ]
    }

    /// Runs `body` on `count` threads released together; returns each thread's result.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> [Int]) -> [Result<[Int], any Error>] {
        let results = Locked<[Result<[Int], any Error>]>([])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<count {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let result = Result { try body(index) }
                results.withLock { $0.append(result) }
                done.leave()
            }
        }
        for _ in 0..<count { start.signal() }
        done.wait()
        return results.withLock { $0 }
    }

    private func expectOneEntry(in cache: TemporaryFolder) throws {
        let contents = try cache.contents()
        let entries = contents.filter { $0.hasSuffix(".colcache") }
        // One entry per cold column (columns 4 and 5), nothing else: the lock files are removed
        // by their holders even when eight threads raced for them.
        #expect(entries.count == 2, "\(contents)")
        #expect(Set(entries.compactMap { $0.split(separator: "-").last }) == ["4.colcache", "5.colcache"])
        #expect(contents.count == 2, "\(contents)")
    }

    private func expected() -> [Int] {
        let rows = Self.rows
        return [
            Int((0..<rows).reduce(0.0) { $0 + Double($1) * 0.5 }),
            (0..<rows).reduce(0) { $0 + ($1 % 4 == 0 ? 100 : "v\($1 % 50)".utf8.count) },
            (0..<rows).count { $0 % 3 == 0 },
            (0..<(2 * rows)).reduce(0) { $0 + $1 % 7 },
            (0..<rows).reduce(0) { $0 + $1 % 1000 },
            (0..<rows).reduce(0) { $0 + "w\($1 % 30)".utf8.count },
        ]
    }

    /// One reader, many threads, first access to everything (including the cold columns) at once.
    @Test func manyThreadsReadOneReader() throws {
        let folder = try TemporaryFolder("threads")
        let cache = try TemporaryFolder("threads-cache")
        try writeFile(folder.file("t.col"))
        let reader = try ColFileReader.open(folder.file("t.col"),
                                            options: ReaderOptions(cacheFolder: cache.path, decodeThreads: 2))
        let results = Self.onThreads(Self.threads) { _ in try Self.digest(reader) }
        let expected = expected()
        for result in results { #expect(try result.get() == expected) }
        try expectOneEntry(in: cache)
    }

    /// Many readers of one file, one per thread, decoding the same cold columns for the first
    /// time into one fresh cache folder: one of them decodes each, the others map its entry.
    @Test func manyReadersShareOneDecode() throws {
        let folder = try TemporaryFolder("threads")
        let cache = try TemporaryFolder("threads-cache")
        let path = folder.file("t.col")
        try writeFile(path)
        let cachePath = cache.path
        let results = Self.onThreads(Self.threads) { _ in
            try Self.digest(ColFileReader.open(path, options: ReaderOptions(cacheFolder: cachePath, decodeThreads: 2)))
        }
        let expected = expected()
        for result in results { #expect(try result.get() == expected) }
        try expectOneEntry(in: cache)
    }

    /// Private decoding, many threads: still one decode per reader, the same values.
    @Test func manyThreadsDecodePrivately() throws {
        let folder = try TemporaryFolder("threads")
        try writeFile(folder.file("t.col"))
        let reader = try ColFileReader.open(folder.file("t.col"), options: ReaderOptions(coldColumns: .privateMemory))
        let results = Self.onThreads(Self.threads) { _ in try Self.digest(reader) }
        let expected = expected()
        for result in results { #expect(try result.get() == expected) }
    }
}
