import ArgumentParser
import ColFile
import FoundationEssentials
import Glibc

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

    @Flag(help: "Keep colfile-bench-large.col (N rows: Float64 x, Int64 i) and colfile-bench-cold-large.col (x, zstd) in --dir, for Tools/bench/peers.py.")
    var keep = false

    @Flag(help: "Measure only the string figures (on min(--rows, 10 M) rows), for Tools/bench/peers.py --strings-only.")
    var stringsOnly = false

    @Flag(help: "Measure only the write, attach and wide-table figures (writes, attach, the kernel's floor, the wide file, wide and narrow imports).")
    var attachOnly = false

    @Flag(help: "Measure only the write figures (writeGBps, writeNamedGBps, writeSyncedGBps), for Tools/bench/peers.py --write-only.")
    var writeOnly = false

    @Flag(help: "Remove the file of the previous write (untimed) before each write, so every write makes a new file instead of replacing one, for Tools/bench/peers.py --new-files.")
    var newFiles = false

    @Flag(help: "Measure only the cold-column figures (codecs, on min(--rows, 10 M) rows), for Tools/bench/codecs.py.")
    var codecsOnly = false

    @Flag(help: "Measure only what the SIGBUS guard of file mappings costs: attach, first touch and scan with the guard off and on, alternating.")
    var guardCost = false

    func validate() throws {
        guard rows >= 1_000, repetitions >= 1 else {
            throw ValidationError("--rows must be at least 1000 and --repetitions at least 1")
        }
    }

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory.path
        if stringsOnly || codecsOnly || guardCost {
            var report = BenchReport(rows: rows, repetitions: repetitions)
            let stopwatch = Stopwatch()
            if stringsOnly { try measureStrings(folder: folder, report: &report, stopwatch: stopwatch) }
            if codecsOnly { try measureColdColumns(folder: folder, report: &report, stopwatch: stopwatch) }
            if guardCost { try measureGuardCost(folder: folder, report: &report, stopwatch: stopwatch) }
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
        let values = HugePageArray.make(count: rows) { Double($0 % 1000) * 0.5 }
        let bytes = Double(rows * 8)
        var report = BenchReport(rows: rows, repetitions: repetitions)
        let stopwatch = Stopwatch()

        try measureWrites(values, path: largePath, report: &report, stopwatch: stopwatch)
        Self.settle()
        if writeOnly {
            report.consumed = stopwatch.consumed
            print(json ? report.json() : report.table())
            return
        }
        let smallRows = 10_000_000 / 8
        let smallWriter = try ColFileWriter(path: smallPath)
        try smallWriter.addColumn("x", Array(values.prefix(smallRows)))
        try smallWriter.finish()
        Self.settle()

        try measureAttach(smallPath: smallPath, largePath: largePath, folder: folder, report: &report,
                          stopwatch: stopwatch)
        try measureWideImport(folder: folder, report: &report, stopwatch: stopwatch)
        if attachOnly {
            report.consumed = stopwatch.consumed
            print(json ? report.json() : report.table())
            return
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

    /// Waits until the writes before are done with the machine: the replaced files' pages freed
    /// (their last `close` runs on another thread, `ReplacedFile`) and every dirty page written
    /// back (`sync()`), so that work does not overlap the next figure's samples.
    static func settle() {
        ReplacedFile.waitForReleases()
        sync()
    }

    /// Writing the N-row Float64 column plus an N-row Int64 column: to the page cache
    /// (`syncsToDisk: false`) and durably (fsync of the file, rename, fsync of the folder).
    /// Leaves the file at `path`.
    private func measureWrites(_ values: [Double], path: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let integers = HugePageArray.make(count: rows) { Int64($0) }
        let written = Double(rows * 16)
        let runs: [(name: String, synced: Bool, named: Bool, note: String)] = [
            ("writeGBps", false, false, "Float64 + Int64 columns to the page cache (syncsToDisk: false), atomic rename"),
            ("writeNamedGBps", false, true, "the same into a named temporary file (useNamedTemporaryFile)"),
            ("writeSyncedGBps", true, false, "Float64 + Int64 columns incl. fsync, rename, folder fsync"),
        ]
        for run in runs {
            // Each run starts with nothing dirty (untimed `sync()`), as `Tools/bench/peers.py` does
            // for `np.save`: a run that replaced a file still dirty from the run before met twice the
            // dirty pages np.save does (it truncates first, dropping them; the writer keeps the
            // previous version whole until the new one is published) and, past the kernel's dirty
            // threshold, was throttled to the disk's speed (BENCHMARKS.md, "Writing at the page
            // cache's speed").
            // It also starts after the file the run before replaced is freed (on another thread,
            // `ReplacedFile`), so that work does not share the machine with this run.
            // With --new-files the previous write's file goes first (untimed), so the run writes a
            // new file rather than replacing one (BENCHMARKS.md says what each way includes).
            let prepare = {
                if newFiles { try? FileManager.default.removeItem(atPath: path) }
                Self.settle()
            }
            let write = try stopwatch.measure(repetitions, prepare: prepare) {
                var options = ColFileWriter.Options(syncsToDisk: run.synced)
                options.useNamedTemporaryFile = run.named
                let writer = try ColFileWriter(path: path, options: options)
                try writer.addColumn("x", values)
                try writer.addColumn("i", integers)
                try writer.finish()
                return 0
            }
            report.add(run.name, write.map { written / $0 / 1e9 }, unit: "GB/s", note: run.note)
        }
    }
}
