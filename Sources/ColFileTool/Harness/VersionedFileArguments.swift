import ArgumentParser

/// The arguments the republish scenario's helper processes share: the published path, the rows
/// of each version and the last version (``VersionedFile``).
struct VersionedFileArguments: ParsableArguments {
    @Option(help: "The last version: published last, or read last.")
    var last: Int

    @Option(help: "Rows of each version.")
    var rows: Int

    @Argument(help: "The path the versions are published to.")
    var path: String
}
