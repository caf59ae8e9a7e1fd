import SystemPackage

/// Tries on the draft's seal byte (Specification.md §15.4), which writers lock shared and a seal
/// exclusively, with open-file-description locks.
///
/// A lock just released can look held for a moment (``LockRetry``).
enum SealLock {
    /// How long a caller that does not wait still retries a refused lock: a seal (a writer's
    /// forked copy cannot be told from the writer) and an open of the draft (a seal's forked copy
    /// cannot be told from the seal).
    static let grace = Duration.milliseconds(500)

    /// Tries the seal lock of `kind` until it is taken (true) or `limit` has passed (false), on
    /// ``LockRetry/sealLock``'s schedule.
    static func tryLock(_ fd: FileDescriptor, _ kind: Syscalls.LockKind, for limit: Duration) throws(Errno) -> Bool {
        try LockRetry.sealLock.take(within: limit) { () throws(Errno) -> Bool in
            try Syscalls.tryLock(fd, kind, start: DraftConstants.sealLockByte, length: 1)
        }
    }
}
