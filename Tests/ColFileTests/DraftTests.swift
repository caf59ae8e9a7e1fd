import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Drafts (Specification.md §15): creating, writing every kind of column, claiming ranges,
/// sealing in place and by copy, and reading the sealed file back.
@Suite struct DraftTests {
    static let columns = [
        DraftColumn("score", of: Double.self),
        DraftColumn("count", of: Int64.self, initialRows: .zero),
        DraftColumn("small", of: Int32.self),
        DraftColumn("flag", .bool),
        DraftColumn("embedding", of: Float.self, shape: [3]),
        DraftColumn("when", of: Int64.self, logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"),
                    metadata: ["unit": "ms"]),
    ]

    @Test func aFilledDraftSealsIntoTheFileItsRowsDescribe() throws {
        let folder = try TemporaryFolder("draft-seal")
        let target = folder.file("out.col")
        let path = ColFileDraft.defaultPath(forTarget: target)
        let rows = 1000
        do {
            let draft = try ColFileDraft.create(path, rowCount: rows, columns: Self.columns, rowsPerRange: 128,
                                                metadata: ["job": "test"])
            #expect(draft.rowCount == rows)
            #expect(draft.rangeCount == 8)
            #expect(draft.columns == Self.columns)
            let score = try draft.column("score", as: Double.self)
            #expect(score[0] == nil)
            score.fill(rows: 0..<500) { span in
                for index in span.indices { span[index] = Double(index) * 0.5 }
            }
            score.write((500..<999).map { Double($0) * 0.5 }, at: 500)
            let count = try draft.atomicColumn("count", as: Int64.self)
            for row in 0..<rows { count.loadThenAdd(Int64(row % 3), at: row) }
            #expect(count.compareExchange(expected: 0, desired: 42, at: 0) == (true, 0))
            let small = try draft.column("small", as: Int32.self)
            small[7] = -7
            let flag = try draft.boolColumn("flag")
            flag.write((0..<rows).map { $0 % 2 == 0 }, at: 0)
            flag[3] = nil
            let embedding = try draft.tensorColumn("embedding", as: Float.self)
            embedding.write([1, 2, 3, 4, 5, 6], atRow: 10)
            let when = try draft.column("when", as: Int64.self)
            when.write((0..<rows).map { Int64($0) }, at: 0)
            when.setNull(rows: 100..<108)
        }
        let report = try ColFileDraft.seal(path, to: target)
        #expect(report.inPlace)
        #expect(report.nullCounts == ["score": 1, "count": 0, "small": 999, "flag": 1, "embedding": 998, "when": 8])
        #expect(try folder.contents() == ["out.col"])

        let reader = try ColFileReader.open(target)
        try reader.verify()
        #expect(reader.rowCount == rows)
        #expect(reader.metadata == ["job": "test"])
        #expect(try reader.columns.map(\.name) == Self.columns.map(\.name))
        let score = try reader.column("score", as: Double.self)
        #expect(Array(score.prefix(999)) == (0..<999).map { Double($0) * 0.5 })
        #expect(score[999] == nil)
        let count = try reader.column("count", as: Int64.self)
        #expect(count.validity == nil)
        #expect(count[0] == 42 && count[4] == 1 && count[5] == 2)
        #expect(try reader.column("small", as: Int32.self)[7] == -7)
        let flag = try reader.boolColumn("flag")
        #expect(flag[2] == true && flag[3] == nil && flag[5] == false)
        let embedding = try reader.tensorColumn("embedding", as: Float.self)
        #expect(embedding[10].map { Array($0) } == [1, 2, 3])
        #expect(embedding[11].map { Array($0) } == [4, 5, 6])
        #expect(embedding[12] == nil)
        let when = try reader.column("when", as: Int64.self)
        #expect(when[99] == 99 && when[100] == nil)
        #expect(try reader.info("when").logicalType == .timestamp(unit: .milliseconds, timeZone: "UTC"))
        #expect(try reader.info("when").metadata == ["unit": "ms"])
    }

    @Test func aReaderRefusesADraft() throws {
        let folder = try TemporaryFolder("draft-reader")
        let path = folder.file("x.draft")
        _ = try ColFileDraft.create(path, rowCount: 10, columns: [DraftColumn("x", of: Double.self)])
        let error = #expect(throws: ColFileError.self) { try ColFileReader.open(path) }
        #expect(error?.code == .unsealedDraft)
    }
}

