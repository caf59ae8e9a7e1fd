import SystemPackage

/// The per-user folder of decoded cold columns (Specification.md §13.4): each entry is one
/// column's decoded buffers, written once per machine and mapped `MAP_SHARED` by every reader.
///
/// An entry is trusted only if it is a regular file owned by this user, not writable by group
/// or others, of the exact size, with a header naming the same source file and column, and
/// buffers whose CRC-32s match the source directory's. Anything else is replaced by a fresh
/// decode. Concurrent first readers serialise on an `flock` of `ENTRY.lock`, so one decodes and
/// the others map its result; entries appear by atomic rename, never half-written. The lock file
/// is removed by its holder when the decode ends, whether it succeeded or not.
///
/// The cache is kept within its ``CacheSizeLimit``: a reader marks an entry used when it maps it,
/// and after writing an entry removes the least recently used others until the folder is
/// within the limit.
struct DecodeCache {
    /// The cache folder.
    let folder: String

    /// Why the cache cannot be used for one column: its folder is unsafe, or an entry cannot be
    /// locked or written. The reader then decodes privately (``CacheFallback``); never thrown out
    /// of the library.
    struct Unusable: Error {
        /// The cache folder.
        var folder: String
        /// What went wrong.
        var reason: String
        /// The system error behind it, if any.
        var errno: Errno?
    }

    /// The cache in `folder` (or the default folder), created if missing.
    ///
    /// - Throws: ``Unusable`` when the folder cannot be used safely (not creatable, not a folder,
    ///   not ours, or writable by others), so callers decode privately.
    init(folder: String?) throws(Unusable) {
        let folder = folder ?? DecodeCache.defaultFolder()
        var created: Errno?
        if (try? Syscalls.folderOwnership(folder)) == nil {
            do throws(Errno) { try DecodeCache.makeFolders(folder) } catch { created = error }
        }
        guard let owner = try? Syscalls.folderOwnership(folder) else {
            throw Unusable(folder: folder, reason: "cannot create the folder", errno: created)
        }
        guard owner.isFolder else { throw Unusable(folder: folder, reason: "not a folder") }
        guard owner.owner == Syscalls.effectiveUser else {
            throw Unusable(folder: folder, reason: "owned by user \(owner.owner), not by this user (\(Syscalls.effectiveUser))")
        }
        guard owner.mode & 0o022 == 0 else { throw Unusable(folder: folder, reason: "writable by group or others") }
        self.folder = folder
    }

