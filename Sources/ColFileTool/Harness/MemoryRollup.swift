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
        var fields: [Substring: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3, parts[0].hasSuffix(":"), parts[2] == "kB", let value = Int(parts[1]) else { continue }
            fields[parts[0].dropLast()] = value
        }
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

    /// A field `smaps_rollup` should have and did not.
    struct MissingField: Error, CustomStringConvertible {
        /// The field's name, e.g. `Pss`.
        var name: String
        /// One sentence for the user.
        var description: String { "/proc/self/smaps_rollup has no \(name) line" }
    }
}
