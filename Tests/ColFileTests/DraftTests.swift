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
        #expect(reader.columns.map(\.name) == Self.columns.map(\.name))
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
