import FoundationEssentials
import SystemPackage

/// The shared cache of decoded cold columns (Specification.md §13.4), for tools that list, trim or
/// clear it. Readers use it on their own (and trim it to its ``CacheSizeLimit`` after adding an
/// entry); nothing here is needed to read files.
///
/// A folder that does not exist holds no entries. An entry that another process removes while
/// this one lists or clears the folder is left out; every other failure of the file system is
/// thrown as ``ColFileError/Code/io`` naming the path and the `errno`.
public enum ColdColumnCache {
    /// One decoded column in the cache.
    ///
    /// ``lastUsed`` is a Foundation `Date`: the standard type for an instant of wall-clock time in
    /// Swift (the standard library has none), which users compare with `Date()` and format.
    public struct Entry: Sendable, Hashable {
        /// The entry's path.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// When it was decoded, or last mapped by a reader (its modification time, which readers
        /// set when they map an entry last marked used a minute or more ago).
        public var lastUsed: Date
        /// The source file's identity and column index, from the entry's name (`FILEID-DIRCRC-COLUMN`).
        public var source: String
    }

    /// The folder readers use by default: `$COLFILE_CACHE_DIR`, else `$XDG_CACHE_HOME/colfile`,
    /// else `$HOME/.cache/colfile`.
    public static var defaultFolder: String { DecodeCache.defaultFolder() }

    /// The entries in `folder` (the default folder when nil), least recently used first (ties by path).
    ///
    /// - Returns: The entries; none when the folder does not exist.
    /// - Throws: ``ColFileError/Code/io`` when the folder or an entry cannot be read.
    public static func entries(in folder: String? = nil) throws -> [Entry] {
        let folder = folder ?? defaultFolder
        var entries: [Entry] = []
        for name in try names(in: folder) where name.hasSuffix(DecodeCache.entrySuffix) {
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
            let lastUsed = Date(timeIntervalSince1970: Double(status.modified.seconds)
                                    + Double(status.modified.nanoseconds) / 1e9)
            entries.append(Entry(path: path, bytes: status.size, lastUsed: lastUsed,
                                 source: String(name.dropLast(DecodeCache.entrySuffix.count))))
        }
        return entries.sorted { ($0.lastUsed, $0.path) < ($1.lastUsed, $1.path) }
    }

    /// Forgets which entries this process has checked, so the next reader checks them again
    /// (the bench times a first attach from within one process).
    package static func forgetCheckedEntries() {
        DecodeCache.verifiedEntries.withLock { $0.removeAll() }
    }

    /// Removes the entries in `folder` last used before `date` (all when nil), with their lock files
    /// that no decoder holds (a held one is its holder's to remove, ``removeUnheldLock(_:)``); when
    /// `date` is nil, also the lock files no decoder holds whose entry is gone (a decoder killed
    /// before it finished leaves one). Readers that have an entry mapped keep reading it; later
    /// readers decode again.
    ///
    /// - Returns: The entries removed (not those another process removed first).
    /// - Throws: ``ColFileError/Code/io`` when the folder cannot be listed or an entry or its lock
    ///   file cannot be removed; the entries removed before that stay removed.
    @discardableResult
    public static func clear(in folder: String? = nil, unusedSince date: Date? = nil) throws -> [Entry] {
        var removed: [Entry] = []
        for entry in try entries(in: folder) where date.map({ entry.lastUsed < $0 }) ?? true {
            try removeUnheldLock(entry.path + ".lock")
            if try remove(entry.path, what: "entry") { removed.append(entry) }
        }
        if date == nil {
            let folder = folder ?? defaultFolder
            for name in try names(in: folder) where name.hasSuffix(DecodeCache.entrySuffix + ".lock") {
                try removeUnheldLock(folder + "/" + name)
            }
        }
        return removed
    }

    /// The names in `folder`; none when it does not exist.
    ///
    /// - Throws: ``ColFileError/Code/io`` when the folder cannot be listed.
    private static func names(in folder: String) throws -> [String] {
        do throws(Errno) {
            return try Syscalls.folderEntries(folder)
        } catch .noSuchFileOrDirectory {
            return []
        } catch {
            throw ColFileError(.io, path: folder, message: "cannot list the cache folder", errno: error)
        }
    }

    /// Removes the lock file `lockPath` the way its decoders do (Specification.md §13.4): takes its
    /// `flock` without waiting and, while holding it, removes the name if it still names the file
    /// locked. A lock a decoder holds is left: removing its name would let a second decoder lock a
    /// new file of that name while the first still decodes.
    ///
    /// - Throws: ``ColFileError/Code/io`` when the lock file exists but cannot be opened, locked or
    ///   removed.
    static func removeUnheldLock(_ lockPath: String) throws {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(lockPath), .readOnly, options: [.closeOnExec], retryOnInterrupt: true)
        } catch Errno.noSuchFileOrDirectory {
            return
        } catch {
            throw ColFileError(.io, path: lockPath, message: "cannot open the cache lock file", errno: error as? Errno)
        }
        defer { try? fd.close() }
        do throws(Errno) {
            try Syscalls.lock(fd, exclusive: true, wait: false)
            let held = try Syscalls.status(fd)
            guard let named = try? Syscalls.identity(ofPath: lockPath), named.device == held.device,
                  named.inode == held.inode else { return }  // its holder removed it meanwhile
        } catch .wouldBlock {
            return
        } catch {
            throw ColFileError(.io, path: lockPath, message: "cannot lock the cache lock file", errno: error)
        }
        _ = try remove(lockPath, what: "lock file")
    }

    /// Removes the least recently used entries of `folder` (the default folder when nil) until the
    /// entries left take at most `bytes` together, never the entry at `kept`. Readers that have a
    /// removed entry mapped keep reading it; later readers decode again.
    ///
    /// - Returns: The entries removed (not those another process removed first).
    /// - Throws: ``ColFileError/Code/io`` when the folder cannot be listed or an entry cannot be
    ///   removed; the entries removed before that stay removed.
    /// - Complexity: O(n log n) in the number of entries.
    @discardableResult
    public static func trim(in folder: String? = nil, toBytes bytes: Int, keeping kept: String? = nil) throws
        -> [Entry] {
        try trim(entries(in: folder), toBytes: bytes, keeping: kept).removed
    }

    /// Removes the least recently used of `listed` (the entries of a folder, as ``entries(in:)``
    /// lists them) but `kept` until the rest take at most `bytes`.
    ///
    /// - Returns: The entries removed, and the bytes the listed entries left take.
    /// - Throws: ``ColFileError/Code/io`` when an entry cannot be removed.
    static func trim(_ listed: [Entry], toBytes bytes: Int, keeping kept: String?) throws
        -> (removed: [Entry], left: Int) {
        var total = listed.reduce(0) { $0 + $1.bytes }
        var removed: [Entry] = []
        for entry in listed where total > bytes && entry.path != kept {
            if try remove(entry.path, what: "entry") { removed.append(entry) }
            total -= entry.bytes
        }
        return (removed, total)
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
