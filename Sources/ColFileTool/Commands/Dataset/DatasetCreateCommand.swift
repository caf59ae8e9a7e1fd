import ArgumentParser
import ColFile

/// `colfile dataset create FOLDER FILE...`: a new dataset whose version 1 holds the files.
struct DatasetCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a dataset from colfile files with the same columns (its version 1).",
        discussion: """
            Each FILE becomes a shard, in the order given: it is hard-linked into FOLDER (made if \
            missing) under its own name, or a variant of it when that is taken, or copied with \
            --copy or where a link is impossible. The schema is the first file's columns; every \
            file must have the same names, types and shapes (a column is nullable when any file \
            has nulls in it). Version 1 is published only when every file is in place.

            Examples:
              colfile dataset create trades.ds 2024-06-01.col 2024-06-02.col
              colfile dataset create --copy --metadata source=exchange trades.ds day*.col

            Exit status: 0 created; 1 a FILE is bad; 2 usage or I/O error, a FILE does not fit the \
            first one's columns, or FOLDER already holds a dataset.
            """
    )

    @OptionGroup var writeOptions: DatasetWriteOptions

    @Argument(help: "The dataset's folder.")
    var folder: String

    @Argument(help: "The colfile files to make its shards.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one FILE") }
    }

    func run() throws {
        let transaction = try DatasetTransaction(creating: folder,
                                                 metadata: Dictionary(writeOptions.metadata, uniquingKeysWith: { $1 }))
        for file in files { try transaction.addFile(file, copying: writeOptions.copy) }
        let dataset = try transaction.commit()
        print(DatasetText.published(dataset))
    }
}
