import ArgumentParser
import ColFile

/// `colfile dataset verify FOLDER`: every shard of a version checked against its manifest and in full.
struct DatasetVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a dataset version: every shard is the file its manifest names, and intact.",
        discussion: """
            Opens every shard of the version and checks its identity (file id and directory \
            CRC-32), row count, size and columns against the manifest, then runs the full check of \
            `colfile verify` on it (--quick skips that: only what opening checks). A shard that is \
            another file than its manifest names is an error, never read as if it were the shard.

            Examples:
              colfile dataset verify trades.ds
              colfile dataset verify --quick --version 3 trades.ds

            Exit status: 0 good; 1 a manifest or shard is bad or is not the file its manifest \
            names (named on stderr); 2 usage or I/O error (a missing shard).
            """
    )

    @Flag(help: "Check identities, sizes and columns only, not every byte.")
    var quick = false

    @Option(help: "The version to check (default: the newest).")
    var version: Int?

    @OptionGroup var quietOption: QuietOption

    @Argument(help: "The dataset's folder.")
    var folder: String

    func run() throws {
        let dataset = try ColFileDataset.open(folder, version: version)
        let progress = Progress("verify", quiet: quietOption.quiet)
        let ((), duration) = try timed {
            defer { progress.finish() }
            var bytes = 0
            try dataset.verify(checksums: !quick) { index in
                bytes += dataset.shards[index].fileBytes
                progress.update(column: index + 1, of: dataset.shards.count, bytes: bytes)
            }
        }
        guard !quietOption.quiet else { return }
        print("\(folder): version \(dataset.version) ok (\(TextFormatting.grouped(dataset.shards.count)) shards, "
              + "\(TextFormatting.grouped(dataset.rowCount)) rows, \(TextFormatting.bytes(dataset.fileBytes)) "
              + "\(quick ? "checked" : "verified") in \(TextFormatting.duration(duration)))")
    }
}