/// The bytes of the file at `path`.
private func fileBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Claiming ranges, busy drafts, interrupted seals, sealing by copy, and each error of misuse.
@Suite struct DraftClaimAndSealTests {
    private func makeDraft(_ folder: TemporaryFolder, rows: Int = 640, rowsPerRange: Int = 64) throws -> String {
        let path = folder.file("d.col.draft")
        _ = try ColFileDraft.create(path, rowCount: rows, columns: [
            DraftColumn("x", of: Double.self), DraftColumn("n", of: Int32.self, initialRows: .zero),
        ], rowsPerRange: rowsPerRange)
        return path
    }

    @Test func claimsHandOutEachRangeOnceAndAReleasedRangeAgain() throws {
        let folder = try TemporaryFolder("draft-claims")
        let draft = try ColFileDraft.open(try makeDraft(folder))
        let first = try draft.workQueue()
        let second = try draft.workQueue()
        var held: [RangeClaim] = []
        while let claim = try first.claim() { held.append(claim) }
        #expect(held.map(\.index) == Array(0..<10))
        #expect(held.map(\.rows.count).allSatisfy { $0 == 64 })
        #expect(try second.claim() == nil, "every range is held by a live claimer")
        #expect(draft.progress().working == 10)
        held[3].release()
        #expect(draft.progress().abandoned == 1)
        let resumed = try #require(try second.claim())
        #expect(resumed.index == 3 && resumed.attempt == 2 && resumed.isResumed)
        for claim in held where claim.index != 3 { claim.finish() }
        resumed.finish()
        #expect(draft.progress().done == 10)
        #expect(draft.progress().resumed == 1)
        #expect(try first.claim() == nil)
    }

    @Test func aReleasedClaimObjectReleasesItsRange() throws {
        let folder = try TemporaryFolder("draft-claim-deinit")
        let draft = try ColFileDraft.open(try makeDraft(folder, rows: 64))
        let queue = try draft.workQueue()
        do {
            let claim = try queue.claim()
            #expect(claim?.index == 0)
        }
        #expect(try queue.claim()?.attempt == 2)
    }

    @Test func aSealRefusesWhileAHandleIsOpenAndWaitsWhenAsked() throws {
        let folder = try TemporaryFolder("draft-busy")
        let path = try makeDraft(folder)
        let target = folder.file("d.col")
        let handle = Locked<ColFileDraft?>(try ColFileDraft.open(path))
        let error = #expect(throws: ColFileError.self) { try ColFileDraft.seal(path, to: target) }
        #expect(error?.code == .draftBusy)
        #expect(error?.found?.contains("\(getpid())") == true, "\(String(describing: error))")
        let release = Thread { usleep(200_000); handle.withLock { $0 = nil } }
        release.start()
        try ColFileDraft.seal(path, to: target, options: SealOptions(wait: .upTo(.seconds(20))))
        #expect(try folder.contents() == ["d.col"])
    }

    /// A seal that does not wait still retries a held lock for up to half a second, even when
    /// `/proc` names its holder (§15.4): a child forked by a writer that has closed is named until
    /// it execs. Here a second handle of this process (named by its process id) closes after 0.1 s;
    /// the seal failed with `draftBusy` at once before.
    @Test func aNonWaitingSealRetriesAHolderThatLetsGoWithinHalfASecond() throws {
        let folder = try TemporaryFolder("draft-seal-grace")
        let path = try makeDraft(folder)
        let handle = Locked<ColFileDraft?>(try ColFileDraft.open(path))
        let release = Thread { usleep(100_000); handle.withLock { $0 = nil } }
        release.start()
        try ColFileDraft.seal(path, to: folder.file("d.col"))
        #expect(try folder.contents() == ["d.col"])
    }

