import CColFile
import Synchronization

/// The SIGBUS guard of one file mapping (`Sources/CColFile/mapping_guard.c`; RELIABILITY.md,
/// "Faults around the file").
///
/// When another process truncates a mapped file, reading a page past its new end raises SIGBUS.
/// For a guarded mapping, the C handler replaces the whole mapping with zero-filled pages and marks
/// it damaged; the read that faulted, and every later one, returns zero. The reader asks
/// ``isDamaged`` in its checks and reports ``ColFileError/Code/fileChanged``.
///
/// Registering costs a few atomic operations and, for the process's list of changed files, one
/// locked dictionary insertion; the handler is installed on the first registration.
package struct MappingGuard: Sendable {
    /// The registration in the C registry.
    private let handle: Int64
    /// The file mapped, for ``changedFiles()``.
    let path: String

    /// Guards the mapping `bytes` of the file at `path`; nil when it cannot be guarded (the registry
    /// of 4096 live mappings is full, or the handler could not be installed): the mapping then
    /// behaves as an unguarded one, and a truncation kills the process. `writable`: a read-write
    /// mapping (a draft's), whose zero-filled replacement takes stores too (they are lost).
    init?(_ bytes: UnsafeRawBufferPointer, path: String, writable: Bool = false) {
        guard Self.isEnabled.load(ordering: .relaxed) else { return nil }
        let handle = unsafe colfile_guard_register(bytes.baseAddress, bytes.count, writable ? 1 : 0)
        guard handle >= 0 else { return nil }
        self.handle = handle
        self.path = path
        Self.live.withLock { $0[Self.slot(handle)] = (handle, path) }
    }

    /// Whether the handler replaced the mapping with zeros, or ``markDamaged()`` was called.
    var isDamaged: Bool { colfile_guard_is_damaged(handle) != 0 }

    /// Marks the mapping damaged: bytes the reader checked were seen to change (a file rewritten in
    /// place), so its checks now report ``ColFileError/Code/fileChanged`` too.
    func markDamaged() {
        colfile_guard_mark_damaged(handle)
    }

    /// Removes the registration; call it before unmapping. A damaged mapping's file stays in
    /// ``changedFiles()``.
    func release() {
        let damaged = colfile_guard_unregister(handle) != 0
        Self.live.withLock { $0[Self.slot(handle)] = nil }
        if damaged {
            Self.released.withLock { files in
                if !files.contains(path) && files.count < 64 { files.append(path) }
            }
        }
    }

    /// Whether new mappings are guarded (true unless `colfile bench --guard-cost` turns it off to
    /// measure what the guard costs, BENCHMARKS.md "The SIGBUS guard"); mappings made while it is
    /// false are unguarded.
    package static let isEnabled = Atomic<Bool>(true)

    /// The handles and paths of the live guarded mappings, by slot of the C registry (an array of its 4096
    /// slots rather than a dictionary: a registration then stores a path without hashing or
    /// allocating, about 600 instructions less an attach; BENCHMARKS.md "Attach: the user-space
    /// work at open"). A slot belongs to one registration from `colfile_guard_register` to
    /// `colfile_guard_unregister`.
    private static let live = Locked<[(handle: Int64, path: String)?]>(Array(repeating: nil, count: slotCount))
    /// The number of slots of the C registry (`SLOT_COUNT` in mapping_guard.c).
    private static let slotCount = 4096

    /// The slot of the C registry that `handle` names (its low 12 bits, mapping_guard.c).
    private static func slot(_ handle: Int64) -> Int {
        Int(handle & Int64(slotCount - 1))
    }
    /// The files of released mappings that were damaged (at most 64, first ones kept).
    private static let released = Locked<[String]>([])

    /// The files whose mappings were damaged in this process, mapped now or earlier, in no
    /// particular order; empty (without taking a lock) when no mapping was ever damaged.
    static func changedFiles() -> [String] {
        guard colfile_guard_damage_events() > 0 else { return [] }
        let live = Self.live.withLock { $0 }.compactMap { $0 }.filter { colfile_guard_is_damaged($0.handle) != 0 }
            .map(\.path)
        var files = released.withLock { $0 }
        for path in live where !files.contains(path) { files.append(path) }
        return files
    }
}