    /// `$COLFILE_CACHE_DIR`, else `$XDG_CACHE_HOME/colfile`, else `$HOME/.cache/colfile`, else
    /// `/tmp/colfile-cache-UID`. A disk-backed folder by default: its page cache can be dropped
    /// and re-read, and it keeps large folios (Specification.md §13.4 gives the measurements).
    static func defaultFolder() -> String {
        if let explicit = Syscalls.environment("COLFILE_CACHE_DIR"), !explicit.isEmpty { return explicit }
        if let xdg = Syscalls.environment("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return xdg + "/colfile" }
        if let home = Syscalls.environment("HOME"), home.hasPrefix("/") { return home + "/.cache/colfile" }
        return "/tmp/colfile-cache-\(Syscalls.effectiveUser)"
    }

    /// The entry path of column `index` of the file `identity`.
    func entryPath(_ identity: FileIdentity, column index: Int) -> String {
        "\(folder)/\(identity)-\(index)\(DecodeCache.entrySuffix)"
    }

    /// What every entry's name ends with.
    static let entrySuffix = ".colcache"

    /// The decoded column: mapped from a trusted entry, or decoded now into a new entry.
    ///
    /// - Throws: ``Unusable`` when the entry cannot be locked or written (`ENOSPC`, `EDQUOT`,
    ///   `EROFS`, `EACCES`, …): nothing of it is left (the temporary file is discarded, the lock
    ///   file removed), and the caller decodes privately. A ``ColFileError`` for a bad file.
    func entry(for info: ColumnInfo, of reader: ColFileReader, layout: DecodedLayout) throws -> MappedRegion {
        let path = entryPath(reader.identity, column: info.index)
        let expected = CacheEntryHeader(identity: reader.identity, columnIndex: info.index, layout: layout)
        let fault = reader.options.injectedCacheFault
        if let region = try existing(check(path, expected: expected, info: info, layout: layout, fault: fault),
                                     path: path, reader: reader, info: info) {
            return region
        }
        let lock: FileDescriptor
        do {
            lock = try Self.lock(path + ".lock")
        } catch let errno as Errno {
            throw Unusable(folder: folder, reason: "cannot lock the entry \(path).lock", errno: errno)
        }
        defer {
            // Removed while still held, so no lock file outlives the decode, whether it worked or not.
            Syscalls.removeIgnoringErrors(path + ".lock")
            try? lock.close()
        }
        if let region = try existing(check(path, expected: expected, info: info, layout: layout, fault: fault),
                                     path: path, reader: reader, info: info) {
            return region
        }
        do {
            try write(path, header: expected, info: info, of: reader, layout: layout)
        } catch let error as ColFileError where error.code == .io {
            throw Unusable(folder: folder, reason: "\(error.message) (\(error.path))", errno: error.errno)
        } catch let errno as Errno {
            throw Unusable(folder: folder, reason: "cannot write the entry \(path)", errno: errno)
        }
        switch check(path, expected: expected, info: info, layout: layout, fault: fault) {
        case .trusted(let region):
            trim(keeping: path, added: layout.totalLength, given: reader.options.cacheMaxBytes)
            return region
        case .unmappable(let errno):
            throw Self.unmappable(path, reader: reader, info: info, errno: errno)
        case .checksumMismatch(let buffer, let actual):
            // The file's compressed bytes decode to other bytes than its directory says: the file
            // is bad, whatever the cache (the same error verification reports).
            Syscalls.removeIgnoringErrors(path)
            throw ErrorContext(path: reader.path, column: info.name).error(
                .bufferChecksumMismatch, "\(buffer.role) buffer checksum mismatch", offset: buffer.offset,
                expected: hex(buffer.checksum), found: hex(actual))
        case .untrusted:
            throw ColFileError(.io, path: reader.path, column: info.name,
                               message: "the cache entry \(path) just written does not check out")
        }
    }

    /// Keeps the cache within its ``CacheSizeLimit`` after this process wrote the entry at `path`
    /// of `added` bytes: when the folder's entries take more than the limit, removes the least
    /// recently used but `path` until they take at most ``CacheSizeLimit/trimmedShare`` of it.
    /// Failures are ignored: trimming never fails a read, and an entry another process removes
    /// first is simply gone.
    ///
    /// The folder is listed again only when this process's last listing of it, plus what it wrote
    /// since, would pass the limit, or is older than ``listingLifetime``: a reader of thousands of
    /// cold columns lists the folder once every few seconds or every tenth of the limit written,
    /// not once per column (each listing costs a `stat` per entry).
    ///
    /// - Complexity: O(1) when the listing is reused, else O(n log n) in the folder's entries.
    private func trim(keeping path: String, added: Int, given: Int?) {
        guard let limit = CacheSizeLimit.forFolder(folder, given: given) else { return }
        let now = ContinuousClock.now
        let reused = Self.listings.withLock { listings in
            guard var listing = listings[folder], now - listing.listedAt < Self.listingLifetime,
                  listing.bytes + added <= limit.bytes else { return false }
            listing.bytes += added
            listings[folder] = listing
            return true
        }
        guard !reused, let listed = try? ColdColumnCache.entries(in: folder) else { return }
        var left = listed.reduce(0) { $0 + $1.bytes }
        if left > limit.bytes {
            let target = Int(Double(limit.bytes) * CacheSizeLimit.trimmedShare)
            left = (try? ColdColumnCache.trim(listed, toBytes: target, keeping: path).left) ?? left
        }
        Self.listings.withLock { $0[folder] = Listing(bytes: left, listedAt: now) }
    }

    /// What this process last found in a cache folder: its entries' bytes (plus those of the
    /// entries it wrote since), and when it listed them.
    private struct Listing {
        var bytes: Int
        var listedAt: ContinuousClock.Instant
    }

    /// This process's last listing of each cache folder it wrote an entry into.
    private static let listings = Locked<[String: Listing]>([:])

    /// How long a listing is reused: other processes' entries written meanwhile are counted at
    /// the next listing, so the folder passes its limit by at most what they write in this time.
    static let listingLifetime = Duration.seconds(10)

    /// How long after its last mark a mapped entry is marked used again (its times set to now):
    /// once a minute at most, so readers do not write an inode on every attach.
    static let usedMarkInterval = 60

    /// The region of an entry found before decoding: the trusted entry, nil when it must be
    /// (re)written, or an error when it is there but cannot be mapped (writing it again would not help).
    private func existing(_ check: EntryCheck, path: String, reader: ColFileReader, info: ColumnInfo) throws
        -> MappedRegion? {
        switch check {
        case .trusted(let region): region
        case .unmappable(let errno): throw Self.unmappable(path, reader: reader, info: info, errno: errno)
        case .untrusted, .checksumMismatch: nil
        }
    }

    /// The error for an entry that `mmap` refused (`ENOMEM`: the address space limit, or
    /// `vm.max_map_count` mappings already held by the process).
    private static func unmappable(_ path: String, reader: ColFileReader, info: ColumnInfo, errno: Errno)
        -> ColFileError {
        ColFileError(.io, path: reader.path, column: info.name, message: "cannot map the cache entry \(path)",
                     errno: errno)
    }

    /// Opens `lockPath` (creating it) and takes an exclusive `flock` on it. The holder removes the
    /// file before letting go, so a waiter may wake up holding a lock on a file that no longer
    /// has that name; it then tries again on the file the name now has (or a new one), so two
    /// processes never both hold "the" lock.
    ///
    /// - Throws: `Errno` (from swift-system's `open`, `flock` and `fstat`).
    private static func lock(_ lockPath: String) throws -> FileDescriptor {
        while true {
            let fd = try FileDescriptor.open(FilePath(lockPath), .readWrite, options: [.create, .closeOnExec],
                                             permissions: [.ownerReadWrite], retryOnInterrupt: true)
            do {
                try Syscalls.lockExclusively(fd)
                let held = try Syscalls.status(fd)
                if let named = try? Syscalls.identity(ofPath: lockPath), named.device == held.device,
                   named.inode == held.inode {
                    return fd
                }
            } catch {
                try? fd.close()
                throw error
            }
            try? fd.close()
        }
    }

    /// Decodes `info` into a temporary file beside `path` in large writes, then renames it into place.
    private func write(_ path: String, header: CacheEntryHeader, info: ColumnInfo, of reader: ColFileReader,
                       layout: DecodedLayout) throws {
        let temporary = try TemporaryFile(target: path)
        temporary.fault = reader.options.injectedCacheFault
        let output = OutputFile(fd: temporary.fd, path: path, position: UInt64(DecodedLayout.headerLength),
                                fault: reader.options.injectedCacheFault)
        for buffer in info.buffers where buffer.decodedLength > 0 {
            let decoder = try reader.chunkDecoder(info, buffer)
            let index = decoder.index
            try output.pad(toMultipleOf: DecodedLayout.alignment)
            let batch = max(reader.options.decodeThreads * 4, OutputFile.stagingCapacity / index.chunkSize)
            // A batch never holds more than the whole buffer (a small column may have huge chunks).
            var staging = [UInt8](repeating: 0, count: min(batch * index.chunkSize, Int(index.decodedLength)))
            var first = 0
            while first < index.chunkCount {
                let chunks = first..<min(index.chunkCount, first + batch)
                let length = chunks.reduce(0) { $0 + index.expectedDecodedLength(of: $1) }
                try unsafe staging.withUnsafeMutableBytes { memory in
                    let target = unsafe UnsafeMutableRawBufferPointer(rebasing: memory[0..<length])
                    try unsafe decoder.decode(chunks: chunks, into: target, threads: reader.options.decodeThreads)
                    try unsafe output.append(UnsafeRawBufferPointer(target))
                }
                first = chunks.upperBound
            }
        }
        try output.pad(toMultipleOf: DecodedLayout.alignment)
        try output.flush()
        // The whole header page, zero after the header (§13.4): a column with no decoded bytes
        // (no rows) has nothing after it, and the entry must still be `totalLength` long.
        let headerBytes = header.encoded()
        try output.overwrite(headerBytes + [UInt8](repeating: 0, count: DecodedLayout.headerLength - headerBytes.count),
                             at: 0)
        try temporary.publish(durable: false)
    }

    /// What checking a cache entry found.
    private enum EntryCheck {
        /// Every check passed: the entry, mapped.
        case trusted(MappedRegion)
        /// The entry is missing, not ours, or not of this source and layout.
        case untrusted
        /// The entry is ours and of the right size, but `mmap` refused it.
        case unmappable(Errno)
        /// The entry is of this source and layout, but a buffer's CRC-32 is not the directory's.
        case checksumMismatch(BufferInfo, actual: UInt32)
    }

    /// Checks the entry at `path` as §13.4 says a reader must before trusting it.
    private func check(_ path: String, expected: CacheEntryHeader, info: ColumnInfo, layout: DecodedLayout,
                       fault: InjectedFault?) -> EntryCheck {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .noFollow],
                                                retryOnInterrupt: true) else { return .untrusted }
        defer { try? fd.close() }
        guard let owner = try? Syscalls.ownership(fd), owner.isRegular, owner.owner == Syscalls.effectiveUser,
              owner.mode & 0o022 == 0,
              let status = try? Syscalls.status(fd), status.size == layout.totalLength else { return .untrusted }
        let region: MappedRegion
        do {
            try InjectedFault.check(fault, .mapCacheEntry)
            region = try MappedRegion(mapping: fd, length: status.size, path: path)
        } catch {
            return .unmappable(error)
        }
        let view = region.view
        guard CacheEntryHeader(view.slice(offset: 0, length: CacheEntryLayout.maxLength)) == expected else {
            return .untrusted
        }
        Syscalls.markUsed(fd, unlessWithin: DecodeCache.usedMarkInterval)
        let key = VerifiedEntry(path: path, device: status.device, inode: status.inode, size: status.size)
        if DecodeCache.verifiedEntries.withLock({ $0.contains(key) }) { return .trusted(region) }
        for buffer in info.buffers where buffer.decodedLength > 0 {
            let location = layout.locations[buffer.role.rawValue]!
            let actual = CRC32.parallelChecksum(view.slice(offset: Int(location.offset), length: location.length))
            guard actual == buffer.checksum else { return .checksumMismatch(buffer, actual: actual) }
        }
        DecodeCache.verifiedEntries.withLock { _ = $0.insert(key) }
        return .trusted(region)
    }

    /// An entry file whose content this process has checked.
    struct VerifiedEntry: Hashable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var size: Int
    }

    /// The entries this process has checked, so each is checked once per process: a replaced
    /// entry (new inode) is checked again. Entries are only ever replaced by rename.
    static let verifiedEntries = Locked<Set<VerifiedEntry>>([])

    /// `mkdir -p folder` with mode 0700 for the folders it creates.
    private static func makeFolders(_ folder: String) throws(Errno) {
        var path = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/", omittingEmptySubsequences: true) {
            path += "/" + part
            try Syscalls.makeFolder(path, mode: 0o700)
        }
    }
}
