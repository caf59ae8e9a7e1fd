import SystemPackage

/// Hands out the ranges of rows of a draft to workers, across threads and processes, with no
/// server: the next range never handed out, and once none is left, ranges whose claimer stopped
/// without finishing them (Specification.md §15.3, §15.4).
///
/// Each queue opens the draft once more, so it owns an open file description of its own: the
/// kernel's open-file-description locks (`F_OFD_SETLK`) on it say which ranges it holds, and
/// exclude every other queue, in this process or another. When a worker's process dies, the
/// kernel releases its locks, and its unfinished ranges become claimable again, with no timeout
/// and no process id to trust. Use one queue per worker thread.
///
/// ```swift
/// let queue = try draft.workQueue()
/// while let claim = try queue.claim() {
///     if claim.isResumed { column.setNull(rows: claim.rows) }   // a previous claimer may have written part of it
///     column.fill(rows: claim.rows) { span in … }
///     claim.finish()
/// }
/// ```
public final class DraftWorkQueue {
    /// The draft the ranges belong to.
    public let draft: ColFileDraft
    let fd: FileDescriptor
    /// The ranges this queue holds: its own lock on one of them would be granted to it again
    /// (a lock belongs to the open file description), so the queue skips them itself.
    private var held: Set<Int> = []

    init(draft: ColFileDraft) throws {
        self.draft = draft
        do {
            fd = try FileDescriptor.open(FilePath(draft.path), .readWrite, options: [.closeOnExec], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: draft.path, message: "cannot open the draft for claiming", errno: errno)
        }
        let same: Bool
        do throws(Errno) {
            let mine = try Syscalls.status(fd)
            let mapped = try Syscalls.status(draft.mapping.fd)
            same = mine.device == mapped.device && mine.inode == mapped.inode
        } catch {
            try? fd.close()
            throw ColFileError(.io, path: draft.path, message: "cannot check the draft", errno: error)
        }
        guard same else {
            try? fd.close()
            throw ColFileError(.draftBusy, path: draft.path,
                               message: "the draft's path names another file now (it was sealed or replaced)")
        }
    }

    deinit { try? fd.close() }

    /// Claims a range: the next one never handed out, or else one whose claimer stopped without
    /// finishing it (its process died, or it released its claim).
    ///
    /// - Returns: The claim, which holds the range's lock until ``RangeClaim/finish()``,
    ///   ``RangeClaim/release()`` or its release; nil when no range can be claimed now (every
    ///   range is done, or held by a live claimer).
    /// - Throws: ``ColFileError/Code/io`` when a lock call fails; ``ColFileError/Code/fileChanged``
    ///   when the draft was truncated under this process's mapping (``ColFileDraft/checkIntact()``).
    /// - Complexity: O(1) while ranges were never handed out; then O(ranges) lock attempts.
    public func claim() throws -> RangeClaim? {
        try draft.checkIntact()
        let table = draft.claimTable
        do throws(Errno) {
            try Syscalls.lock(fd, .exclusive, start: DraftConstants.claimLockByte, length: 1)
            defer { Syscalls.unlock(fd, start: DraftConstants.claimLockByte, length: 1) }
            while table.nextRange < table.rangeCount {
                let index = table.nextRange
                table.nextRange = index + 1
                if let claim = try take(index, from: table, states: [.free]) { return claim }
            }
            for index in 0..<table.rangeCount where table.state(index) != .done {
                if let claim = try take(index, from: table, states: [.free, .claimed]) { return claim }
            }
            return nil
        } catch {
            throw ColFileError(.io, path: draft.path, message: "cannot lock the draft's claim table", errno: error)
        }
    }

    /// Takes range `index` if its lock is free and its state, read under the lock, is one of `states`.
    private func take(_ index: Int, from table: ClaimTable, states: Set<RangeState>) throws(Errno) -> RangeClaim? {
        guard !held.contains(index) else { return nil }
        let byte = DraftConstants.rangeLockBase + Int64(index)
        guard try Syscalls.tryLock(fd, .exclusive, start: byte, length: 1) else { return nil }
        guard states.contains(table.state(index)) else {
            Syscalls.unlock(fd, start: byte, length: 1)
            return nil
        }
        let attempt = table.claim(index, by: Syscalls.processID)
        held.insert(index)
        return RangeClaim(queue: self, index: index, rows: draft.rows(ofRange: index), attempt: attempt)
    }

    /// Marks range `index` done and releases its lock.
    func finish(_ index: Int) {
        draft.claimTable.setState(index, .done)
        release(index)
    }

    /// Releases range `index`'s lock.
    func release(_ index: Int) {
        held.remove(index)
        Syscalls.unlock(fd, start: DraftConstants.rangeLockBase + Int64(index), length: 1)
    }
}

/// One range of a draft's rows, claimed through a ``DraftWorkQueue``: its lock is held until
/// ``finish()`` or ``release()``, or until the claim is released (which releases it unfinished).
public final class RangeClaim: CustomStringConvertible {
    private let queue: DraftWorkQueue
    /// The range's index.
    public let index: Int
    /// The rows to fill.
    public let rows: Range<Int>
    /// How many times the range was claimed, this claim included: 1 the first time.
    public let attempt: Int
    private var isOpen = true

    init(queue: DraftWorkQueue, index: Int, rows: Range<Int>, attempt: Int) {
        self.queue = queue
        self.index = index
        self.rows = rows
        self.attempt = attempt
    }

    deinit { release() }

    /// Whether a previous claimer stopped without finishing the range: some of its rows may hold
    /// values already (clear or overwrite them; counters added to may need resetting).
    public var isResumed: Bool { attempt > 1 }

    /// Marks the range done and releases it. Write every row first: the values written before are
    /// visible to every process mapping the draft.
    ///
    /// - Precondition: the claim is still held.
    public func finish() {
        precondition(isOpen, "RangeClaim.finish() after finish() or release()")
        isOpen = false
        queue.finish(index)
    }

    /// Gives the range up unfinished: another claimer may take it. Safe to call twice.
    public func release() {
        guard isOpen else { return }
        isOpen = false
        queue.release(index)
    }

    /// `RangeClaim(index: 3, rows: 196608..<262144, attempt: 1)`.
    public var description: String { "RangeClaim(index: \(index), rows: \(rows), attempt: \(attempt))" }
}
