import ArgumentParser
import ColFile
import FoundationEssentials
import Glibc
import SystemPackage

/// `colfile harness-worker FILE` (hidden): one reader process of `colfile harness`, speaking the
/// line protocol of ``WorkerStage`` on its standard input and output.
struct HarnessWorkerCommand: ParsableCommand, HandlesFileChanges {
    static let configuration = CommandConfiguration(
        commandName: "harness-worker",
        abstract: "One reader process of `colfile harness` (driven through its standard input and output).",
        shouldDisplay: false
    )

    @Option(help: "shared (map the file) or copy (read it into private memory).")
    var mode: HarnessMode = .shared

    @Option(help: "Comma-separated names of the columns to scan (default: all).")
    var columns: String?

    @Option(help: "all (hash every value) or pages (hash one row per page; every page is still read).")
    var checksum: ChecksumSampling = .all

    @Option(help: "The folder of the shared decode cache (default: the library's).")
    var cacheDir: String?

    @Flag(help: "Scan again and again until the reader reports that the file changed (the truncated scenario), at most 120 s.")
    var untilChanged = false

    @Argument(help: "The colfile file to read.")
    var file: String

    func run() throws {
        let scan = HarnessScan(mode: mode, columns: try columns.map(HarnessCommand.columnList), sampling: checksum,
                               cacheFolder: cacheDir)
        try Self.send(.ready)
        try Self.await(.ready)
        let before = try MemoryRollup.current()
        let (reader, openTime) = try timed { try scan.open(file) }
        _ = try scan.chosenColumns(of: reader)
        try Self.send(.opened)
        try Self.await(.opened)
        try Self.send(.scanning)
        let (watched, scanTime) = try timed {
            untilChanged ? try Self.scanUntilChanged(scan, reader) : WatchedScan(result: try scan.scan(reader))
        }
        let result = watched.result
        try Self.send(.scanned)
        try Self.await(.scanned)
        let after = try MemoryRollup.current()
        var figures = WorkerReport.Figures(
            pid: getpid(), openMicros: Int(TextFormatting.seconds(openTime) * 1e6),
            scanMillis: TextFormatting.seconds(scanTime) * 1e3, pssBeforeKiB: before.pssKiB,
            checksum: TextFormatting.hex(result.checksum, width: 16), bytesTouched: result.bytesTouched,
            fileBytes: reader.fileBytes, fileReplaced: reader.fileHasBeenReplaced())
        if untilChanged {
            figures.scanPasses = watched.passes
            figures.fileChanged = watched.change?.description
            figures.reopened = Self.reopen(file, scan)
        }
        let report = WorkerReport(figures, memory: after)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        try Self.send(.report, json)
        // Keep the mapping until the harness has every report, then exit.
        while readLine() != nil {}
        withExtendedLifetime(reader) {}
    }

    /// What a worker's scans found.
    struct WatchedScan {
        /// The checksum and bytes of the last scan that completed on an intact file.
        var result: (checksum: UInt64, bytesTouched: Int)
        /// The scans made (the last one may have met the change).
        var passes = 1
        /// The change the reader reported, if any.
        var change: ColFileError?
    }

    /// Scans until the reader reports that its file changed (``ColFile/ColFileReader/checkIntact()``,
    /// or a view that refuses with ``ColFile/ColFileError/Code/fileChanged``), at most 120 s: the
    /// reader survives a truncation of its file and says so.
    static func scanUntilChanged(_ scan: HarnessScan, _ reader: ColFileReader) throws -> WatchedScan {
        var watched = WatchedScan(result: (0, 0), passes: 0)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            watched.passes += 1
            do {
                let result = try scan.scan(reader)
                try reader.checkIntact()
                watched.result = result
            } catch let error as ColFileError where error.code == .fileChanged {
                watched.change = error
                break
            }
        }
        return watched
    }

    /// Opens `path` again after a change: `ok`, or the code of the error.
    static func reopen(_ path: String, _ scan: HarnessScan) -> String {
        do {
            _ = try scan.open(path)
            return "ok"
        } catch let error as ColFileError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    /// Writes `STAGE [payload]` and a newline to standard output, unbuffered.
    static func send(_ stage: WorkerStage, _ payload: String? = nil) throws {
        let line = stage.rawValue + (payload.map { " " + $0 } ?? "") + "\n"
        try FileDescriptor.standardOutput.writeAll(line.utf8)
    }

    /// Waits for the harness's reply to `stage`; exits with status 3 when input ends first.
    static func await(_ stage: WorkerStage) throws {
        guard let expected = stage.reply else { return }
        guard let line = readLine() else { throw ExitCode(3) }
        guard line == expected else {
            throw ValidationError("harness-worker expected '\(expected)' on its input and read '\(line)'")
        }
    }
}
