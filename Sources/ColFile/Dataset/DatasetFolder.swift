import SystemPackage

/// A dataset's folder and the files the format gives it (Specification.md §14.1): where each
/// manifest, the hint and the lock file are, and how a reader finds the newest version without
/// listing the folder (§14.4).
struct DatasetFolder: Sendable {
    /// The folder, as the caller gave it without trailing slashes.
    let path: String

    /// The dataset folder at `path`.
    init(path: String) {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path
    }

    /// The path of a file in the folder.
    func file(_ name: String) -> String { path + "/" + name }

    /// The path of version `version`'s manifest.
    func manifestPath(_ version: Int) -> String { file(ManifestLayout.manifestName(version: version)) }

    /// The path of the hint.
    var hintPath: String { file(ManifestLayout.hintName) }

    /// Opens and checks version `version`'s manifest; nil when no file has its name.
    ///
    /// - Throws: The errors of opening a colfile file other than a missing one, and
    ///   ``ColFileError/Code/badManifest``.
    func manifest(_ version: Int) throws -> DatasetManifest? {
        let reader: ColFileReader
        do {
            reader = try ColFileReader.open(manifestPath(version), options: ReaderOptions(coldColumns: .privateMemory))
        } catch let error as ColFileError where error.code == .io && error.errno == .noSuchFileOrDirectory {
            return nil
        }
        return try DatasetManifest(reading: reader, expectedVersion: version)
    }

    /// The newest version's manifest (§14.4): from the version the hint names (or, when the
    /// hint is missing, unreadable or names a manifest that is gone, the greatest version among
    /// the manifests' names in a listing of the folder), it opens the next versions' manifests
    /// until one does not exist.
    ///
    /// - Throws: ``ColFileError/Code/io`` with `ENOENT` when the folder holds no manifest (no
    ///   dataset); the errors of reading a manifest.
    func newestManifest() throws -> DatasetManifest {
        var current: DatasetManifest?
        if let hinted = readHint() { current = try manifest(hinted) }
        var attempts = 0
        while current == nil {
            // No usable hint: list the manifests' names (never the shards'). A manifest removed
            // by garbage collection between the listing and the open is listed again.
            guard let greatest = try listedVersions().last else {
                throw ColFileError(.io, path: path, message: "no dataset here: the folder holds no manifest "
                                       + "(\(ManifestLayout.manifestName(version: 1)) …)",
                                   errno: .noSuchFileOrDirectory)
            }
            current = try manifest(greatest)
            attempts += 1
            if current == nil && attempts >= 8 {
                throw ColFileError(.io, path: manifestPath(greatest), message: "the newest manifest keeps disappearing",
                                   errno: .noSuchFileOrDirectory)
            }
        }
        var newest = current!
        while let next = try manifest(newest.version + 1) { newest = next }
        return newest
    }

    /// The version the hint names, or nil when it is missing, is not a regular file (a FIFO must
    /// not block the reader) or is not 1 to 20 digits (and an optional newline).
    func readHint() -> Int? {
        guard let (fd, _) = try? ColFileReader.openRegularFile(hintPath) else { return nil }
        defer { try? fd.close() }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard let count = try? unsafe bytes.withUnsafeMutableBytes({ try unsafe fd.read(fromAbsoluteOffset: 0, into: $0) }),
              count < bytes.count else { return nil }
        var text = bytes[..<count]
        if text.last == UInt8(ascii: "\n") { text = text.dropLast() }
        return ManifestLayout.version(spelled: String(decoding: text, as: UTF8.self))
    }

    /// Points the hint at `version`, then at any newer version published meanwhile, so that when
    /// writers race the last hint written names the newest version (§14.4). Failures are ignored:
    /// the hint only shortens the search.
    func publishHint(_ version: Int) {
        var version = version
        for _ in 0..<64 {
            guard (try? writeHint(version)) != nil else { return }
            guard Syscalls.isRegularFile(manifestPath(version + 1)) else { return }
            version += 1
            while Syscalls.isRegularFile(manifestPath(version + 1)) { version += 1 }
        }
    }

    /// Replaces the hint with `version` (a named temporary file renamed over it; not flushed).
    private func writeHint(_ version: Int) throws {
        let temporary = TemporaryFile.temporaryName(for: hintPath)
        let fd = try FileDescriptor.open(FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                         permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true)
        do {
            _ = try fd.closeAfter { try fd.writeAll(Array("\(version)\n".utf8)) }
            try Syscalls.rename(temporary, to: hintPath)
        } catch {
            Syscalls.removeIgnoringErrors(temporary)
            throw error
        }
    }

    /// The versions of the manifests in a listing of the folder, in increasing order.
    ///
    /// - Throws: ``ColFileError/Code/io`` when the folder cannot be listed.
    func listedVersions() throws -> [Int] {
        do throws(Errno) {
            return try Syscalls.folderEntries(path).compactMap(ManifestLayout.version(ofManifestName:)).sorted()
        } catch {
            throw ColFileError(.io, path: path, message: "cannot list the dataset folder", errno: error)
        }
    }
}
