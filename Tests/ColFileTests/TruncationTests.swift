import ColFile
import ColFileTestSupport
import Foundation
import Glibc
import Testing

/// A published file truncated or rewritten in place while a reader has it mapped (RELIABILITY.md,
/// "Faults around the file"): the process survives, values read after the fault are zeros (strings
/// empty), and the reader reports ``ColFileError/Code/fileChanged``. A SIGBUS that is not about a
/// guarded mapping still ends the process as before.
@Suite struct TruncationTests {
    static let rows = 1 << 20

    /// A file of 8 MiB of Float64 and a String column, most of it far past the first page.
    private func writeFile(_ path: String) throws {
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("x", (0..<Self.rows).map { Double($0) + 1 })
        try writer.addColumn("s", (0..<Self.rows).map { "row \($0 % 1000)" })
        try writer.finish()
    }

    @Test func truncatedFileReadsZerosAndReportsTheChange() throws {
        let folder = try TemporaryFolder("truncated")
        let path = folder.file("t.col")
        try writeFile(path)
        var reader: ColFileReader? = try ColFileReader.open(path)
        let x = try reader!.column("x", as: Double.self)
        let s = try reader!.stringColumn("s")
        #expect(x.storedValue(at: Self.rows - 1) == Double(Self.rows))
        #expect(s.storedValue(at: 7) == "row 7")
        #expect(reader!.isIntact)

        try Files.truncate(path, to: 4096)
        // The first read past the new end faults; the handler replaces the mapping with zeros.
        #expect(x.storedValue(at: Self.rows - 1) == 0)
        #expect(x.storedValue(at: 1) == 0)
        #expect(s.storedValue(at: 7) == "")
        #expect(s.count == Self.rows)
        #expect(!reader!.isIntact)
        let error = #expect(throws: ColFileError.self) { try reader!.checkIntact() }
        #expect(error?.code == .fileChanged)
        #expect(error?.description
                == "\(path): the file changed or was truncated while being read; publish new versions by atomic rename")
        // Every throwing entry point says so, rather than what its checks of the zeros find.
        #expect(throws: ColFileError(.fileChanged, path: path,
                                     message: "the file changed or was truncated while being read; publish new versions by atomic rename")) {
            _ = try reader!.stringColumn("s")
        }
        #expect((try? reader!.statistics("x")) == nil)
        #expect((try? reader!.verify()) == nil)
        #expect((try? reader!.chunkedColumn("x").value(at: 3, as: Double.self)) == nil)
        #expect(ColFileReader.filesChangedWhileMapped().contains(path))
        reader = nil
        #expect(ColFileReader.filesChangedWhileMapped().contains(path), "kept after the reader is released")
        // Opening it again reads what it holds now: a truncated file.
        #expect(throws: ColFileError.self) { _ = try ColFileReader.open(path) }
    }

    /// A file rewritten in place without being truncated raises no signal: a string whose offsets
    /// now disagree reads as empty (instead of trapping) and marks the reader changed.
    @Test func offsetsRewrittenInPlaceReadEmptyAndReportTheChange() throws {
        let folder = try TemporaryFolder("rewritten")
        let path = folder.file("t.col")
        try writeFile(path)
        let reader = try ColFileReader.open(path)
        let s = try reader.stringColumn("s")
        #expect(s.storedValue(at: 100) == "row 100")
        let offsets = try #require(try reader.info("s").buffers.first { $0.role == .offsets })
        try Files.overwrite(path, with: [UInt8](repeating: 0xFF, count: 4 * 8), at: offsets.offset + 4 * 100)
        #expect(s.storedValue(at: 100) == "")
        #expect(!reader.isIntact)
        #expect((try? reader.checkIntact()) == nil)
    }

    /// 64-bit offsets rewritten in place to the extremes of Int64 do not trap in the length
    /// arithmetic (a row's byte count, the total, the statistics' kernel); the totals and the
    /// statistics give no length outside the values, the row reads as empty, and the reader
    /// reports the change.
    @Test func largeOffsetsRewrittenToExtremesReadEmptyAndReportTheChange() throws {
        let folder = try TemporaryFolder("rewritten-large")
        let path = folder.file("t.col")
        var options = ColFileWriter.Options()
        options.maxNarrowValueBytes = 16
        let writer = try ColFileWriter(path: path, options: options)
        let stream = try writer.streamStringColumn("s")
        for row in 0..<1000 { try stream.append(row % 7 == 3 ? nil : "row \(row)") }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let s = try reader.stringColumn("s")
        #expect(try reader.info("s").physicalType == .largeString)
        #expect(s.byteCount(at: 988) == 7)
        let offsets = try #require(try reader.info("s").buffers.first { $0.role == .offsets })
        let extremes: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x80] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]  // Int64.min, .max
        try Files.overwrite(path, with: extremes, at: offsets.offset + 8 * 988)
        let error = #expect(throws: ColFileError.self) { try reader.statistics("s") }
        #expect(error?.code == .fileChanged)
        _ = (987...989).map(s.byteCount(at:))  // whatever the offsets now say, without trapping
        #expect(s.storedValue(at: 988) == "" && s.byteCount(at: 991) == 7)
        _ = s.totalByteCount()
        _ = s.totalByteCount(in: 985..<995)
        #expect(!reader.isIntact)
    }

    /// A dictionary index rewritten in place to point past the dictionary reads as a null row
    /// (the dictionary view, its index, and ``AnyStringColumn``'s empty stored value) or as zero
    /// (``AnyFixedWidthColumn``) instead of stopping the program, and the reader reports the change.
    @Test func dictionaryIndexRewrittenInPlaceReadsNullAndReportsTheChange() throws {
        let folder = try TemporaryFolder("rewritten-index")
        let path = folder.file("t.col")
        let writer = try ColFileWriter(path: path)
        try writer.addDictionaryColumn("d", encoding: (0..<1000).map { "v\($0 % 3)" })
        try writer.addDictionaryColumn("n", indices: (0..<1000).map { $0 % 3 }, dictionary: .values([10, 20, 30] as [Int64]))
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let n = try reader.anyColumn("n", as: Int64.self)
        let d = try reader.dictionaryColumn("d")
        let any = try reader.anyStringColumn("d")
        #expect(d.string(at: 100) == "v1" && any.storedValue(at: 100) == "v1" && n[100] == 20 && reader.isIntact)
        let nIndices = try #require(try reader.info("n").buffers.first { $0.role == .values })
        let indices = try #require(try reader.info("d").buffers.first { $0.role == .values })
        try Files.overwrite(path, with: [0x7F], at: nIndices.offset + 100)
        #expect(n.storedValue(at: 100) == 0 && n[100] == 0 && n[101] == 30)
        #expect(!reader.isIntact)
        try Files.overwrite(path, with: [0x7F], at: indices.offset + 100)
        #expect(d.index(at: 100) == nil && d.string(at: 100) == nil && d.bytes(at: 100) == nil)
        #expect(any.storedValue(at: 100) == "" && any.byteCount(at: 100) == 0)
        #expect(d.string(at: 101) == "v2")
        #expect(!reader.isIntact)
        #expect((try? reader.checkIntact()) == nil)
    }

    /// The public index view and the statistics' count of each entry read an index rewritten in
    /// place past the dictionary (or to −1 on a valid row) as no index, and report the change,
    /// instead of handing it out or counting outside the dictionary.
    @Test func rewrittenIndicesAreNeitherHandedOutNorCounted() throws {
        let folder = try TemporaryFolder("rewritten-indices")
        let path = folder.file("t.col")
        let writer = try ColFileWriter(path: path)
        try writer.addDictionaryColumn("d", encoding: (0..<1000).map { "v\($0 % 3)" })
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let d = try reader.dictionaryColumn("d")
        #expect(d.indices[100] == 1 && d.indices.storedValue(at: 100) == 1 && d.indices.entryCount == 3)
        let indices = try #require(try reader.info("d").buffers.first { $0.role == .values })
        try Files.overwrite(path, with: [0x7F], at: indices.offset + 100)
        let error = #expect(throws: ColFileError.self) { try reader.statistics("d") }
        #expect(error?.code == .fileChanged)
        #expect(d.indices[100] == nil && d.indices.storedValue(at: 100) == -1 && d.indices[101] == 2)
        try Files.overwrite(path, with: [0xFF], at: indices.offset + 101)
        #expect(d.indices[101] == nil && d.index(at: 101) == nil && d.indices.storedValue(at: 101) == -1)
        #expect(!reader.isIntact)
    }

    /// A cold column's decoded copy is a mapped cache entry: truncating it is reported for the column.
    @Test func truncatedCacheEntryReadsZerosAndNamesTheColumn() throws {
        let folder = try TemporaryFolder("truncated-entry")
        let cache = try TemporaryFolder("truncated-entry-cache")
        let path = folder.file("t.col")
        let writer = try ColFileWriter(path: path)
        writer.compression["cold"] = .zlib()
        try writer.addColumn("cold", (0..<Self.rows).map { Int64($0 % 1000) + 1 })
        try writer.finish()
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache.path))
        let cold = try reader.column("cold", as: Int64.self)
        #expect(cold.storedValue(at: Self.rows - 1) == Int64((Self.rows - 1) % 1000) + 1)
        let entry = try #require(try ColdColumnCache.entries(in: cache.path).first)
        try Files.truncate(entry.path, to: 0)
        #expect(cold.storedValue(at: Self.rows - 1) == 0)
        let error = #expect(throws: ColFileError.self) { try reader.checkIntact() }
        #expect(error?.code == .fileChanged)
        #expect(error?.column == "cold")
        #expect(error?.message == "its decoded copy in the shared cache changed or was truncated while being read")
    }

    /// A SIGBUS about memory the library did not map goes to the handler installed before the
    /// guard (Swift's crash handler, or the default action): the process dies by SIGBUS, as
    /// without the guard. (AddressSanitizer's own handler reports it and exits 1 instead.)
    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "AddressSanitizer's SIGBUS handler exits with a report"))
    func faultOutsideGuardedMappingsStillKillsTheProcess() async {
        await #expect(processExitsWith: .signal(SIGBUS)) {
            let folder = try TemporaryFolder("foreign-fault")
            let path = folder.file("t.col")
            try GoldenFixtures.named("spec-example").write(to: path)
            let reader = try ColFileReader.open(path)  // installs the guard's handler
            try TruncationTests.readPastATruncatedPlainMapping(in: folder)
            withExtendedLifetime(reader) {}
        }
    }

    /// Maps a plain 8 KiB file of `folder` (not through the library, so not guarded), truncates
    /// it and reads past its new end: a SIGBUS the guard does not own. Records an issue if the
    /// read returns.
    private static func readPastATruncatedPlainMapping(in folder: TemporaryFolder) throws {
        let plain = folder.file("plain")
        try Files.write([UInt8](repeating: 7, count: 8192), to: plain)
        let fd = unsafe open(plain, O_RDONLY)
        let base: UnsafeMutableRawPointer? = unsafe mmap(nil, 8192, PROT_READ, MAP_SHARED, fd, 0)
        try Files.truncate(plain, to: 0)
        // The fault below ends the process before the folder's cleanup; mappings outlive names.
        try FileManager.default.removeItem(atPath: folder.path)
        let byte = unsafe base?.load(fromByteOffset: 4096, as: UInt8.self)
        Issue.record("read \(String(describing: byte)) past the end of a truncated file")
    }

    /// Installs `handler` for SIGBUS (before the guard's, which then chains to it).
    private static func installBusHandler(_ handler: @convention(c) (CInt) -> Void) {
        var action = sigaction()
        unsafe action.__sigaction_handler.sa_handler = handler
        unsafe sigemptyset(&action.sa_mask)
        unsafe sigaction(SIGBUS, &action, nil)
    }

    /// The guard hands faults it does not own, and signals sent by a process, to the handler that
    /// was installed before it (here one that exits 42 or 43), with or without a sanitizer.
    @Test func otherSignalsGoToTheHandlerInstalledBefore() async {
        await #expect(processExitsWith: .exitCode(42)) {
            TruncationTests.installBusHandler { _ in _exit(42) }
            let folder = try TemporaryFolder("sent-bus")
            let path = folder.file("t.col")
            try GoldenFixtures.named("spec-example").write(to: path)
            let reader = try ColFileReader.open(path)  // installs the guard's handler
            try FileManager.default.removeItem(atPath: folder.path)  // the handler's exit skips the folder's cleanup
            // raise, not kill(getpid()): a signal sent to the process may be handled by another
            // thread after kill returns, and the closure would return (exit 0) first.
            raise(SIGBUS)
            withExtendedLifetime(reader) {}
        }
        await #expect(processExitsWith: .exitCode(43)) {
            TruncationTests.installBusHandler { _ in _exit(43) }
            let folder = try TemporaryFolder("foreign-fault-chained")
            let path = folder.file("t.col")
            try GoldenFixtures.named("spec-example").write(to: path)
            let reader = try ColFileReader.open(path)
            try TruncationTests.readPastATruncatedPlainMapping(in: folder)
            withExtendedLifetime(reader) {}
        }
    }

    /// A draft truncated while a process has it mapped: writing rows into the lost pages does not
    /// kill the writer (the guarded mapping becomes private zeros, the write stays there); the
    /// handle, its work queue and a seal report it, and no file is published.
    @Test func truncatedDraftKeepsItsWriterAliveAndReportsTheChange() throws {
        let folder = try TemporaryFolder("truncated-draft")
        let path = folder.file("r.col.draft")
        let target = folder.file("r.col")
        let rows = 1 << 20
        do {
            let draft = try ColFileDraft.create(path, rowCount: rows, columns: [DraftColumn("x", of: Double.self)])
            let x = try draft.column("x", as: Double.self)
            x.write([1, 2], at: 0)
            #expect(draft.isIntact)

            try Files.truncate(path, to: 4096)
            x.write([7], at: rows - 1)  // a page the file no longer has
            #expect(x.storedValue(at: rows - 1) == 7, "kept in this process's private memory")
            #expect(x.storedValue(at: 0) == 0, "the whole mapping reads as zeros")
            #expect(!draft.isIntact)
            let message = "the draft was truncated while mapped; rows written through this handle since then are lost"
            #expect(throws: ColFileError(.fileChanged, path: path, message: message)) { try draft.checkIntact() }
            #expect(throws: ColFileError(.fileChanged, path: path, message: message)) { _ = try draft.workQueue().claim() }
            #expect(ColFileReader.filesChangedWhileMapped().contains(path))
        }
        // Every handle gone: what the file holds is a truncated draft, neither opened nor sealed.
        let opened = #expect(throws: ColFileError.self) { _ = try ColFileDraft.open(path) }
        #expect(opened?.code == .truncated)
        let sealed = #expect(throws: ColFileError.self) { try ColFileDraft.seal(path, to: target) }
        #expect(sealed?.code == .truncated)
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
