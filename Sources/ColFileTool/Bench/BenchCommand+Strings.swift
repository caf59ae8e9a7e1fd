import ColFile
import FoundationEssentials

extension BenchCommand {
    /// The string figures, on a String column of min(N, 10 M) rows of which about one in ten is null
    /// (row `i` is null when the `i`-th output of SplitMix64 seeded with 0 is a multiple of 10, so
    /// `Tools/bench/peers.py` can make the same column for Arrow). Rates are in UTF-8 bytes of the
    /// non-null values per second (warm page cache):
    /// - `stringScanGBps`: `totalByteCount()`, the SIMD kernel masking nulls with the bitmap;
    /// - `stringRowLoopGBps`: Σ `byteCount(at:)` row by row (colfile writes null rows empty, so
    ///   the sum is the same), what `stringScanGBps` measured before the kernel;
    /// - `stringViewScanGBps`: Σ `bytes(at:).count`, a `MappedBytes` view per row;
    /// - `stringStatsGBps`: `statistics(_:)` (min, max and total length, the same kernel);
    /// - `stringStatsRowLoopGBps`: the same three figures row by row with `isNull(_:)` and
    ///   `byteCount(at:)`, what `statistics(_:)` did before the kernel;
    /// - `stringTotalNoNullsNanos`: `totalByteCount()` on the same strings without nulls, which is
    ///   two offsets (O(1)), in ns per call.
    func measureStrings(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let stringRows = min(rows, 10_000_000)
        let path = folder + "/colfile-bench-strings.col"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ColFileWriter(path: path, options: ColFileWriter.Options(syncsToDisk: false))
        let strings = (0..<stringRows).map { "symbol-\($0 % 500) order \($0 % 7)" }
        var random = SplitMix64(seed: 0)
        let validity = (0..<stringRows).map { _ in random.next() % 10 != 0 }
        let valueBytes = Double(zip(strings, validity).reduce(0) { $0 + ($1.1 ? $1.0.utf8.count : 0) })
        try writer.addColumn("text", zip(strings, validity).map { $0.1 ? $0.0 : nil })
        try writer.addColumn("dense", strings)
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let column = try reader.stringColumn("text")
        let dense = try reader.stringColumn("dense")
        try reader.prefault()
        // Ten passes per sample: one pass of the kernel takes about a millisecond.
        let passes = 10
        let kernel = stopwatch.measure(repetitions) {
            Double((0..<passes).reduce(0) { total, _ in total + column.totalByteCount() })
        }
        report.add("stringScanGBps", kernel.map { valueBytes * Double(passes) / $0 / 1e9 }, unit: "GB/s",
                   note: "\(stringRows) rows, \(validity.count { !$0 }) null: totalByteCount() (UTF-8 bytes/s)")
        let loop = stopwatch.measure(repetitions) {
            var total = 0
            for row in 0..<column.count { total += column.byteCount(at: row) }
            return Double(total)
        }
        report.add("stringRowLoopGBps", loop.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "the same with Σ byteCount(at:) row by row")
        let viewScan = stopwatch.measure(repetitions) {
            var total = 0
            for row in 0..<column.count { total += column.bytes(at: row).count }
            return Double(total)
        }
        report.add("stringViewScanGBps", viewScan.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "the same with bytes(at:).count (a MappedBytes view per row)")
        let statistics = try stopwatch.measure(repetitions) {
            guard case .lengths(_, let longest, let total) = try reader.statistics("text").values else { return 0 }
            return Double(total + (longest ?? 0))
        }
        report.add("stringStatsGBps", statistics.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "statistics(_:) of the same column: min, max and total length")
        let statisticsLoop = stopwatch.measure(repetitions) {
            var total = 0, shortest = Int.max, longest = -1
            for row in 0..<column.count where !column.isNull(row) {
                let length = column.byteCount(at: row)
                total += length
                shortest = min(shortest, length)
                longest = max(longest, length)
            }
            return Double(total + shortest + longest)
        }
        report.add("stringStatsRowLoopGBps", statisticsLoop.map { valueBytes / $0 / 1e9 }, unit: "GB/s",
                   note: "the same figures row by row: isNull(_:), byteCount(at:)")
        let calls = 1_000
        let noNulls = stopwatch.measure(repetitions) {
            Double((0..<calls).reduce(0) { total, _ in total + dense.totalByteCount() })
        }
        report.add("stringTotalNoNullsNanos", noNulls.map { $0 / Double(calls) * 1e9 }, unit: "ns", lowerIsBetter: true,
                   note: "totalByteCount() without nulls: two offsets, O(1)")
    }
}
