import ArgumentParser
import ColFile

/// `colfile dataset inspect FOLDER`: a dataset version's schema, metadata and shards.
struct DatasetInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a dataset version: its schema, metadata and shards (name, rows, size, identity).",
        discussion: """
            Reads one manifest (the newest version's, or --version N's); no shard is opened.

            Examples:
              colfile dataset inspect trades.ds
              colfile dataset inspect --version 2 trades.ds
              colfile dataset inspect --json trades.ds | jq '.shards[].name'
            """
    )

    @Flag(help: "Print one JSON object (keys sorted) instead of the readable summary.")
    var json = false

    @Option(help: "The version to show (default: the newest).")
    var version: Int?

    @Argument(help: "The dataset's folder.")
    var folder: String

    func run() throws {
        let dataset = try ColFileDataset.open(folder, version: version)
        print(json ? try DatasetJSON.render(dataset) : DatasetText.render(dataset))
    }
}
