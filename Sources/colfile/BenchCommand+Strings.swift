import ColFile
import Foundation

extension BenchCommand {
    /// `stringScanGBps`: the total length of a string column of min(N, 10 M) rows through the
    /// zero-copy view, in UTF-8 bytes of the column per second (warm page cache).
    func measureStrings(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let stringRows = min(rows, 10_000_000)
        let path = folder + "/colfile-bench-strings.col"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ColFileWriter(path: path, options: ColFileWriter.Options(syncsToDisk: false))
        let strings = (0..<stringRows).map { "symbol-\($0 % 500) order \($0 % 7)" }
        let valueBytes = Double(strings.reduce(0) { $0 + $1.utf8.count })
        try writer.addColumn("text", strings)
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let column = try reader.stringColumn("text")
        try reader.prefault()
        let scan = stopwatch.measure(repetitions) {
            var total = 0
            for row in 0..<column.count { total += column.byteCount(at: row) }
            return Double(total)
        }
        report.add("stringScanGBps", scan.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "\(stringRows) rows: Σ byteCount(at:) through the view (UTF-8 bytes/s)")
        let viewScan = stopwatch.measure(repetitions) {
            var total = 0
            for row in 0..<column.count { total += column.bytes(at: row).count }
            return Double(total)
        }
        report.add("stringViewScanGBps", viewScan.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "the same with bytes(at:).count (a MappedBytes view per row)")
    }
}
