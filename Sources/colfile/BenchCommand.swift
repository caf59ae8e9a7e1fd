import ArgumentParser
@_spi(Benchmarks) import ColFile
import Foundation

/// `colfile bench`: measures attach, scan and write on generated data, as ratios to the
/// physical limits (memcpy, a scan of a Swift array) measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure write, attach and scan speed on generated data (use a release build).",
        discussion: """
            Every figure is the median of --repetitions runs, with the fastest beside it.
            Example: swift run -c release colfile bench --rows 100000000
            """
    )

    @Option(help: "Rows of the large Float64 column.")
    var rows = 100_000_000

    @Option(help: "Folder for the generated files (default: the system's temporary folder).")
    var dir: String?

    @Option(help: "Repetitions of each measurement.")
    var repetitions = 5

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard rows >= 1_000, repetitions >= 1 else {
            throw ValidationError("--rows must be at least 1000 and --repetitions at least 1")
        }
    }

    func run() throws {
        let folder = dir ?? FileManager.default.temporaryDirectory.path
        let largePath = folder + "/colfile-bench-large.col"
        let smallPath = folder + "/colfile-bench-small.col"
        defer {
            try? FileManager.default.removeItem(atPath: largePath)
            try? FileManager.default.removeItem(atPath: smallPath)
        }
        let values = (0..<rows).map { Double($0 % 1000) * 0.5 }
        let bytes = Double(rows * 8)
        var report = BenchReport(rows: rows, repetitions: repetitions)
        let stopwatch = Stopwatch()

        let write = try stopwatch.measure(repetitions) {
            let writer = try ColFileWriter(path: largePath)
            try writer.addColumn("x", values)
            try writer.finish()
            return 0
        }
        report.add("writeSyncedGBps", write.map { bytes / $0 / 1e9 }, unit: "GB/s",
                   note: "Float64 column incl. fsync + rename")
        let smallRows = 10_000_000 / 8
        let smallWriter = try ColFileWriter(path: smallPath)
        try smallWriter.addColumn("x", Array(values.prefix(smallRows)))
        try smallWriter.finish()

        for (name, path) in [("attachMicrosSmall", smallPath), ("attachMicrosLarge", largePath)] {
            _ = try firstValue(path)
            let attach = try stopwatch.measure(repetitions) {
                // 100 attaches per sample, so the timer's resolution does not matter.
                return try (0..<100).reduce(0.0) { total, _ in total + (try firstValue(path)) }
            }
            report.add(name, attach.map { $0 / 100 * 1e6 }, unit: "µs", lowerIsBetter: true,
                       note: "open + validate + first value")
        }

        let reader = try ColFileReader.open(largePath)
        let column = try reader.column("x", as: Double.self)
        try reader.prefault()
        let scan = stopwatch.measure(repetitions) { column.sum() }
        report.add("scanGBps", scan.map { bytes / $0 / 1e9 }, unit: "GB/s", note: "sum() through the mapped view")
        let arrayScan = stopwatch.measure(repetitions) {
            unsafe values.withUnsafeBufferPointer { unsafe Reductions.sum($0) }
        }
        report.add("arrayScanGBps", arrayScan.map { bytes / $0 / 1e9 }, unit: "GB/s",
                   note: "same kernel over a Swift [Double]")
        var destination = [Double](repeating: 0, count: rows)
        let copy = stopwatch.measure(repetitions) {
            unsafe destination.withUnsafeMutableBytes { target in
                unsafe values.withUnsafeBytes { source in unsafe target.copyMemory(from: source) }
            }
            return destination[rows / 2]
        }
        report.add("memcpyGBps", copy.map { bytes / $0 / 1e9 }, unit: "GB/s", note: "memcpy of the same bytes")
        let loop = stopwatch.measure(repetitions) {
            var total = 0.0
            for value in column { total += value }
            return total
        }
        report.add("elementLoopGBps", loop.map { bytes / $0 / 1e9 }, unit: "GB/s",
                   note: "for-in over the view from another module")
        let arrayLoop = stopwatch.measure(repetitions) {
            var total = 0.0
            for value in values { total += value }
            return total
        }
        report.add("arrayElementLoopGBps", arrayLoop.map { bytes / $0 / 1e9 }, unit: "GB/s",
                   note: "the same for-in over a Swift [Double]")

        let firstTouch = try stopwatch.measure(repetitions) {
            let fresh = try ColFileReader.open(largePath)
            return try fresh.column("x", as: Double.self).sum()
        }
        report.add("firstTouchMillis", firstTouch.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "new mapping, one sum (page faults)")
        let prefaulted = try stopwatch.measure(repetitions) {
            let fresh = try ColFileReader.open(largePath)
            try fresh.prefault()
            return try fresh.column("x", as: Double.self).sum()
        }
        report.add("firstTouchPrefaultMillis", prefaulted.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "new mapping, MADV_POPULATE_READ, one sum")
        report.consumed = stopwatch.consumed
        print(json ? report.json() : report.table())
    }

    private func firstValue(_ path: String) throws -> Double {
        try ColFileReader.open(path).column("x", as: Double.self)[0]
    }
}

/// Times closures; what each returns is added to ``consumed``, which the report prints, so the
/// optimizer cannot drop the measured work.
final class Stopwatch {
    /// The sum of every measured result.
    private(set) var consumed = 0.0
    private let clock = ContinuousClock()

    /// Runs `body` `count` times; returns the seconds each run took.
    func measure(_ count: Int, _ body: () throws -> Double) rethrows -> [Double] {
        try (0..<count).map { _ in
            var result = 0.0
            let elapsed = try clock.measure { result = try body() }
            consumed += result
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
