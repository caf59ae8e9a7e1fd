import ArgumentParser

/// The `colfile` tool: inspect, create and measure colfile files.
@main
struct ColFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colfile",
        abstract: "Typed columnar files that many processes share through one memory mapping.",
        discussion: """
            Exit codes: 0 success; 1 the file is bad (its first problem is named on stderr); \
            2 usage error or the file could not be read or written (I/O).
            """,
        version: "0.1.0 (format 1.0)",
        subcommands: [BenchCommand.self]
    )
}
