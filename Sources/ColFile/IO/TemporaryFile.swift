import SystemPackage

/// A file being written next to its final path, published atomically or discarded
/// (Specification.md §11).
///
/// Where the file system supports it the file is unnamed (`O_TMPFILE`): a crash of the process
/// leaves nothing behind. Elsewhere it is named `.NAME.colfile-tmp-PID-RANDOM` in the target's
/// folder, removed on ``discard()``; a crash can leave such a file, recognisable by its name.
final class TemporaryFile {
    /// The open file.
    let fd: FileDescriptor
    /// The path the file is published to.
    let target: String
    private let folder: String
    private var namedPath: String?
    private var isOpen = true
    /// A failure to inject into publishing (tests).
    var fault: InjectedFault?

    /// Creates the temporary file in `target`'s folder.
    ///
    /// - Parameter unnamed: Try `O_TMPFILE` first (tests turn this off to cover the named path).
    init(target: String, unnamed: Bool = true) throws {
        self.target = target
        self.folder = TemporaryFile.folder(of: target)
        if unnamed, let fd = try? Syscalls.openUnnamedFile(inFolder: folder) {
            self.fd = fd
            return
        }
        let path = TemporaryFile.temporaryName(for: target)
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.create, .exclusiveCreate, .closeOnExec],
                                         permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: target, message: "cannot create a temporary file in \(folder)", errno: errno)
        }
        namedPath = path
    }

    deinit { discard() }

    /// Renames the file over the target. When `durable`, first flushes the file to disk and
    /// afterwards the folder, so the new file survives a power loss (caches skip this: a lost
    /// entry is only decoded again).
    ///
    /// When not `durable` and the target is a regular file, the file is swapped with it
    /// (`renameat2` with `RENAME_EXCHANGE`, just as atomic for readers) and the previous file's
    /// name, now beside the target, is removed; a large previous file's pages are freed on another
    /// thread (``ReplacedFile``). A plain rename over an existing file makes ext4
    /// (`auto_da_alloc`) start writing the new file back before the rename returns, most of the
    /// time of a page-cache write (BENCHMARKS.md, "Writing").
    /// Where the exchange is not possible (no target, another file system) it is a plain rename.
    ///
    /// When not `replacing`, the file gets the target's name only if no file has it: the unnamed
    /// file is linked to the target directly (`linkat`), a named one is linked (`link`) and its
    /// temporary name removed. Both fail with `EEXIST` when the name is taken, so of several
    /// writers publishing one name exactly one succeeds (a dataset's manifest versions,
    /// Specification.md §14.5).
    func publish(durable: Bool = true, replacing: Bool = true) throws {
        precondition(isOpen, "publish after discard")
        var previous: String?
        do throws(Errno) {
            if durable {
                try InjectedFault.check(fault, .syncFile)
                try Syscalls.sync(fd)
            }
            if replacing {
                previous = try renameOverTarget(durable: durable)
            } else {
                try InjectedFault.check(fault, .link)
                if let namedPath {
                    try Syscalls.link(namedPath, to: target)
                    Syscalls.removeIgnoringErrors(namedPath)
                } else {
                    try Syscalls.link(unnamed: fd, to: target)
                }
            }
            namedPath = nil
        } catch {
            throw ColFileError(.io, path: target, message: "cannot publish the file", errno: error)
        }
        try finishPublishing(durable: durable, previous: previous)
    }

    /// Renames the file over the target (or swaps the two, see ``publish(durable:replacing:)``).
    ///
    /// - Returns: The name the previous file has after a swap, to be removed; nil after a rename.
    private func renameOverTarget(durable: Bool) throws(Errno) -> String? {
        var previous: String?
        let source: String
        if let namedPath {
            source = namedPath
        } else {
            source = TemporaryFile.temporaryName(for: target)
            try InjectedFault.check(fault, .link)
            try Syscalls.link(unnamed: fd, to: source)
            namedPath = source
        }
        try InjectedFault.check(fault, .rename)
        var swapped = false
        if !durable, Syscalls.isRegularFile(target) {
            InjectedFault.race(fault, target: target)
            swapped = try TemporaryFile.exchange(source, with: target)
        }
        if swapped {
            guard Syscalls.isRegularFile(source) else {
                // Something other than a file (a folder) took the target's name between the
                // check and the swap: swap it back and fail as a rename onto it would.
                try Syscalls.exchange(source, with: target)
                throw Errno.isDirectory
            }
            previous = source
        } else {
            try ReplacedFile.rename(source, over: target)
        }
        return previous
    }

    /// Closes the published file, removes the previous file's name left by a swap, and flushes
    /// the folder when `durable`.
    private func finishPublishing(durable: Bool, previous: String?) throws {
        close()
        if let previous {
            do throws(Errno) {
                try ReplacedFile.remove(previous)
            } catch {
                throw ColFileError(.io, path: target,
                                   message: "the file was published but the previous one could not be removed from \(previous)",
                                   errno: error)
            }
        }
        guard durable else { return }
        do throws(Errno) {
            try syncFolder()
        } catch {
            // The rename cannot be undone: say that the new file is in place.
            throw ColFileError(.io, path: target,
                               message: "the file was published but its folder could not be flushed to disk", errno: error)
        }
    }

    /// Swaps `source` and `target`; false when the file system cannot, or `target` went away
    /// (the caller then renames).
    private static func exchange(_ source: String, with target: String) throws(Errno) -> Bool {
        do throws(Errno) {
            try Syscalls.exchange(source, with: target)
            return true
        } catch {
            switch error {
            case .noSuchFileOrDirectory, .invalidArgument, .noFunction, .notSupported: return false
            default: throw error
            }
        }
    }

    /// Closes the file and removes any name it has; the target is untouched. Safe to call twice.
    func discard() {
        if let namedPath { Syscalls.removeIgnoringErrors(namedPath) }
        namedPath = nil
        close()
    }

    private func close() {
        guard isOpen else { return }
        isOpen = false
        try? fd.close()
    }

    private func syncFolder() throws(Errno) {
        let folderFD: FileDescriptor
        do {
            folderFD = try FileDescriptor.open(FilePath(folder), .readOnly, options: [.directory, .closeOnExec])
        } catch let error as Errno {
            throw error
        } catch {
            throw Errno.ioError
        }
        defer { try? folderFD.close() }
        try InjectedFault.check(fault, .syncFolder)
        try Syscalls.sync(folderFD)
    }

    /// The folder holding `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A fresh temporary name beside `target`: `.NAME.colfile-tmp-PID-RANDOM`.
    static func temporaryName(for target: String) -> String {
        let folder = folder(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? target
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(folder)/.\(name)\(temporaryMarker)\(Syscalls.processID)-\(random)"
    }

    /// What every named temporary file's name contains, so leftovers can be recognised.
    static let temporaryMarker = ".colfile-tmp-"
}
