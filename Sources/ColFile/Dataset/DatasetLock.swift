import SystemPackage

/// The advisory lock on a dataset folder's `_lock` file (Specification.md §14.6): writers hold it
/// shared from the moment they start writing shards until they have published, garbage
/// collection holds it alone, so it never removes a shard a writer is about to publish.
///
/// The lock is `flock` on the open file, released when the file is closed (here, on ``release()``
/// or when the value is released, or when the process dies). Where the file system has no locks
/// (`ENOLCK`, `EOPNOTSUPP`, `ENOSYS`), the lock is not held and garbage collection relies on its
/// age threshold alone.
///
/// A process forked by any thread of this process shares the lock file's open description from its
/// fork to its exec (close-on-exec closes it only then), so for that moment a released lock can
/// still be held. A non-waiting attempt therefore tries again for ``nonWaitingRetryLimit``
/// (``LockRetry``) before it reports the lock held; waiting attempts just wait.
final class DatasetLock {
    /// How long a non-waiting attempt that finds the lock held tries again, pausing 1, 2, 4, …
    /// 128 ms (Specification.md §14.6): far longer than a fork's wait for its exec, far shorter
    /// than a writer's transaction.
    static let nonWaitingRetryLimit = Duration.milliseconds(255)

    private var fd: FileDescriptor?
    /// Whether the lock is held (false where the file system has no locks).
    private(set) var isHeld = false

    /// Takes the lock of `folder`, shared or exclusive, waiting for it or not.
    ///
    /// - Throws: ``ColFileError/Code/io``: with `EWOULDBLOCK` when `wait` is false and another
    ///   open file holds a conflicting lock through ``nonWaitingRetryLimit``; when the lock file cannot be opened or created.
    init(_ folder: DatasetFolder, exclusive: Bool, wait: Bool) throws {
        let path = folder.file(ManifestLayout.lockName)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.create, .closeOnExec],
                                         permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot open the dataset's lock file", errno: errno)
        }
        self.fd = fd
        do throws(Errno) {
            try Self.lock(fd, exclusive: exclusive, wait: wait)
            isHeld = true
        } catch .noLocks, .notSupported, .noFunction {
            isHeld = false
        } catch .wouldBlock {
            release()
            throw ColFileError(.io, path: path, message: exclusive
                                   ? "a writer is publishing to the dataset (it holds the lock); try again once it has published"
                                   : "garbage collection holds the dataset's lock",
                               errno: .wouldBlock)
        } catch {
            release()
            throw ColFileError(.io, path: path, message: "cannot lock the dataset", errno: error)
        }
    }

    deinit { release() }

    /// Locks `fd`; without `wait`, tries again for ``nonWaitingRetryLimit`` while the lock is held
    /// elsewhere, then fails with `EWOULDBLOCK`.
    private static func lock(_ fd: FileDescriptor, exclusive: Bool, wait: Bool) throws(Errno) {
        if wait { return try Syscalls.lock(fd, exclusive: exclusive, wait: true) }
        let taken = try LockRetry.datasetLock.take(within: nonWaitingRetryLimit) { () throws(Errno) -> Bool in
            do throws(Errno) {
                try Syscalls.lock(fd, exclusive: exclusive, wait: false)
                return true
            } catch .wouldBlock {
                return false
            }
        }
        if !taken { throw Errno.wouldBlock }
    }

    /// Lets go of the lock (closes the file). Safe to call twice.
    func release() {
        try? fd?.close()
        fd = nil
        isHeld = false
    }
}
