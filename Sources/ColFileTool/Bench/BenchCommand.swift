import ArgumentParser
import ColFile
import Foundation

/// `colfile bench`: measures attach, scan and write on generated data, as ratios to the
/// physical limits (memcpy, a scan of a Swift array) measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure write, attach and scan speed on generated data (use a release build).",
        discussion: """
            Every figure is the median of --repetitions runs (after one untimed warm-up run), with
            the fastest beside it.
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

    @Flag(help: "Keep colfile-bench-large.col (N rows: Float64 x, Int64 i) and colfile-bench-cold-large.col (x, zlib) in --dir, for Tools/bench/peers.py.")
    var keep = false

    @Flag(help: "Measure only the string figures (on min(--rows, 10 M) rows), for Tools/bench/peers.py --strings-only.")
    var stringsOnly = false

    func validate() throws {
        guard rows >= 1_000, repetitions >= 1 else {
            throw ValidationError("--rows must be at least 1000 and --repetitions at least 1")
        }
    }

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory.path
        if stringsOnly {
            var report = BenchReport(rows: rows, repetitions: repetitions)
            let stopwatch = Stopwatch()
            try measureStrings(folder: folder, report: &report, stopwatch: stopwatch)
            report.consumed = stopwatch.consumed
            print(json ? report.json() : report.table())
            return
        }
        let largePath = folder + "/colfile-bench-large.col"
        let smallPath = folder + "/colfile-bench-small.col"
        defer {
            if !keep { try? FileManager.default.removeItem(atPath: largePath) }
            try? FileManager.default.removeItem(atPath: smallPath)
        }
        let values = (0..<rows).map { Double($0 % 1000) * 0.5 }
        let bytes = Double(rows * 8)
        var report = BenchReport(rows: rows, repetitions: repetitions)
        let stopwatch = Stopwatch()

        try measureWrites(values, path: largePath, report: &report, stopwatch: stopwatch)
        let smallRows = 10_000_000 / 8
        let smallWriter = try ColFileWriter(path: smallPath)
        try smallWriter.addColumn("x", Array(values.prefix(smallRows)))
        try smallWriter.finish()
        sync()

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
            Reductions.sum(values.span)
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
            for value in column.values { total += value }
            return total
        }
        report.add("elementLoopGBps", loop.map { bytes / $0 / 1e9 }, unit: "GB/s",
                   note: "for-in over the view's values from another module")
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
        try measureStrings(folder: folder, report: &report, stopwatch: stopwatch)
        try measureColdColumns(folder: folder, report: &report, stopwatch: stopwatch)
        try await measureSharing(largePath: largePath, values: values, folder: folder, report: &report)
        report.consumed = stopwatch.consumed
        print(json ? report.json() : report.table())
    }

    /// Compression ratios, decode speed against zlib's own `uncompress`, random-row latency and
    /// attach to an already decoded column against decoding it again.
    private func measureColdColumns(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let coldRows = min(rows, 10_000_000)
        let path = folder + "/colfile-bench-cold.col"
        let cache = folder + "/colfile-bench-cache"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: cache)
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let writer = try ColFileWriter(path: path)
        writer.defaultCompression = .zlib()
        try writer.addColumn("int", (0..<coldRows).map { Int64($0 % 1000) })
        try writer.addColumn("float", (0..<coldRows).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        })
        try writer.addColumn("text", (0..<coldRows).map { "symbol-\($0 % 500) order \($0 % 7)" })
        try writer.finish()
        let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
        var totals: [(bytes: Double, colfile: [Double], zlib: [Double])] = []
        for name in ["int", "float", "text"] {
            let info = try reader.info(name)
            report.add("compressionRatio_\(name)", [Double(info.storedBytes) / Double(info.rawBytes)], unit: "",
                       lowerIsBetter: true, note: "stored / raw bytes, zlib level 6, 64 KiB chunks")
            var timings: [DecodeBenchmark.Timings] = []
            _ = try stopwatch.measure(repetitions) {
                timings.append(try DecodeBenchmark.time(reader, column: name))
                return 0
            }
            let megabytes = Double(timings[0].decodedBytes) / 1e6
            totals.append((megabytes, timings.map(\.colfileSeconds), timings.map(\.zlibSeconds)))
            report.add("zlibDecodeMBps_\(name)", timings.map { megabytes / $0.colfileSeconds }, unit: "MB/s",
                       note: "colfile chunk decode, 1 thread")
            report.add("zlibDecodeCheckedMBps_\(name)", timings.map { megabytes / $0.colfileCheckedSeconds },
                       unit: "MB/s", note: "colfile chunk decode + chunk CRC-32 check, 1 thread")
            report.add("zlibDecodeParallelMBps_\(name)", timings.map { megabytes / $0.colfileParallelSeconds },
                       unit: "MB/s", note: "colfile chunk decode, all cores")
            report.add("zlibReferenceMBps_\(name)", timings.map { megabytes / $0.zlibSeconds }, unit: "MB/s",
                       note: "zlib uncompress on the same chunks, 1 thread")
        }
        // The three columns together, repetition by repetition.
        let megabytes = totals.reduce(0) { $0 + $1.bytes }
        let runs = 0..<repetitions
        report.add("zlibDecodeMBps", runs.map { run in megabytes / totals.reduce(0) { $0 + $1.colfile[run] } },
                   unit: "MB/s", note: "colfile chunk decode of int + float + text, 1 thread")
        report.add("zlibReferenceMBps", runs.map { run in megabytes / totals.reduce(0) { $0 + $1.zlib[run] } },
                   unit: "MB/s", note: "zlib uncompress on the same chunks, 1 thread")
        let chunked = try reader.chunkedColumn("float")
        let randomRow = try stopwatch.measure(repetitions) {
            var total = 0.0
            for _ in 0..<200 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                total += try chunked.value(at: Int(state >> 33) % coldRows, as: Double.self) ?? 0
            }
            return total
        }
        report.add("coldRandomRowMicros", randomRow.map { $0 / 200 * 1e6 }, unit: "µs", lowerIsBetter: true,
                   note: "one random row of a cold Float64 column (one chunk decode)")
        _ = try reader.column("int", as: Int64.self)
        let firstAttach = try stopwatch.measure(repetitions) {
            ColdColumnCache.forgetCheckedEntries()
            let fresh = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
            return Double(try fresh.column("int", as: Int64.self).storedValue(at: 1))
        }
        report.add("coldSharedFirstAttachMillis", firstAttach.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "first reader in a process: map the decoded entry + CRC-32 check")
        let sharedAttach = try stopwatch.measure(repetitions) {
            try (0..<20).reduce(0.0) { total, _ in
                let fresh = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
                return total + Double(try fresh.column("int", as: Int64.self).storedValue(at: 1))
            }
        }
        report.add("coldSharedAttachMicros", sharedAttach.map { $0 / 20 * 1e6 }, unit: "µs", lowerIsBetter: true,
                   note: "later readers in the process: map the checked entry, first value")
        let decodeAgain = try stopwatch.measure(repetitions) {
            let fresh = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .privateMemory))
            return Double(try fresh.column("int", as: Int64.self).storedValue(at: 1))
        }
        report.add("coldDecodeAgainMillis", decodeAgain.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "new reader, decode the Int64 column privately, first value")
    }

    /// Writing the N-row Float64 column plus an N-row Int64 column: to the page cache
    /// (`syncsToDisk: false`) and durably (fsync of the file, rename, fsync of the folder).
    /// Leaves the file at `path`.
    private func measureWrites(_ values: [Double], path: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let integers = (0..<rows).map { Int64($0) }
        let written = Double(rows * 16)
        let runs: [(name: String, synced: Bool, named: Bool, note: String)] = [
            ("writeGBps", false, false, "Float64 + Int64 columns to the page cache (syncsToDisk: false), atomic rename"),
            ("writeNamedGBps", false, true, "the same into a named temporary file (useNamedTemporaryFile)"),
            ("writeSyncedGBps", true, false, "Float64 + Int64 columns incl. fsync, rename, folder fsync"),
        ]
        for run in runs {
            let write = try stopwatch.measure(repetitions) {
                var options = ColFileWriter.Options(syncsToDisk: run.synced)
                options.useNamedTemporaryFile = run.named
                let writer = try ColFileWriter(path: path, options: options)
                try writer.addColumn("x", values)
                try writer.addColumn("i", integers)
                try writer.finish()
                return 0
            }
            // Write back what the page-cache runs left dirty, so it does not slow what follows.
            sync()
            report.add(run.name, write.map { written / $0 / 1e9 }, unit: "GB/s", note: run.note)
        }
    }

    private func firstValue(_ path: String) throws -> Double {
        try ColFileReader.open(path).column("x", as: Double.self).storedValue(at: 0)
    }
}
