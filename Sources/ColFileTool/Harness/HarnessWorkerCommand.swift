import ArgumentParser
import ColFile
import Foundation

/// `colfile harness-worker FILE` (hidden): one reader process of `colfile harness`, speaking the
/// line protocol of ``WorkerStage`` on its standard input and output.
struct HarnessWorkerCommand: ParsableCommand {
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
        let (result, scanTime) = try timed { try scan.scan(reader) }
        try Self.send(.scanned)
        try Self.await(.scanned)
        let after = try MemoryRollup.current()
        let figures = WorkerReport.Figures(
            pid: getpid(), openMicros: Int(TextFormatting.seconds(openTime) * 1e6),
            scanMillis: TextFormatting.seconds(scanTime) * 1e3, pssBeforeKiB: before.pssKiB,
            checksum: TextFormatting.hex(result.checksum, width: 16), bytesTouched: result.bytesTouched,
            fileBytes: reader.fileBytes, fileReplaced: reader.fileHasBeenReplaced())
        let report = WorkerReport(figures, memory: after)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        try Self.send(.report, json)
        // Keep the mapping until the harness has every report, then exit.
        while readLine() != nil {}
        withExtendedLifetime(reader) {}
    }

    /// Writes `STAGE [payload]` and a newline to standard output, unbuffered.
    static func send(_ stage: WorkerStage, _ payload: String? = nil) throws {
        let line = stage.rawValue + (payload.map { " " + $0 } ?? "") + "\n"
        try FileHandle.standardOutput.write(contentsOf: Data(line.utf8))
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
