import ArgumentParser

/// `colfile dataset`: sharded datasets, a folder of colfile files and a manifest per version
/// (Specification.md §14).
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Create, grow, inspect, verify and garbage-collect sharded datasets (a folder of colfile files).",
        discussion: """
            A dataset is one table stored as many colfile files (shards) in one folder, listed by a \
            manifest per version (_manifest-00000000000000000001.col, …), itself a colfile file. \
            Every change publishes a new version atomically: readers that opened a version keep \
            reading it (shards are never modified), new readers see the new one, and a writer that \
            loses a race to publish builds on the winner's version. Old manifests and shards stay \
            until `colfile dataset gc` removes what the newest versions no longer name.

            Examples:
              colfile dataset create trades.ds 2024-06-01.col 2024-06-02.col
              colfile dataset append trades.ds 2024-06-03.col
              colfile dataset append trades.ds --replace 2024-06-01.col fixed-06-01.col
              colfile dataset inspect trades.ds
              colfile dataset verify trades.ds
              colfile dataset gc --keep 2 trades.ds
              colfile import --shard-rows 1000000 big.csv big.ds

            Exit status: 0 success; 1 a manifest or shard is bad, or a shard is not the file its \
            manifest names; 2 usage or I/O error, or another writer published a conflicting version.
            """,
        subcommands: [DatasetCreateCommand.self, DatasetAppendCommand.self, DatasetInspectCommand.self,
                      DatasetVerifyCommand.self, DatasetGCCommand.self]
    )
}
