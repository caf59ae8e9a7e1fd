import SystemPackage

/// One unnamed scratch file beside the target, shared by every ``SpillFile`` of a writer, and the
/// budget of memory their staged bytes may take together.
///
/// Each spill stages its appends in memory and writes them to the arena's file as an *extent*
/// (a run of bytes at the arena's end) when its staging is full, or when it appends while the
/// spills together hold more than ``stagedBudget`` bytes. So a writer with any number of streamed
/// columns holds two file descriptors (the target's temporary file and this one) and about
/// ``stagedBudget`` staged bytes plus one append per spill, where one scratch file per buffer
/// needed three descriptors and up to 768 KiB per String column (a CSV of 10,000 columns failed
/// with "too many open files", issue #16).
///
/// Spills of different columns append from different threads (`colfile import --threads`): the
/// arena's counters are behind a lock, an extent's place is reserved under it and written outside
/// it, and a spill only ever writes out its own staging.
final class ScratchArena: Sendable {
    /// The most bytes all spills of one arena stage in memory together, before each writes out
    /// what it holds.
    static let stagedBudget = 64 << 20

    /// The most bytes the dictionaries of the writer's columns under
    /// ``DictionaryPolicy/automatic`` hold together (``reserveDictionary(_:)``).
    let dictionaryBudget: Int
    /// The bytes those dictionaries hold now.
    private let dictionaryBytes = Locked(0)

    /// The scratch file.
    let fd: FileDescriptor
    /// The target, for errors.
    let path: String
    /// Where the next extent goes, and the bytes staged by all spills.
    private let counters = Locked((end: 0, staged: 0))

    /// Creates the scratch file in `folder` (unnamed where the file system can, else named and
    /// removed at once); `path` names the target in errors.
    ///
    /// - Throws: ``ColFileError/Code/io`` when no file can be created there.
    init(folder: String, path: String, dictionaryBudget: Int = DictionaryPolicy.automaticWriterBytes) throws {
        self.path = path
        self.dictionaryBudget = dictionaryBudget
        if let unnamed = try? Syscalls.openUnnamedFile(inFolder: folder) {
            fd = unnamed
        } else {
            let name = TemporaryFile.temporaryName(for: path) + "-spill"
            do {
                fd = try FileDescriptor.open(FilePath(name), .readWrite,
                                             options: [.create, .exclusiveCreate, .closeOnExec],
                                             permissions: [.ownerReadWrite], retryOnInterrupt: true)
            } catch let errno as Errno {
                throw ColFileError(.io, path: path, message: "cannot create a scratch file in \(folder)", errno: errno)
            }
            Syscalls.removeIgnoringErrors(name)
        }
    }

    deinit { try? fd.close() }

    /// Records that a spill staged `count` more bytes (negative: wrote them out); returns whether
    /// the spills together now hold more than ``stagedBudget`` bytes (the caller then writes out
    /// its own staging).
    @discardableResult
    func staged(_ count: Int) -> Bool {
        counters.withLock { counters in
            counters.staged += count
            return counters.staged > Self.stagedBudget
        }
    }

    /// Reserves `count` more bytes for a dictionary under ``DictionaryPolicy/automatic``; returns
    /// false, reserving nothing, when the dictionaries together would pass ``dictionaryBudget``
    /// (the caller then gives its dictionary up).
    func reserveDictionary(_ count: Int) -> Bool {
        dictionaryBytes.withLock { bytes in
            guard bytes + count <= dictionaryBudget else { return false }
            bytes += count
            return true
        }
    }

    /// Returns `count` bytes reserved by ``reserveDictionary(_:)`` (a dictionary given up or written).
    func releaseDictionary(_ count: Int) {
        dictionaryBytes.withLock { $0 -= count }
    }

    /// Writes `bytes` at the end of the scratch file; returns where they start.
    func appendExtent(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        let start = counters.withLock { counters in
            defer { counters.end += bytes.count }
            return counters.end
        }
        do {
            _ = try unsafe fd.writeAll(toAbsoluteOffset: Int64(start), bytes)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot write a scratch file", errno: errno)
        }
        return start
    }

    /// Reads up to `buffer.count` bytes at `offset` of the scratch file; returns the count read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try unsafe fd.read(fromAbsoluteOffset: Int64(offset), into: buffer, retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot read back a scratch file", errno: errno)
        }
    }
}
