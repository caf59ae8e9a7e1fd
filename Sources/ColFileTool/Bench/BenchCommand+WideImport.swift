import ColFile
import ColFileCSV
import FoundationEssentials

extension BenchCommand {
    /// Import figures of a wide table beside a narrow one of the same bytes, in the same run:
    /// - `importWideMBps`: `CSVImporter` on a CSV of 10,000 Int64 columns × 200 rows (about 12 MB);
    /// - `importNarrowMBps`: the same on a CSV of 10 columns × 200,000 rows drawn the same way
    ///   (the same bytes, 1,000 times narrower);
    /// - `importWideOverNarrow`: the median of the per-pair ratios of their times (wide time /
    ///   narrow time), the samples of the two alternating so that each pair meets the same load.
    ///
    /// Both with 2 threads (integers only, so no column is dictionary-encoded); each sample after
    /// one untimed warm-up import of the same input.
    func measureWideImport(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let cases = [("Wide", Self.wideColumns, 200), ("Narrow", 10, 200_000)]
        var paths: [String] = []
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        var imports: [(bytes: Int, settings: CSVImporter.Settings)] = []
        for (suffix, columns, rows) in cases {
            let input = folder + "/colfile-bench-import-\(suffix.lowercased()).csv"
            let output = folder + "/colfile-bench-import-\(suffix.lowercased()).col"
            paths += [input, output]
            let bytes = try Self.writeIntegerCSV(input, columns: columns, rows: rows)
            var settings = CSVImporter.Settings(input: input, output: output)
            settings.threads = 2
            imports.append((bytes, settings))
        }
        Self.settle()
        var seconds: [[Double]] = Array(repeating: [], count: cases.count)
        for _ in 0..<repetitions {
            for (index, run) in imports.enumerated() {
                seconds[index] += try stopwatch.measure(1) { Double(try CSVImporter(run.settings).run().rows) }
            }
        }
        for (index, (suffix, columns, rows)) in cases.enumerated() {
            report.add("import\(suffix)MBps", seconds[index].map { Double(imports[index].bytes) / $0 / 1e6 },
                       unit: "MB/s", note: "colfile import of \(columns) Int64 columns x \(rows) rows, 2 threads")
        }
        report.add("importWideOverNarrow", zip(seconds[0], seconds[1]).map { $0 / $1 }, unit: "×", lowerIsBetter: true,
                   note: "wide import time / narrow import time, median of alternating pairs (target ≤ 2)")
    }

    /// Writes a CSV of `columns` columns `c0 ...` and `rows` rows of integers below 100,000 (a
    /// fixed linear congruential sequence); returns its size in bytes.
    static func writeIntegerCSV(_ path: String, columns: Int, rows: Int) throws -> Int {
        var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        var state: UInt64 = 1
        for _ in 0..<rows {
            for column in 0..<columns {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += String((state >> 33) % 100_000)
                text += column == columns - 1 ? "\n" : ","
            }
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return text.utf8.count
    }
}
