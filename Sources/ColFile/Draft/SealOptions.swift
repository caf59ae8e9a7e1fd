/// How ``ColFileDraft/seal(_:to:options:)`` seals a draft.
public struct SealOptions: Sendable {
    /// What a seal does while other handles hold the draft open (Specification.md §15.4).
    public enum Wait: Sendable, Equatable {
        /// Refuse with ``ColFileError/Code/draftBusy`` (the default), after retrying for up to half
        /// a second: a child another thread forked holds a copy of a closed writer's lock between
        /// its `fork` and its `exec`, and cannot be told from a live writer.
        case no
        /// Wait at most this long (at least half a second, as ``no``) for every handle to close,
        /// then refuse.
        case upTo(Duration)
        /// Wait as long as it takes. A writer that never closes the draft (a hung process) then
        /// blocks the seal until it is killed: prefer ``upTo(_:)`` in unattended jobs.
        case forever
    }

    /// What to do while handles hold the draft open.
    public var wait: Wait = .no
    /// Refuse (``ColFileError/Code/draftIncomplete``) unless every range of the claim table is
    /// done; false by default, for drafts filled without claiming.
    public var requiresAllRangesDone = false
    /// Columns to store compressed, by name (the writer's ``Compression``). Any compression makes
    /// the seal write a new file through ``ColFileWriter`` instead of sealing in place.
    public var compression: [String: Compression] = [:]
    /// Whether the seal flushes the file and its folder to disk (`fsync`); true by default. Without
    /// it the publish is still atomic for readers, but not durable across a power loss.
    public var syncsToDisk = true
    /// Called after each step of an in-place seal; tests stop the seal there, as a crash would.
    package var afterStep: (@Sendable (SealStep) throws -> Void)?

    /// The defaults: refuse while the draft is open elsewhere, seal in place, flush to disk.
    public init(wait: Wait = .no, requiresAllRangesDone: Bool = false, compression: [String: Compression] = [:],
                syncsToDisk: Bool = true) {
        self.wait = wait
        self.requiresAllRangesDone = requiresAllRangesDone
        self.compression = compression
        self.syncsToDisk = syncsToDisk
    }
}

/// The steps of an in-place seal (Specification.md §15.5), for tests that stop a seal after one.
package enum SealStep: String, Sendable, CaseIterable {
    /// The header says `sealing`.
    case markedSealing
    /// The directory and trailer are written after the description.
    case wroteDirectory
    /// The colfile header replaced the draft header: the file is a sealed colfile file.
    case wroteHeader
    /// The claim table, the description and any dropped bitmap are zero.
    case clearedPadding
    /// The file is renamed to the target.
    case published
}

/// What a seal did.
public struct SealReport: Sendable, Equatable {
    /// The published file.
    public var target: String
    /// Its size in bytes.
    public var bytes: Int
    /// Whether the draft became the file in place (no data copied); false when columns were
    /// compressed into a new file.
    public var inPlace: Bool
    /// Whether the draft had been sealed by an earlier seal that stopped before publishing it,
    /// and this seal only published it.
    public var resumed: Bool
    /// The null count of every column, by name.
    public var nullCounts: [String: Int]
}
