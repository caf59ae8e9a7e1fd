import FoundationEssentials
import Glibc

/// Finds and removes the named temporary files that killed writers leave behind.
///
/// A ``ColFile/ColFileWriter`` writes into an unnamed `O_TMPFILE` file, which vanishes with its
/// process. On file systems without `O_TMPFILE` (and when tests force it) the temporary file is
/// named `.NAME.colfile-tmp-PID-RANDOM` beside the target (the library's
/// `TemporaryFile.temporaryMarker`); a writer killed before it publishes or discards leaves it
/// there. Such a file is *stale* when no process with its PID runs any more.
enum StaleTemporaryFiles {
    /// What every named temporary file's name contains (the library's `TemporaryFile.temporaryMarker`).
    static let marker = ".colfile-tmp-"

    /// A named temporary file found in a folder.
    struct Candidate: Sendable, Equatable {
        /// The file's name in the folder.
        var name: String
        /// The process id of the writer that made it.
        var pid: Int32
        /// Whether that process no longer runs.
        var isStale: Bool
    }

    /// The names in `folder` that follow the temporary-file pattern (regular files only).
    ///
    /// - Throws: When the folder cannot be listed.
    static func candidates(in folder: String) throws -> [Candidate] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().compactMap { name in
            guard let pid = writerPID(name), isRegularFile(folder + "/" + name) else { return nil }
            return Candidate(name: name, pid: pid, isStale: !isRunning(pid))
        }
    }

    /// Removes the stale temporary files in `folder`; files of running writers are kept.
    ///
    /// - Returns: The names removed.
    /// - Throws: When the folder cannot be listed or a file cannot be removed.
    @discardableResult
    static func clean(_ folder: String) throws -> [String] {
        var removed: [String] = []
        for candidate in try candidates(in: folder) where candidate.isStale {
            try clean(folder: folder, name: candidate.name)
            removed.append(candidate.name)
        }
        return removed
    }

    /// Removes the file `name` of `folder`.
    static func clean(folder: String, name: String) throws {
        try FileManager.default.removeItem(atPath: folder + "/" + name)
    }

    /// The PID in a name `.NAME.colfile-tmp-PID-RANDOM`, or nil when the name is not one.
    static func writerPID(_ name: String) -> Int32? {
        guard name.hasPrefix("."), let range = name.ranges(of: marker).last else { return nil }
        let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, !parts[1].isEmpty,
              UInt64(parts[1], radix: 16) != nil else { return nil }
        return pid
    }

    /// Whether a process with `pid` exists (`kill(pid, 0)`; EPERM means it runs as another user).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func isRegularFile(_ path: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return attributes?[.type] as? FileAttributeType == .typeRegular
    }
}
