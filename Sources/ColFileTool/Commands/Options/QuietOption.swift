import ArgumentParser

/// The `--quiet` flag shared by subcommands that report progress or a summary.
struct QuietOption: ParsableArguments {
    @Flag(name: [.short, .long], help: "Print no progress and no summary; errors are still reported.")
    var quiet = false
}
