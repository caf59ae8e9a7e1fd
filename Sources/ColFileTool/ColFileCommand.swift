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

            Exit codes: 0 success; 1 the file is bad (its first problem is named on stderr); \
            2 usage error (including an unknown column name) or the file could not be read or \
            written (I/O); 3 `colfile harness` saw a worker fail, workers disagree or a scenario fail.
            """,
        version: "0.2.0 (format 1.2)",
        subcommands: [InspectCommand.self, ImportCommand.self, ExportCommand.self, HeadCommand.self, StatsCommand.self,
                      VerifyCommand.self, DatasetCommand.self, DemoCommand.self, BenchCommand.self, HarnessCommand.self, CacheCommand.self,
                      CleanCommand.self, ChecksumCommand.self, HarnessWorkerCommand.self, HarnessWriterCommand.self,
                      HarnessReaderLoopCommand.self, HarnessDatasetReaderCommand.self]
    )

    /// Parses the command line and runs the chosen subcommand; every error it throws ends the
    /// process through ``Failure/exit(with:)``, with the documented exit status.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Failure.exit(with: error)
        }
    }
}
