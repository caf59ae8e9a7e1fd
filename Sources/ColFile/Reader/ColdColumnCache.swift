import Foundation

/// The shared cache of decoded cold columns (Specification.md §13.4), for tools that list or
/// clear it. Readers use it on their own; nothing here is needed to read files.
public enum ColdColumnCache {
    /// One decoded column in the cache.
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

    /// The entries in `folder` (the default folder when nil), oldest first; none when it does not exist.
    public static func entries(in folder: String? = nil) -> [Entry] {
        let folder = folder ?? defaultFolder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(DecodeCache.entrySuffix) }.compactMap { name -> Entry? in
            let path = folder + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? Int, let date = attributes[.modificationDate] as? Date else { return nil }
            return Entry(path: path, bytes: size, decoded: date, source: String(name.dropLast(DecodeCache.entrySuffix.count)))
        }.sorted { $0.decoded < $1.decoded }
    }

    /// Forgets which entries this process has checked, so the next reader checks them again
    /// (benchmarks use this to time a first attach from within one process).
    package static func forgetCheckedEntries() {
        DecodeCache.verifiedEntries.withLock { $0.removeAll() }
    }

    /// Removes the entries in `folder` decoded before `date` (all when nil), with their lock files.
    /// Readers that have an entry mapped keep reading it; later readers decode again.
    ///
    /// - Returns: The entries removed.
    @discardableResult
    public static func clear(in folder: String? = nil, decodedBefore date: Date? = nil) -> [Entry] {
        entries(in: folder).filter { date == nil || $0.decoded < date! }.filter { entry in
            try? FileManager.default.removeItem(atPath: entry.path + ".lock")
            return (try? FileManager.default.removeItem(atPath: entry.path)) != nil
        }
    }
}
