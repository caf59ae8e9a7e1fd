import FoundationEssentials
import SystemPackage

/// The shared cache of decoded cold columns (Specification.md §13.4), for tools that list or
/// clear it. Readers use it on their own; nothing here is needed to read files.
///
/// A folder that does not exist holds no entries. An entry that another process removes while
/// this one lists or clears the folder is left out; every other failure of the file system is
/// thrown as ``ColFileError/Code/io`` naming the path and the `errno`.
public enum ColdColumnCache {
    /// One decoded column in the cache.
    ///
    /// ``decoded`` is a Foundation `Date`: the standard type for an instant of wall-clock time in
    /// Swift (the standard library has none), which users compare with `Date()` and format.
    public struct Entry: Sendable, Hashable {
        /// The entry's path.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// When it was decoded (its modification time).
        public var decoded: Date
        /// The source file's identity and column index, from the entry's name (`FILEID-DIRCRC-COLUMN`).
        public var source: String
    }

    /// The folder readers use by default: `$COLFILE_CACHE_DIR`, else `$XDG_CACHE_HOME/colfile`,
    /// else `$HOME/.cache/colfile`.
    public static var defaultFolder: String { DecodeCache.defaultFolder() }

    /// The entries in `folder` (the default folder when nil), oldest first.
    ///
    /// - Returns: The entries; none when the folder does not exist.
    /// - Throws: ``ColFileError/Code/io`` when the folder or an entry cannot be read.
    public static func entries(in folder: String? = nil) throws -> [Entry] {
        let folder = folder ?? defaultFolder
        let names: [String]
        do throws(Errno) {
            names = try Syscalls.folderEntries(folder)
        } catch .noSuchFileOrDirectory {
            return []
        } catch {
            throw ColFileError(.io, path: folder, message: "cannot list the cache folder", errno: error)
        }
        var entries: [Entry] = []
        for name in names where name.hasSuffix(DecodeCache.entrySuffix) {
            let path = folder + "/" + name
            let status: (size: Int, modified: (seconds: Int, nanoseconds: Int), isRegular: Bool)
            do throws(Errno) {
                status = try Syscalls.fileStatus(ofPath: path)
            } catch .noSuchFileOrDirectory {
                continue  // removed since the folder was listed
            } catch {
                throw ColFileError(.io, path: path, message: "cannot read the cache entry", errno: error)
            }
            // Readers trust only regular files (a link or a folder is never an entry).
            guard status.isRegular else { continue }
            let decoded = Date(timeIntervalSince1970: Double(status.modified.seconds)
                                   + Double(status.modified.nanoseconds) / 1e9)
            entries.append(Entry(path: path, bytes: status.size, decoded: decoded,
                                 source: String(name.dropLast(DecodeCache.entrySuffix.count))))
        }
        return entries.sorted { $0.decoded < $1.decoded }
    }

    /// Forgets which entries this process has checked, so the next reader checks them again
    /// (the bench times a first attach from within one process).
    package static func forgetCheckedEntries() {
        DecodeCache.verifiedEntries.withLock { $0.removeAll() }
    }

    /// Removes the entries in `folder` decoded before `date` (all when nil), with their lock files.
    /// Readers that have an entry mapped keep reading it; later readers decode again.
    ///
    /// - Returns: The entries removed (not those another process removed first).
    /// - Throws: ``ColFileError/Code/io`` when the folder cannot be listed or an entry or its lock
    ///   file cannot be removed; the entries removed before that stay removed.
    @discardableResult
    public static func clear(in folder: String? = nil, decodedBefore date: Date? = nil) throws -> [Entry] {
        var removed: [Entry] = []
        for entry in try entries(in: folder) where date.map({ entry.decoded < $0 }) ?? true {
            _ = try remove(entry.path + ".lock", what: "lock file")
            if try remove(entry.path, what: "entry") { removed.append(entry) }
        }
        return removed
    }

    /// Removes `path`: true when it was removed, false when it was already gone.
    ///
    /// - Throws: ``ColFileError/Code/io`` for any other failure.
    private static func remove(_ path: String, what: String) throws -> Bool {
        do throws(Errno) {
            try Syscalls.remove(path)
            return true
        } catch .noSuchFileOrDirectory {
            return false
        } catch {
            throw ColFileError(.io, path: path, message: "cannot remove the cache \(what)", errno: error)
        }
    }
}
