// Row-at-a-time access to a draft's columns from a client package (as a user's worker writes a
// shared result table row by row): `MutableFixedWidthColumn`'s subscript and `storedValue(at:)`,
// `AtomicColumn`'s `loadThenAdd` and `load`, against `write(_:at:)` of 4,096 rows at a time, and
// `MutableTensorColumn`'s row write, element read and `fill`; 10 M Float64 / Int64 / 4-Float tensor
// rows, best of 3, ns per row. BENCHMARKS.md, "Session 22" and "Session 23". Built as
// `Tools/bench/view-scan.swift` is (a package whose one target is this file, depending on the
// repository by path), in release.
import ColFile
import Foundation

let rows = 10_000_000
let path = NSTemporaryDirectory() + "/draft-scan.draft"
try? FileManager.default.removeItem(atPath: path)
let draft = try ColFileDraft.create(path, rowCount: rows, columns: [DraftColumn("x", of: Double.self), DraftColumn("z", of: Double.self, initialRows: .zero), DraftColumn("n", of: Int64.self, initialRows: .zero), DraftColumn("t", of: Float.self, shape: [4])])
let n = try draft.atomicColumn("n", as: Int64.self)
let t = try draft.tensorColumn("t", as: Float.self)
let x = try draft.column("x", as: Double.self)
let z = try draft.column("z", as: Double.self)
func time(_ label: String, _ body: () -> Double) {
    var best = Double.infinity
    var result = 0.0
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        result = body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rows))
    }
    print(label, String(format: "%.2f ns/row", best), result)
}
time("subscript set, nullable") { for i in 0..<rows { x[i] = Double(i) }; return 0 }
time("subscript set, not nullable") { for i in 0..<rows { z[i] = Double(i) }; return 0 }
time("storedValue(at:) sum") { var s = 0.0; for i in 0..<rows { s += x.storedValue(at: i) }; return s }
time("subscript get sum") { var s = 0.0; for i in 0..<rows { s += x[i] ?? 0 }; return s }
time("atomic loadThenAdd") { for i in 0..<rows { n.loadThenAdd(1, at: i) }; return 0 }
time("atomic load sum") { var s = 0.0; for i in 0..<rows { s += Double(n.load(at: i)) }; return s }
time("write(span) 4096 at a time") { var buffer = [Double](repeating: 1, count: 4096); var i = 0; while i < rows { let n = min(4096, rows - i); buffer.withUnsafeBufferPointer { _ in }; x.write(Array(buffer[0..<n]), at: i); i += n }; return 0 }
let tensorRow: [Float] = [1, 2, 3, 4]
time("tensor write(_:atRow:), a row of 4 Float at a time") { for i in 0..<rows { t.write(tensorRow, atRow: i) }; return 0 }
time("tensor storedValue(row:element:) sum") { var s = 0.0; for i in 0..<rows { for e in 0..<4 { s += Double(t.storedValue(row: i, element: e)) } }; return s }
time("tensor fill(rows:) 4096 rows at a time") { var i = 0; while i < rows { let n = min(4096, rows - i); t.fill(rows: i..<(i + n)) { span in for k in span.indices { span[k] = 1 } }; i += n }; return 0 }
try? FileManager.default.removeItem(atPath: path)
