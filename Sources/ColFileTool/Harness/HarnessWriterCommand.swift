import ArgumentParser
import SystemPackage

/// `colfile harness-writer PATH` (hidden): publishes versions `--first` … `--last` of a
/// ``VersionedFile`` at PATH, one after the other; the writer of the republish and writer-killed
/// scenarios. Prints `writing V` once each version's temporary file exists and `published V` after
/// its rename.
struct HarnessWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness-writer",
        abstract: "Publish versions of a generated file in a loop (for the harness scenarios).",
        shouldDisplay: false
    )

    @Option(help: "The first version to publish.")
    var first: Int

    @OptionGroup var versions: VersionedFileArguments

    @Flag(help: "Use a named temporary file instead of O_TMPFILE.")
    var namedTemporary = false

    func validate() throws {
        guard first <= versions.last, versions.rows >= 1 else {
            throw ValidationError("need --first <= --last and --rows >= 1")
        }
    }

    func run() throws {
        for version in first...versions.last {
            try VersionedFile.write(version: version, rows: versions.rows, to: versions.path,
                                    namedTemporary: namedTemporary) {
                try Self.say("writing \(version)")
            }
            try Self.say("published \(version)")
        }
    }

    /// Writes `line` to standard output at once.
    static func say(_ line: String) throws {
        try FileDescriptor.standardOutput.writeAll((line + "\n").utf8)
    }
}
