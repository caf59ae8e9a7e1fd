import ArgumentParser
import ColFile
import Glibc

/// `colfile harness-reader-loop PATH --last V` (hidden): the reader of the republish scenario.
///
/// Opens PATH and checks the version it holds (``VersionedFile/check(_:rows:)``), prints
/// `holding V`, then polls ``ColFileReader/fileHasBeenReplaced()``; each time the file was
/// replaced it opens it again, checks the new version (which must be newer) and checks again the
/// version it still holds, which must read as before. It keeps its very first reader to the end
/// and checks it once more after reaching version `--last`, then prints
/// `done OPENS VERSIONS-SEEN` and exits 0. Any failed check exits 3 with a message.
struct HarnessReaderLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness-reader-loop",
        abstract: "Reopen a republished file in a loop, checking every version (for the harness scenarios).",
        shouldDisplay: false
    )

    @OptionGroup var versions: VersionedFileArguments

    @Option(help: "Give up (exit 3) after this many seconds without a new version.")
    var patience = 300

    func run() throws {
        let (path, rows, last) = (versions.path, versions.rows, versions.last)
        let first = try ColFileReader.open(path)
        let firstVersion = try VersionedFile.check(first, rows: rows)
        try HarnessWriterCommand.say("holding \(firstVersion)")
        var held = first
        var heldVersion = firstVersion
        var opens = 1
        var seen = 1
        let clock = ContinuousClock()
        var lastChange = clock.now
        while heldVersion < last {
            guard held.fileHasBeenReplaced() else {
                guard clock.now - lastChange < .seconds(patience) else {
                    throw ToolFailure.checkFailed("no new version after version \(heldVersion) in \(patience) s")
                }
                usleep(1_000)
                continue
            }
            let fresh = try ColFileReader.open(path)
            opens += 1
            let version = try VersionedFile.check(fresh, rows: rows)
            guard version > heldVersion else {
                throw ToolFailure.checkFailed("opened version \(version) after version \(heldVersion)")
            }
            guard try VersionedFile.check(held, rows: rows) == heldVersion else {
                throw ToolFailure.checkFailed("the version held changed under the reader")
            }
            held = fresh
            heldVersion = version
            seen += 1
            lastChange = clock.now
        }
        guard try VersionedFile.check(first, rows: rows) == firstVersion else {
            throw ToolFailure.checkFailed("the first version read changed under the reader")
        }
        try HarnessWriterCommand.say("done \(opens) \(seen)")
    }
}
