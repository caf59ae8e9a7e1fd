import ArgumentParser
import ColFile

/// `colfile dataset gc FOLDER`: removes the manifests and shards the newest versions no longer need.
struct DatasetGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove old versions' manifests and the shards no kept version names.",
        discussion: """
            Keeps the newest --keep versions (their manifests and every shard they name) and \
            removes the older manifests, then every file that could be a shard (a name not \
            starting with . or _) that no kept version names and that has not changed for \
            --grace. It takes the dataset's lock alone, so it never runs while a writer (colfile \
            dataset create/append, import --shard-rows, the libraries' transactions) is between \
            writing shards and publishing them: it fails then, or waits with --wait. The grace \
            period protects writers that do not lock, and removes the leftovers of writers that \
            died once it has passed.

            Readers need no lock: a reader that has a shard open keeps reading it; one that opens \
            a shard of a removed version afterwards gets an error (no such file), never another \
            version's data.

            Examples:
              colfile dataset gc trades.ds
              colfile dataset gc --keep 1 --grace 10m --dry-run trades.ds

            Exit status: 0 done; 1 a kept manifest is bad; 2 usage or I/O error, or a writer holds \
            the lock (without --wait).
            """
    )

    @Option(help: "How many of the newest versions to keep (at least 1).")
    var keep = 2

    @Option(help: "Remove unnamed files only once unchanged for this long: a number and s, m, h or d.")
    var grace = "1h"

    @Flag(help: "List what would be removed, remove nothing.")
    var dryRun = false

    @Flag(help: "Wait for writers that hold the dataset's lock instead of failing.")
    var wait = false

    @Argument(help: "The dataset's folder.")
    var folder: String

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        guard DurationText.seconds(grace) != nil else {
            throw ValidationError("--grace takes a number and a unit s, m, h or d, e.g. 90m or 1d")
        }
    }

    func run() throws {
        let seconds = DurationText.seconds(grace)!
        let report = try ColFileDataset.collectGarbage(at: folder, keeping: keep, grace: .milliseconds(Int64(seconds * 1000)),
                                                       dryRun: dryRun, waitingForWriters: wait)
        print(DatasetText.render(report, folder: folder, dryRun: dryRun))
    }
}
