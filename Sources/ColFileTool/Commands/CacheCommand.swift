import ArgumentParser
import ColFile
import FoundationEssentials

/// `colfile cache`: list or clear the shared cache of decoded cold columns.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear decoded cold columns in the shared cache (Specification.md §13.4).",
        discussion: """
            The first process that reads a compressed column decodes it into a cache file that every \
            later reader maps; entries are named after the source file's identity and column, so a \
            rewritten file never meets an old entry. Clearing is safe while readers run: they keep \
            what they mapped.

            Examples:
              colfile cache list
              colfile cache clear --older-than 7d
            """,
        subcommands: [List.self, Clear.self]
    )

    /// The cache folder option both subcommands take.
    struct Folder: ParsableArguments {
        @Option(help: "The cache folder (default: $COLFILE_CACHE_DIR, $XDG_CACHE_HOME/colfile or ~/.cache/colfile).")
        var folder: String?
    }

    /// `colfile cache list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the entries, oldest first.",
            discussion: """
                Examples:
                  colfile cache list
                  colfile cache list --folder /var/cache/colfile
                """
        )

        @OptionGroup var options: Folder

        func run() throws {
            let folder = options.folder ?? ColdColumnCache.defaultFolder
            let entries = try ColdColumnCache.entries(in: folder)
            var table = TextTable([("source (file id-dir crc-column)", .left), ("bytes", .right), ("decoded", .left)])
            for entry in entries {
                table.rows.append([entry.source, TextFormatting.bytes(entry.bytes),
                                   entry.decoded.formatted(.iso8601)])
            }
            let total = entries.reduce(0) { $0 + $1.bytes }
            print("\(folder): \(entries.count) entries, \(TextFormatting.bytes(total))")
            if !entries.isEmpty { print(table.lines(indent: "  ").joined(separator: "\n")) }
        }
    }

    /// `colfile cache clear`.
    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear",
            abstract: "Remove entries (all, or those older than a duration).",
            discussion: """
                Examples:
                  colfile cache clear
                  colfile cache clear --older-than 7d
                """
        )

        @OptionGroup var options: Folder

        @Option(help: "Remove only entries decoded longer ago than this: a number and s, m, h or d (e.g. 7d).")
        var olderThan: String?

        func validate() throws {
            if let olderThan, DurationText.seconds(olderThan) == nil {
                throw ValidationError("--older-than takes a number and a unit s, m, h or d, e.g. 90m or 7d")
            }
        }

        func run() throws {
            let cutoff = olderThan.flatMap(DurationText.seconds).map { Date().addingTimeInterval(-$0) }
            let removed = try ColdColumnCache.clear(in: options.folder, decodedBefore: cutoff)
            print("removed \(removed.count) entries, \(TextFormatting.bytes(removed.reduce(0) { $0 + $1.bytes }))")
        }
    }
}
