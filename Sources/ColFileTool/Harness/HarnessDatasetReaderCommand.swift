import ArgumentParser
import ColFile
import Glibc

/// `colfile harness-dataset-reader FOLDER --last V` (hidden): the reader of the dataset-republish
/// scenario.
///
/// Opens the newest version of the dataset in FOLDER and every one of its shards (each a
/// ``VersionedFile`` whose version is the shard's serial number) and checks them, prints
/// `holding V`, then polls the newest version. Once it is at least `--last`, it checks again
/// every shard of the version it holds, through the mappings it opened (the version's manifest
/// and some of its shards may have been removed meanwhile by garbage collection), opens the
/// newest version and checks it, prints `done HELD NEWEST` and exits 0. Any failed check exits 3.
struct HarnessDatasetReaderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness-dataset-reader",
        abstract: "Hold a dataset version while newer ones are published and collected (for the harness scenarios).",
        shouldDisplay: false
    )

    @Option(help: "The version to wait for.")
    var last: Int

    @Option(help: "Give up (exit 3) after this many seconds without reaching --last.")
    var patience = 300

    @Argument(help: "The dataset's folder.")
    var folder: String

    func run() throws {
        let held = try ColFileDataset.open(folder)
        let readers = try held.openAllShards()
        let serials = try Self.check(held, readers)
        try HarnessWriterCommand.say("holding \(held.version)")
        let clock = ContinuousClock()
        let start = clock.now
        while try held.newestVersion() < last {
            guard clock.now - start < .seconds(patience) else {
                throw ToolFailure.checkFailed("version \(last) did not appear in \(patience) s")
            }
            usleep(1_000)
        }
        guard try Self.check(held, readers) == serials else {
            throw ToolFailure.checkFailed("the shards of version \(held.version) changed under the reader")
        }
        let newest = try ColFileDataset.open(folder)
        _ = try Self.check(newest, try newest.openAllShards())
        try HarnessWriterCommand.say("done \(held.version) \(newest.version)")
    }

    /// Checks every shard of `dataset` through `readers` (``VersionedFile/check(_:rows:)``).
    ///
    /// - Returns: The shards' serial numbers, in order.
    static func check(_ dataset: ColFileDataset, _ readers: [ColFileReader]) throws -> [Int] {
        try zip(dataset.shards, readers).map { shard, reader in
            try VersionedFile.check(reader, rows: shard.rowCount)
        }
    }
}
