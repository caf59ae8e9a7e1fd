import ArgumentParser
import ColFile
import FoundationEssentials

/// `colfile cache`: list, trim or clear the shared cache of decoded cold columns.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, trim or clear decoded cold columns in the shared cache (Specification.md §13.4).",
        discussion: """
            The first process that reads a compressed column decodes it into a cache file that every \
            later reader maps; entries are named after the source file's identity and column, so a \
            rewritten file never meets an old entry. Clearing is safe while readers run: they keep \
            what they mapped.

            The cache keeps itself within a size limit: $COLFILE_CACHE_MAX_SIZE (bytes, or a number \
            and K, M, G or T, e.g. 20G), else a tenth of the file system that holds it. A reader \
            that adds an entry removes the least recently used others until the entries fit (never \
            the one it added). Readers mark an entry used when they map it.

            Examples:
              colfile cache list
              colfile cache trim --max-size 10G
              colfile cache clear --older-than 7d
            """,
        subcommands: [List.self, Trim.self, Clear.self]
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
            abstract: "List the entries, least recently used first, and the cache's size limit.",
            discussion: """
                Examples:
                  colfile cache list
                  colfile cache list --folder /var/cache/colfile
                """
        )

        @OptionGroup var options: Folder

        /// The size limit in words: "limit 20 GiB ($COLFILE_CACHE_MAX_SIZE)".
        static func describe(_ limit: CacheSizeLimit?) -> String {
            guard let limit else { return "no size limit (the folder does not exist)" }
            let source = switch limit.source {
            case .given: "--max-size"
            case .environment: "$\(CacheSizeLimit.environmentVariable)"
            case .fileSystemShare(nil): "a tenth of its file system"
            case .fileSystemShare(let ignored?):
                "a tenth of its file system; $\(CacheSizeLimit.environmentVariable)=\(ignored) is not a size"
            }
            return "limit \(TextFormatting.bytes(limit.bytes)) (\(source))"
        }

        func run() throws {
            let folder = options.folder ?? ColdColumnCache.defaultFolder
            let entries = try ColdColumnCache.entries(in: folder)
            var table = TextTable([("source (file id-dir crc-column)", .left), ("bytes", .right), ("last used", .left)])
            for entry in entries {
                table.rows.append([entry.source, TextFormatting.bytes(entry.bytes),
                                   entry.lastUsed.formatted(.iso8601)])
            }
            let total = entries.reduce(0) { $0 + $1.bytes }
            print("\(folder): \(entries.count) entries, \(TextFormatting.bytes(total)); \(Self.describe(CacheSizeLimit.forFolder(folder)))")
            if !entries.isEmpty { print(table.lines(indent: "  ").joined(separator: "\n")) }
        }
    }

    /// `colfile cache trim`.
    struct Trim: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trim",
            abstract: "Remove the least recently used entries until the cache is within a size.",
            discussion: """
                Without --max-size, trims to the cache's size limit ($COLFILE_CACHE_MAX_SIZE, else a \
                tenth of the file system that holds it), as readers do after adding an entry.

                Examples:
                  colfile cache trim
                  colfile cache trim --max-size 500M
                """
        )

        @OptionGroup var options: Folder

        @Option(help: "The most bytes to keep: a number, or a number and K, M, G or T (e.g. 10G).")
        var maxSize: String?

        func validate() throws {
            if let maxSize, CacheSizeLimit.bytes(parsing: maxSize) == nil {
                throw ValidationError("--max-size takes a number of bytes, or a number and K, M, G or T, e.g. 10G")
            }
        }

        func run() throws {
            let folder = options.folder ?? ColdColumnCache.defaultFolder
            let given = maxSize.flatMap(CacheSizeLimit.bytes(parsing:))
            guard let limit = CacheSizeLimit.forFolder(folder, given: given) else {
                print("removed 0 entries, 0 B (\(folder) does not exist)")
                return
            }
            let removed = try ColdColumnCache.trim(in: folder, toBytes: limit.bytes)
            print("removed \(removed.count) entries, \(TextFormatting.bytes(removed.reduce(0) { $0 + $1.bytes })); \(List.describe(limit))")
        }
    }

    /// `colfile cache clear`.
    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear",
            abstract: "Remove entries (all, or those not used for longer than a duration).",
            discussion: """
                An entry's lock file goes with it unless a reader decoding the column holds it; \
                without --older-than, lock files left by readers that were killed go too.

                Examples:
                  colfile cache clear
                  colfile cache clear --older-than 7d
                """
        )

        @OptionGroup var options: Folder

        @Option(help: "Remove only entries last used longer ago than this: a number and s, m, h or d (e.g. 7d).")
        var olderThan: String?

        func validate() throws {
            if let olderThan, DurationText.seconds(olderThan) == nil {
                throw ValidationError("--older-than takes a number and a unit s, m, h or d, e.g. 90m or 7d")
            }
        }

        func run() throws {
            let cutoff = olderThan.flatMap(DurationText.seconds).map { Date().addingTimeInterval(-$0) }
            let removed = try ColdColumnCache.clear(in: options.folder, unusedSince: cutoff)
            print("removed \(removed.count) entries, \(TextFormatting.bytes(removed.reduce(0) { $0 + $1.bytes }))")
        }
    }
}
