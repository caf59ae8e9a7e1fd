import FoundationEssentials
import SystemPackage

/// What ``ColFileDataset/collectGarbage(at:keeping:grace:dryRun:waitingForWriters:)`` removed
/// (or, in a dry run, would remove).
public struct DatasetGarbageReport: Sendable, Equatable {
    /// The newest version when garbage collection ran.
    public var newestVersion: Int
    /// The versions whose manifests (and every shard they name) were kept.
    public var keptVersions: [Int]
    /// The versions whose manifests were removed.
    public var removedVersions: [Int]
    /// The files removed: shards no kept version names, and leftovers of writers that never published.
    public var removedFiles: [String]
    /// The bytes of the removed files.
    public var removedBytes: Int
    /// Files no kept version names that were kept because they changed within the grace period
    /// (a writer may be about to publish them).
    public var youngFiles: [String]
    /// Whether the dataset's lock was held (false where the file system has no locks: then only
    /// the grace period protected writers' new shards).
    public var heldLock: Bool
}

extension ColFileDataset {
    /// Removes what no kept version of the dataset needs (Specification.md §14.6): the manifests
    /// of all but the newest `keeping` versions, and every file that could be a shard (a name not
    /// starting with `.` or `_`) that none of the kept versions names and that has not changed
    /// for `grace`.
    ///
    /// It takes the dataset's lock alone: while a ``DatasetTransaction`` (any process, Swift or
    /// Python) holds it, it fails with ``ColFileError/Code/io`` (`EWOULDBLOCK`) after trying again
    /// for about a quarter of a second, or waits when `waitingForWriters`. So a shard a writer is about to publish is never removed; the grace
    /// period protects writers that do not lock (or file systems without locks), and leftovers of
    /// writers that died are removed once it has passed. Readers need no lock: one that has
    /// opened a shard keeps reading it after it is removed; one that opens a removed version's
    /// shard later gets ``ColFileError/Code/io`` (`ENOENT`), never another version's data.
    ///
    /// - Parameters:
    ///   - path: The dataset's folder.
    ///   - keeping: How many of the newest versions to keep, at least 1.
    ///   - grace: How long an unnamed file must have been unchanged (modification or status change)
    ///     before it is removed.
    ///   - dryRun: Report what would be removed, and remove nothing.
    ///   - waitingForWriters: Wait for writers holding the lock instead of failing.
    /// - Returns: What was (or would be) removed and kept.
    /// - Throws: ``ColFileError/Code/io``; the errors of reading the kept manifests.
    /// - Precondition: `keeping` ≥ 1.
    public static func collectGarbage(at path: String, keeping: Int = 2, grace: Duration = .seconds(3600),
                                      dryRun: Bool = false, waitingForWriters: Bool = false) throws
        -> DatasetGarbageReport {
        precondition(keeping >= 1, "garbage collection keeps at least the newest version")
        let folder = DatasetFolder(path: path)
        let lock = try DatasetLock(folder, exclusive: true, wait: waitingForWriters)
        defer { lock.release() }
        var newest = try folder.newestManifest()
        let lowestKept = max(1, newest.version - keeping + 1)
        var named = Set<String>()
        var kept: [Int] = []
        for version in lowestKept..<newest.version {
            guard let manifest = try folder.manifest(version) else { continue }
            named.formUnion(manifest.shards.map(\.name))
            kept.append(version)
        }
        named.formUnion(newest.shards.map(\.name))
        kept.append(newest.version)
        if !dryRun, (folder.readHint() ?? 0) < lowestKept { folder.publishHint(newest.version) }

        let names: [String]
        do throws(Errno) {
            names = try Syscalls.folderEntries(path).sorted()
        } catch {
            throw ColFileError(.io, path: path, message: "cannot list the dataset folder", errno: error)
        }
        // A writer that does not lock may have published meanwhile: keep what its versions name.
        while let next = try folder.manifest(newest.version + 1) {
            newest = next
            named.formUnion(next.shards.map(\.name))
            kept.append(next.version)
        }
        let oldest = Date().timeIntervalSince1970 - Double(grace.components.seconds)
            - Double(grace.components.attoseconds) / 1e18
        var report = DatasetGarbageReport(newestVersion: newest.version, keptVersions: kept, removedVersions: [],
                                          removedFiles: [], removedBytes: 0, youngFiles: [], heldLock: lock.isHeld)
        var files: [(name: String, bytes: Int)] = []
        for name in names {
            if let version = ManifestLayout.version(ofManifestName: name) {
                if version < lowestKept { report.removedVersions.append(version) }
                continue
            }
            guard ManifestLayout.shardNameProblem(name) == nil, !named.contains(name),
                  let status = try? Syscalls.entryStatus(ofPath: folder.file(name)), status.isRegular else { continue }
            if status.lastChange > oldest {
                report.youngFiles.append(name)
            } else {
                files.append((name, status.size))
            }
        }
        report.removedVersions.sort()
        report.removedFiles = files.map(\.name)
        report.removedBytes = files.reduce(0) { $0 + $1.bytes }
        guard !dryRun else { return report }
        // Manifests first: no manifest left behind ever names a removed shard.
        for version in report.removedVersions { try remove(folder.manifestPath(version)) }
        for file in files { try remove(folder.file(file.name)) }
        return report
    }

    /// Removes the file at `path`; one already gone is not an error.
    private static func remove(_ path: String) throws {
        do throws(Errno) {
            try Syscalls.remove(path)
        } catch .noSuchFileOrDirectory {
            return
        } catch {
            throw ColFileError(.io, path: path, message: "cannot remove the file", errno: error)
        }
    }
}