    /// An open that finds the seal lock held retries it for up to half a second (Specification.md
    /// §15.4): a seal's lock can outlive the seal for a moment in a child another thread forked.
    /// Here a seal holds the lock for 0.1 s after marking the draft, then stops: the open waits
    /// and finds the interrupted seal (it failed with `draftBusy` before; CI's ASan stage, 3 Dec).
    @Test func anOpenWaitsForASealLockReleasedWithinHalfASecond() throws {
        let folder = try TemporaryFolder("draft-open-grace")
        let path = try makeDraft(folder)
        let locked = DispatchSemaphore(value: 0)
        struct Stop: Error {}
        var options = SealOptions()
        options.afterStep = { step in
            guard step == .markedSealing else { return }
            locked.signal()
            usleep(100_000)
            throw Stop()
        }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [options] in
            _ = try? ColFileDraft.seal(path, to: folder.file("d.col"), options: options)
            done.signal()
        }
        locked.wait()
        #expect(try ColFileDraft.open(path).hasInterruptedSeal)
        done.wait()
    }

    @Test func aSealThatStopsAfterAnyStepIsFinishedBySealingAgain() throws {
        for step in SealStep.allCases where step != .published {
            let folder = try TemporaryFolder("draft-stop-\(step.rawValue)")
            let path = try makeDraft(folder)
            let target = folder.file("d.col")
            let previous = try ColFileWriter(path: target)
            try previous.addColumn("old", [1, 2, 3] as [Int32])
            try previous.finish()
            let oldBytes = try fileBytes(target)
            do {
                let draft = try ColFileDraft.open(path)
                try draft.column("x", as: Double.self).write((0..<640).map(Double.init), at: 0)
            }
            struct Stop: Error {}
            var options = SealOptions()
            options.afterStep = { if $0 == step { throw Stop() } }
            #expect(throws: Stop.self) { try ColFileDraft.seal(path, to: target, options: options) }
            #expect(try fileBytes(target) == oldBytes, "\(step): the previous target changed")
            if step == .markedSealing || step == .wroteDirectory {
                #expect(try ColFileDraft.open(path).hasInterruptedSeal, "\(step)")
            } else {
                let error = #expect(throws: ColFileError.self) { try ColFileDraft.open(path) }
                #expect(error?.code == .sealedDraft, "\(step)")
            }
            let report = try ColFileDraft.seal(path, to: target)
            #expect(report.resumed == (step == .wroteHeader || step == .clearedPadding), "\(step)")
            let reader = try ColFileReader.open(target)
            try reader.verify()
            #expect(Array(try reader.column("x", as: Double.self).values) == (0..<640).map(Double.init), "\(step)")
            #expect(try folder.contents() == ["d.col"], "\(step)")
        }
    }

    @Test func compressedColumnsSealByCopyThroughTheWriter() throws {
        let folder = try TemporaryFolder("draft-copy")
        let path = try makeDraft(folder, rows: 10_000, rowsPerRange: 1024)
        do {
            let draft = try ColFileDraft.open(path)
            try draft.column("x", as: Double.self).write((0..<9_000).map { Double($0 % 10) }, at: 0)
            let n = try draft.atomicColumn("n", as: Int32.self)
            for row in 0..<10_000 { n.store(Int32(row % 7), at: row) }
        }
        var options = SealOptions(compression: ["x": .zlib(level: 1, chunkSize: 4096)])
        options.syncsToDisk = false
        let report = try ColFileDraft.seal(path, to: folder.file("d.col"), options: options)
        #expect(!report.inPlace)
        #expect(report.nullCounts == ["x": 1000, "n": 0])
        #expect(try folder.contents() == ["d.col"])
        let reader = try ColFileReader.open(folder.file("d.col"), options: ReaderOptions(coldColumns: .privateMemory))
        try reader.verify()
        #expect(try reader.info("x").isCompressed)
        let x = try reader.column("x", as: Double.self)
        #expect(x[8_999] == 9 && x[9_000] == nil)
        #expect(Array(try reader.column("n", as: Int32.self).values) == (0..<10_000).map { Int32($0 % 7) })
    }

    @Test func misuseIsATypedError() throws {
        let folder = try TemporaryFolder("draft-misuse")
        let path = try makeDraft(folder)
        let draft = try ColFileDraft.open(path)
        func code(_ body: () throws -> Void) -> ColFileError.Code? {
            (#expect(throws: ColFileError.self) { try body() })?.code
        }
        #expect(code { _ = try draft.atomicColumn("x", as: Int64.self) } == .typeMismatch)
        #expect(code { _ = try draft.atomicColumn("n", as: Int64.self) } == .typeMismatch)
        #expect(code { _ = try draft.column("x", as: Float.self) } == .typeMismatch)
        #expect(code { _ = try draft.tensorColumn("x", as: Double.self) } == .typeMismatch)
        #expect(code { _ = try draft.column("nope", as: Double.self) } == .noSuchColumn)
        #expect(code { _ = try ColFileDraft.create(path, rowCount: 1, columns: [DraftColumn("x", of: Double.self)]) } == .io)
        #expect(code { _ = try ColFileDraft.create(folder.file("s.draft"), rowCount: 1, columns: [DraftColumn("s", .string)]) }
                == .invalidArgument)
        #expect(code { _ = try ColFileDraft.create(folder.file("r.draft"), rowCount: 1, columns: [], rowsPerRange: 100) }
                == .invalidArgument)
        _ = consume draft
        #expect(code { try ColFileDraft.seal(path, to: folder.file("d.col"), options: SealOptions(compression: ["nope": .zlib()])) }
                == .noSuchColumn)
        #expect(code { try ColFileDraft.seal(path, to: folder.file("d.col"), options: SealOptions(requiresAllRangesDone: true)) }
                == .draftIncomplete)
        #expect(code { try ColFileDraft.seal(path, to: path) } == .invalidArgument)
        #expect(code { _ = try ColFileDraft.open(folder.file("missing.draft")) } == .io)
    }

    @Test func damagedDraftsAreRefusedWithTheirCode() throws {
        let folder = try TemporaryFolder("draft-damaged")
        let bytes = try fileBytes(try makeDraft(folder))
        func code(_ edit: (inout [UInt8]) -> Void) -> ColFileError.Code? {
            var copy = bytes
            edit(&copy)
            return (#expect(throws: ColFileError.self) { _ = try ColFileDraft.validate(bytes: copy) })?.code
        }
        #expect(try ColFileDraft.validate(bytes: bytes).rows == 640)
        #expect(code { $0.removeLast(1) } == .truncated)
        #expect(code { $0 = Array($0.prefix(40)) } == .truncated)
        #expect(code { $0[3] = 0x58 } == .badMagic)
        #expect(code { $0[20] ^= 1 } == .headerChecksumMismatch)
        #expect(code { $0[$0.count - 100] ^= 1 } == .directoryChecksumMismatch)
        #expect(code { $0.replaceSubrange(0..<8, with: [0x89, 0x43, 0x4F, 0x4C, 0x0D, 0x0A, 0x1A, 0x0A]) } == .sealedDraft)
        func resealed(_ edit: @escaping (inout FileBytes) -> Void) -> (inout [UInt8]) -> Void {
            { bytes in
                var file = FileBytes(bytes)
                edit(&file)
                file.resealHeader()  // the draft header's CRC-32 covers bytes 0–59, as a colfile header's
                bytes = file.bytes
            }
        }
        #expect(code(resealed { $0.store(UInt32(9), at: 16) }) == .badDraftHeader, "state")
        #expect(code(resealed { $0.store(UInt64(65), at: 48) }) == .badDraftHeader, "rows per range")
        #expect(code(resealed { $0.store(UInt16(2), at: 8) }) == .unsupportedMajorVersion)
        #expect(code(resealed { $0.store(UInt32(65), at: 12) }) == .badHeader)
        #expect(code(resealed { $0.store(UInt64(72), at: 40) }) == .badDirectoryLocation)
        #expect(code { $0.replaceSubrange(72..<80, with: [3, 0, 0, 0, 0, 0, 0, 0]) } == .badDraftLayout, "range count")
        // A record is checked before any of its fields is read (the fuzzer once found a metadata
        // block past the heap read before the record's check, which lazy first-use checks skip).
        func redescribed(_ edit: @escaping (inout FileBytes) -> Void) -> (inout [UInt8]) -> Void {
            resealed { file in
                edit(&file)
                let start = Int(file.load(DraftHeaderLayout.descriptionOffset))
                let end = start + Int(file.load(DraftHeaderLayout.descriptionLength))
                file.store(CRC32.checksum(file.bytes[start..<end]), DraftHeaderLayout.descriptionChecksum)
            }
        }
        let metadataLength = { (file: FileBytes) in file.recordOffset(0) + ColumnRecordLayout.metadataLength.offset }
        #expect(code(redescribed { $0.store(UInt32.max, at: metadataLength($0)) }) == .badMetadata, "metadata past the heap")
    }

    @Test func aRowOutsideTheColumnStopsTheProgram() async throws {
        await #expect(processExitsWith: .failure) {
            let folder = try TemporaryFolder("draft-row-range")
            let draft = try ColFileDraft.create(folder.file("r.draft"), rowCount: 10, columns: [DraftColumn("x", of: Double.self)])
            let x = try draft.column("x", as: Double.self)
            try FileManager.default.removeItem(atPath: folder.path)  // the trap below skips the folder's cleanup
            x[10] = 1
        }
    }
}

/// Specification.md §15.7 shows the first 96 bytes of the draft seed `Fixtures/fuzz-corpus/draft.col`;
/// this keeps the dump in step with the committed file (which `ColFileFuzzer --make-seeds` writes).
@Test func specificationShowsTheDraftSeedsHeader() throws {
    let bytes = try Files.read(RepositoryPaths.fixture("fuzz-corpus/draft.col"))
    #expect(try ColFileDraft.validate(bytes: bytes).rows == 256)
    let specification = String(decoding: try Files.read(RepositoryPaths.root + "/Specification.md"), as: UTF8.self)
    for start in stride(from: 0, to: 96, by: 16) {
        let groups = stride(from: start, to: start + 16, by: 2).map { index in
            bytes[index..<index + 2].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }.joined(separator: " ")
        let offset = String(start, radix: 16)
        let expected = String(repeating: "0", count: 8 - offset.count) + offset + ": " + groups + "   "
        #expect(specification.contains(expected), "missing line: \(expected)")
    }
}
