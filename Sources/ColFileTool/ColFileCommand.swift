import ArgumentParser
import ColFile

/// The `colfile` tool: inspect, create and measure colfile files.
@main
struct ColFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colfile",
        abstract: "Typed columnar files that many processes share through one memory mapping.",
        discussion: """
            Errors are reported as one line on stderr: `colfile: <what went wrong>`.

            Exit codes: 0 success; 1 the file is bad (its first problem is named on stderr), or it \
            changed or was truncated while being read; \
            2 usage error (including an unknown column name) or the file could not be read or \
            written (I/O); 3 `colfile harness` saw a worker fail, workers disagree or a scenario fail.
            """,
        version: "0.2.0 (format 1.2)",
        subcommands: [InspectCommand.self, ImportCommand.self, ExportCommand.self, HeadCommand.self, StatsCommand.self,
                      VerifyCommand.self, DatasetCommand.self, DemoCommand.self, BenchCommand.self, HarnessCommand.self,
                      CacheCommand.self, CleanCommand.self, ChecksumCommand.self, DraftCommand.self,
                      HarnessWorkerCommand.self, HarnessWriterCommand.self, HarnessFillerCommand.self,
                      HarnessReaderLoopCommand.self, HarnessDatasetReaderCommand.self]
    )

    /// Parses the command line and runs the chosen subcommand; every error it throws ends the
    /// process through ``Failure/exit(with:)``, with the documented exit status.
    ///
    /// A file truncated or changed while a command had it mapped ends the command with one line
    /// naming it and exit status 1, whatever the command did or threw meanwhile (the values it
    /// read after the change were zeros), except in commands that deal with it themselves
    /// (``HandlesFileChanges``). A cold column decoded privately because the decode cache cannot
    /// be used is told once on stderr (``CacheFallbackWarning``).
    static func main() async {
        var checksChanges = true
        CacheFallbackWarning.install()
        do {
            var command = try await asyncParseAsRoot()
            checksChanges = !(type(of: command) is any HandlesFileChanges.Type)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if checksChanges { Failure.exitIfFilesChanged() }
            Failure.exit(with: error)
        }
        if checksChanges { Failure.exitIfFilesChanged() }
    }
}
