import ColFile
import ColFileTestSupport
import Foundation
import Testing

extension ConcurrencyTests {
    /// Eight threads fill one draft through their own work queues (each its own open file
    /// description, so the kernel's range locks exclude them as they exclude processes) and add
    /// to one shared counter row with atomic operations; every range is filled once and the
    /// counter holds every addition. Runs under ThreadSanitizer in CI with the rest of the suite.
    @Test func threadsFillADraftThroughTheirOwnQueues() throws {
        let folder = try TemporaryFolder("draft-threads")
        let path = folder.file("t.col.draft")
        let rows = 64 * 1024
        try Self.fillDraftOnThreads(path, rows: rows)
        // The threads' closures, which hold the draft, are released as each thread ends, which may
        // be after fillDraftOnThreads returned (slow under AddressSanitizer): the seal waits for them.
        try ColFileDraft.seal(path, to: folder.file("t.col"),
                              options: SealOptions(wait: .upTo(.seconds(60)), requiresAllRangesDone: true))
        let reader = try ColFileReader.open(folder.file("t.col"))
        try reader.verify()
        #expect(Array(try reader.column("x", as: Double.self).values) == (0..<rows).map(Double.init))
        #expect(Array(try reader.boolColumn("flag")) == (0..<rows).map { Optional($0 % 3 == 0) })
    }

    /// Creates the draft at `path` and fills it from ``threads`` threads; its handles close when the
    /// threads have ended.
    private static func fillDraftOnThreads(_ path: String, rows: Int) throws {
        let draft = try ColFileDraft.create(path, rowCount: rows, columns: [
            DraftColumn("x", of: Double.self),
            DraftColumn("hits", of: Int64.self, initialRows: .zero),
            DraftColumn("flag", .bool),
        ], rowsPerRange: 1024)
        let results = onThreads(threads) { _ in
            let queue = try draft.workQueue()
            let x = try draft.column("x", as: Double.self)
            let hits = try draft.atomicColumn("hits", as: Int64.self)
            let flag = try draft.boolColumn("flag")
            var claimed: [Int] = []
            while let claim = try queue.claim() {
                x.fill(rows: claim.rows) { span in
                    for index in span.indices { span[index] = Double(claim.rows.lowerBound + index) }
                }
                for row in claim.rows { flag[row] = row % 3 == 0 }
                hits.loadThenAdd(1, at: 0)
                hits.loadThenAdd(Int64(claim.rows.count), at: 1)
                claim.finish()
                claimed.append(claim.index)
            }
            return claimed
        }
        let claimed = try results.flatMap { try $0.get() }
        #expect(claimed.sorted() == Array(0..<draft.rangeCount))
        let progress = draft.progress()
        #expect(progress.done == draft.rangeCount && progress.total == draft.rangeCount && progress.resumed == 0)
        let hits = try draft.atomicColumn("hits", as: Int64.self)
        #expect(hits.load(at: 0) == Int64(draft.rangeCount))
        #expect(hits.load(at: 1) == Int64(rows))
    }
}
