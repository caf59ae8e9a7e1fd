import SystemPackage

/// Tries on the draft's seal byte (Specification.md §15.4), which writers lock shared and a seal
/// exclusively, with open-file-description locks.
///
/// A child that another thread forked holds a copy of every close-on-exec descriptor until it
/// execs, and with it the locks of their open descriptions: a lock just released can look held
/// for a moment, by no process that can be named.
enum SealLock {
    /// How long a caller that does not wait still retries a refused lock: a seal, when no process
    /// can be named holding it; an open of the draft, always (a seal's forked copy cannot be told
    /// from the seal).
    static let grace = Duration.milliseconds(500)

    /// Tries the seal lock of `kind` once; when refused and no process can be named holding the
    /// seal byte, retries for ``grace``.
    ///
    /// - Returns: whether the lock was taken, and the processes named holding it when it was not.
    static func tryLockUnlessHeldByName(_ fd: FileDescriptor, _ kind: Syscalls.LockKind) throws(Errno)
        -> (locked: Bool, holders: [Int32]) {
        if try Syscalls.tryLock(fd, kind, start: DraftConstants.sealLockByte, length: 1) { return (true, []) }
        let holders = DraftHolders.processes(holding: fd)
        guard holders.isEmpty else { return (false, holders) }
        return (try tryLock(fd, kind, for: grace), [])
    }

    /// Tries the seal lock of `kind` until it is taken (true) or `limit` has passed (false),
    /// pausing 5 ms at first and doubling up to 200 ms.
    static func tryLock(_ fd: FileDescriptor, _ kind: Syscalls.LockKind, for limit: Duration) throws(Errno) -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        var pause = Duration.milliseconds(5)
        while true {
            if try Syscalls.tryLock(fd, kind, start: DraftConstants.sealLockByte, length: 1) { return true }
            guard clock.now - start < limit else { return false }
            let (seconds, attoseconds) = min(pause, limit - (clock.now - start)).components
            Syscalls.sleep(microseconds: Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
            pause = min(pause * 2, .milliseconds(200))
        }
    }
}
