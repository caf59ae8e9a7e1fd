import ArgumentParser
import ColFile

/// `colfile dataset append FOLDER FILE... [--replace SHARD]`: the next version of a dataset.
struct DatasetAppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Publish the next version of a dataset: files added as shards, shards replaced.",
        discussion: """
            Each FILE becomes a new shard (hard-linked into the folder, or copied with --copy or \
            where a link is impossible); it must have the dataset's columns. --replace SHARD \
            leaves that shard out of the new version, and the new shards take its place in the \
            row order (they go at the end otherwise); its file stays for readers of older versions \
            until `colfile dataset gc` removes it. Readers of the current version are not \
            disturbed; new readers see the new version.

            When another writer publishes first, the change is applied again on top of its \
            version; it fails only if a shard to replace is no longer there.

            Examples:
              colfile dataset append trades.ds 2024-06-03.col 2024-06-04.col
              colfile dataset append trades.ds --replace 2024-06-01.col fixed-06-01.col
              colfile dataset append trades.ds --replace bad.col
              colfile dataset append trades.ds --metadata updated=2024-06-05

            Exit status: 0 published; 1 a FILE, manifest or shard is bad; 2 usage or I/O error, a \
            FILE does not fit the dataset's columns, or a shard to replace is gone.
            """
    )

    @OptionGroup var writeOptions: DatasetWriteOptions

    @Option(help: ArgumentHelp("Leave this shard (a file name the manifest lists) out of the new version (repeatable).",
                               valueName: "shard"))
    var replace: [String] = []

    @Argument(help: "The dataset's folder.")
    var folder: String

    @Argument(help: "The colfile files to add as shards.")
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty || !replace.isEmpty || !writeOptions.entries.isEmpty else {
            throw ValidationError("give a FILE to add, a --replace SHARD or a --metadata change")
        }
    }

    func run() throws {
        let transaction = try DatasetTransaction(updating: folder)
        for (key, value) in writeOptions.metadata { try transaction.setMetadata(value.isEmpty ? nil : value, forKey: key) }
        for file in files { try transaction.addFile(file, copying: writeOptions.copy) }
        for shard in replace { transaction.replace(shardNamed: shard) }
        let dataset = try transaction.commit()
        print(DatasetText.published(dataset))
    }
}
