import ColFile

/// A process's memory totals as the kernel accounts them in `/proc/PID/smaps_rollup`, in KiB.
///
/// `Pss` (proportional set size) charges each resident page to every process that maps it in equal
/// parts, so summing `Pss` over processes counts a page of the page cache shared by N processes
/// once: the measure `colfile harness` uses to show that N readers hold one copy of a file.
struct MemoryRollup: Codable, Equatable, Sendable {
    /// Resident pages mapped by the process, shared or not.
    var rssKiB: Int
    /// The proportional set size: each resident page divided by the number of processes mapping it.
    var pssKiB: Int
    /// Clean pages also mapped by another process (for a reader: the page cache of the file).
    var sharedCleanKiB: Int
    /// Clean pages mapped only by this process.
    var privateCleanKiB: Int
    /// Written pages mapped only by this process (heap, a private copy of a file).
    var privateDirtyKiB: Int
    /// The part of `Pss` backed by files, where the kernel reports it (Linux 5.17+).
    var pssFileKiB: Int?

    /// The rollup of the calling process.
    ///
    /// - Throws: When `/proc/self/smaps_rollup` cannot be read (not Linux, or Linux before 4.14)
    ///   or lacks a field.
    static func current() throws -> MemoryRollup {
        try MemoryRollup(parsing: Syscalls.smallTextFile("/proc/self/smaps_rollup"))
    }

    /// Parses the text of an `smaps_rollup` file: a header line, then lines `Name:   N kB`.
    ///
    /// - Throws: ``MissingField`` when one of the required fields is absent.
    init(parsing text: String) throws {
        let fields = Self.fields(text)
        func field(_ name: Substring) throws -> Int {
            guard let value = fields[name] else { throw MissingField(name: String(name)) }
            return value
        }
        rssKiB = try field("Rss")
        pssKiB = try field("Pss")
        sharedCleanKiB = try field("Shared_Clean")
        privateCleanKiB = try field("Private_Clean")
        privateDirtyKiB = try field("Private_Dirty")
        pssFileKiB = fields["Pss_File"]
    }

    /// What this process holds of the memory one file's writers share: its anonymous pages (heap,
    /// stacks) plus its share of the resident pages it maps from the file at `path`, in KiB.
    ///
    /// Unlike `Pss`, it leaves out the shared libraries' and the executable's pages, whose share
    /// moves with every other process on the machine that maps them (a busy machine running other
    /// `colfile` processes lowers it, their exit raises it).
    ///
    /// - Throws: When `/proc/self/smaps` or `/proc/self/smaps_rollup` cannot be read, or the
    ///   rollup has no `Pss_Anon` line (Linux before 5.12).
    static func shareKiB(ofAnonymousPagesAndFile path: String) throws -> Int {
        let file = try Syscalls.identity(ofPath: path)
        let anonymous = try fields(Syscalls.smallTextFile("/proc/self/smaps_rollup"))
        guard let anonymousKiB = anonymous["Pss_Anon"] else { throw MissingField(name: "Pss_Anon") }
        var fileKiB = 0
        var inFile = false
        for line in try Syscalls.smallTextFile("/proc/self/smaps", limit: 16 << 20).split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 5, parts[0].contains("-"), parts[1].count == 4 {
                // A mapping's first line: address range, permissions, offset, device, inode[, path].
                inFile = UInt64(parts[4]) == file.inode && DeviceNumber(hexadecimal: parts[3])?.device == file.device
            } else if inFile, parts.count == 3, parts[0] == "Pss:", let value = Int(parts[1]) {
                fileKiB += value
            }
        }
        return anonymousKiB + fileKiB
    }

    /// The `Name:   N kB` lines of an `smaps`-style text by name.
    private static func fields(_ text: String) -> [Substring: Int] {
        var fields: [Substring: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3, parts[0].hasSuffix(":"), parts[2] == "kB", let value = Int(parts[1]) else { continue }
            fields[parts[0].dropLast()] = value
        }
        return fields
    }

    /// A field `smaps_rollup` should have and did not.
    struct MissingField: Error, CustomStringConvertible {
        /// The field's name, e.g. `Pss`.
        var name: String
        /// One sentence for the user.
        var description: String { "/proc/self/smaps_rollup has no \(name) line" }
    }
}
