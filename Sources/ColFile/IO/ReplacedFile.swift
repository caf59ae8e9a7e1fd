import Dispatch
import SystemPackage

/// Takes the name away from the file a publish replaced without waiting for the kernel to free
/// its page cache.
///
/// When the last name of a file nobody holds open goes (`unlink`, or a `rename` over it), the
/// kernel frees its cached pages in that call: 0.7–1.3 s for a 1.6 GB file (BENCHMARKS.md,
/// "Writing at the page cache's speed"), which the caller of `finish()` would wait for although
/// its file is already in place. So the replaced file is opened first (``hold(_:)``), its name
/// removed or renamed over (quick: the file lives on while it is open), and the descriptor closed
/// on another thread (``release(_:)``): that last close frees the pages. The name is gone when
/// the publish returns; if the process exits before the close, the kernel closes the descriptor
/// and frees the pages at exit, so nothing is left on disk either way. Until the close the file's
/// blocks stay allocated: a file system's free space comes back a moment after the publish.
package enum ReplacedFile {
    /// Files smaller than this are closed in line: their pages are freed in microseconds.
    static let deferredSize = 16 << 20
    /// At most this many descriptors wait for their close; beyond, they are closed in line.
    static let pendingLimit = 8

    /// Closes handed to ``releases`` and not done yet.
    private static let pending = Locked(0)
    private static let releases = DispatchQueue(label: "colfile.replaced-file-release", qos: .utility)

    /// Opens the file at `path` (to be replaced next) for ``release(_:)``; nil when there is none
    /// or it cannot be opened (its pages are then freed in line, as without this).
    private static func hold(_ path: String) -> FileDescriptor? {
        try? Syscalls.openForReading(path)
    }

    /// Closes `fd`, a file whose name is gone: on another thread when it is large, so the caller
    /// does not wait for its pages to be freed.
    private static func release(_ fd: FileDescriptor) {
        let isLarge = ((try? Syscalls.status(fd).size) ?? 0) >= deferredSize
        let deferred = isLarge && pending.withLock { count in
            guard count < pendingLimit else { return false }
            count += 1
            return true
        }
        guard deferred else {
            try? fd.close()
            return
        }
        releases.async {
            try? fd.close()
            pending.withLock { $0 -= 1 }
        }
    }

    /// Returns once every close handed to another thread so far is done, so the pages of every
    /// file replaced before the call are freed (a benchmark's next figure should not share the
    /// machine with that work).
    package static func waitForReleases() {
        releases.sync {}
    }

    /// Removes `path`'s name (`unlink`); a large file's pages are freed on another thread.
    ///
    /// - Throws: The `Errno` of the `unlink`.
    static func remove(_ path: String) throws(Errno) {
        try replacing(path) { () throws(Errno) in try Syscalls.remove(path) }
    }

    /// Renames `source` over `target` (`rename`); the large file it replaces, if any, has its
    /// pages freed on another thread.
    ///
    /// - Throws: The `Errno` of the `rename`.
    static func rename(_ source: String, over target: String) throws(Errno) {
        try replacing(target) { () throws(Errno) in try Syscalls.rename(source, to: target) }
    }

    /// Runs `takeName`, which takes the name `path` away from its file, holding the file open
    /// across it and releasing it after.
    private static func replacing(_ path: String, _ takeName: () throws(Errno) -> Void) throws(Errno) {
        let held = hold(path)
        do throws(Errno) {
            try takeName()
        } catch {
            try? held?.close()
            throw error
        }
        if let held { release(held) }
    }
}
