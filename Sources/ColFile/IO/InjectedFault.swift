import SystemPackage

/// A system call failure to inject into a ``ColFileWriter``, to test that the writer fails
/// cleanly (an ``ColFileError/Code/io`` error, the target untouched, no temporary file left) when
/// the disk fills up, a flush fails or the file cannot be published. Per writer, so tests that
/// inject faults can run in parallel with everything else.
package struct InjectedFault: Sendable, Equatable {
    /// The system call that fails.
    package enum Call: Sendable, Equatable {
        /// `pwrite`/`sendfile` into the file: fails once the file would grow past `afterBytes`.
        case write(afterBytes: UInt64)
        /// `fsync` of the file before it is published.
        case syncFile
        /// `linkat`, which names an unnamed (`O_TMPFILE`) file before the rename.
        case link
        /// `rename` over the target.
        case rename
        /// Not a failing call but a race: another process replaces the target with an empty
        /// folder just after an unsynced writer checked that the target is a regular file and
        /// before it swaps its file in (``errno`` is what that process's `rename` would meet).
        case targetReplacedByFolder
        /// `fsync` of the folder after the rename (the file is then already published).
        case syncFolder
        /// `mmap` of a decode cache entry (a reader's fault, ``ReaderOptions``).
        case mapCacheEntry
    }

    /// The call that fails.
    package var call: Call
    /// The error it fails with.
    package var errno: Errno

    /// A failure of `call` with `errno`.
    package init(_ call: Call, errno: Errno) {
        self.call = call
        self.errno = errno
    }

    /// Throws the injected error when `fault` is a failure of `call`.
    static func check(_ fault: InjectedFault?, _ call: Call) throws(Errno) {
        if let fault, fault.call == call { throw fault.errno }
    }

    /// Replaces `target` with an empty folder when `fault` is ``Call/targetReplacedByFolder``.
    static func race(_ fault: InjectedFault?, target: String) {
        guard fault?.call == .targetReplacedByFolder else { return }
        Syscalls.removeIgnoringErrors(target)
        try? Syscalls.makeFolder(target, mode: 0o755)
    }

    /// Throws the injected error when `fault` is a write failure and a write of `count` bytes at
    /// `offset` would end past its limit.
    static func checkWrite(_ fault: InjectedFault?, offset: UInt64, count: Int) throws(Errno) {
        if let fault, case .write(let limit) = fault.call, offset + UInt64(count) > limit { throw fault.errno }
    }
}
