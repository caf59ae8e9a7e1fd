import ArgumentParser

/// `colfile clean FOLDER`: removes the temporary files killed writers left in FOLDER.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove stale temporary files (.NAME.colfile-tmp-PID-RANDOM) that killed writers left in a folder.",
        discussion: """
            Writers use unnamed O_TMPFILE files, which vanish with a killed process. On file systems \
            without O_TMPFILE they use named files `.NAME.colfile-tmp-PID-RANDOM` beside the \
            target; a writer killed before publishing leaves one behind. This command removes those \
            whose PID no longer runs on this machine and keeps the others (a writer may be at work). \
            Run it on the machine that runs the writers: on a shared network folder, a PID names a \
            process of this machine only. Works on decode-cache folders too.

            Examples:
              colfile clean --dry-run /data/tables
              colfile clean /data/tables
            """
    )

    @Flag(help: "List what would be removed, remove nothing.")
    var dryRun = false

    @Argument(help: "The folder to clean.")
    var folder: String

    func run() throws {
        let candidates = try StaleTemporaryFiles.candidates(in: folder)
        for candidate in candidates {
            if candidate.isStale {
                if !dryRun { try StaleTemporaryFiles.clean(folder: folder, name: candidate.name) }
                print("\(dryRun ? "would remove" : "removed") \(folder)/\(candidate.name)")
            } else {
                print("kept \(folder)/\(candidate.name) (process \(candidate.pid) is running)")
            }
        }
    }
}
