import ArgumentParser
import ColFile
import Glibc

/// `colfile draft seal DRAFT [TARGET]`: seal a draft into a colfile file and publish it.
struct DraftSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal a draft into a colfile file and publish it atomically (in place, without copying the data).",
        discussion: """
            Refuses while any process holds the draft open (naming the processes), after half a \
            second, unless --wait gives it longer: a writer that never closes blocks the seal until \
            it ends. A seal that \
            stopped (crash, kill) is finished by sealing again. --compress stores columns \
            compressed: the seal then writes a new file through the writer and removes the draft.

            Examples:
              colfile draft seal out.col.draft
              colfile draft seal out.col.draft out.col --wait 60 --require-done
              colfile draft seal out.col.draft --compress visits=zstd
            """
    )

    @Option(help: "Seconds to wait for other handles to close (default: refuse after half a second).")
    var wait: Double?

    @Flag(help: "Wait as long as it takes for other handles to close.")
    var waitForever = false

    @Flag(help: "Refuse unless every range of the claim table is done.")
    var requireDone = false

    @Option(name: .customLong("compress"), help: "COLUMN=zstd, COLUMN=zlib or COLUMN=auto: store that column compressed (repeat for more).")
    var compress: [String] = []

    @Flag(help: "Skip the flushes to disk (the publish stays atomic; for scratch files).")
    var noSync = false

    @Option(help: .hidden)
    var stopAfter: String?

    @Argument(help: "The draft.")
    var draft: String

    @Argument(help: "The file to publish (default: DRAFT without its .draft suffix).")
    var target: String?

    func validate() throws {
        if target == nil && !draft.hasSuffix(".draft") {
            throw ValidationError("give TARGET: the draft's name does not end in .draft")
        }
        if wait != nil && waitForever { throw ValidationError("--wait and --wait-forever exclude each other") }
        for entry in compress {
            let parts = entry.split(separator: "=")
            guard parts.count == 2, ["zstd", "zlib", "auto"].contains(parts[1]) else {
                throw ValidationError("--compress takes COLUMN=zstd, COLUMN=zlib or COLUMN=auto")
            }
        }
    }

    func run() throws {
        var options = SealOptions(requiresAllRangesDone: requireDone, syncsToDisk: !noSync)
        options.wait = waitForever ? .forever : wait.map { .upTo(.milliseconds(Int($0 * 1000))) } ?? .no
        for entry in compress {
            let parts = entry.split(separator: "=").map(String.init)
            options.compression[parts[0]] = switch parts[1] {
            case "zstd": .zstd()
            case "zlib": .zlib()
            default: .auto()
            }
        }
        if let stopAfter {
            options.afterStep = { step in if step.rawValue == stopAfter { kill(getpid(), SIGKILL) } }
        }
        let published = target ?? String(draft.dropLast(".draft".count))
        let (report, duration) = try timed { try ColFileDraft.seal(draft, to: published, options: options) }
        let nulls = report.nullCounts.values.reduce(0, +)
        print("\(published): sealed \(report.inPlace ? "in place" : "by copy")\(report.resumed ? " (an earlier seal finished)" : ""), "
              + "\(TextFormatting.bytes(report.bytes)), \(TextFormatting.grouped(nulls)) null values, "
              + "in \(TextFormatting.duration(duration))")
    }
}
