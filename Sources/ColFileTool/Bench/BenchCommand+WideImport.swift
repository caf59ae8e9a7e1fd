import ColFile
import ColFileCSV
import Foundation

extension BenchCommand {
    /// Import figures of a wide table beside a narrow one of the same bytes, in the same run:
    /// - `importWideMBps`: `CSVImporter` on a CSV of 10,000 Int64 columns × 200 rows (about 12 MB);
    /// - `importNarrowMBps`: the same on a CSV of 10 columns × 200,000 rows drawn the same way
    ///   (the same bytes, 1,000 times narrower).
    ///
    /// Both with 2 threads (integers only, so no column is dictionary-encoded).
    func measureWideImport(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let cases = [("Wide", Self.wideColumns, 200), ("Narrow", 10, 200_000)]
        for (suffix, columns, rows) in cases {
            let input = folder + "/colfile-bench-import-\(suffix.lowercased()).csv"
            let output = folder + "/colfile-bench-import-\(suffix.lowercased()).col"
            defer {
                try? FileManager.default.removeItem(atPath: input)
                try? FileManager.default.removeItem(atPath: output)
            }
            let bytes = try Self.writeIntegerCSV(input, columns: columns, rows: rows)
            var settings = CSVImporter.Settings(input: input, output: output)
            settings.threads = 2
            let seconds = try stopwatch.measure(repetitions) {
                Double(try CSVImporter(settings).run().rows)
            }
            report.add("import\(suffix)MBps", seconds.map { Double(bytes) / $0 / 1e6 }, unit: "MB/s",
                       note: "colfile import of \(columns) Int64 columns x \(rows) rows, 2 threads")
        }
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
