import SystemPackage

/// One unnamed scratch file beside the target, shared by every ``SpillFile`` of a writer, and the
/// budget of memory their staged bytes may take together.
///
/// Each spill stages its appends in memory and writes them to the arena's file as an *extent*
/// (a run of bytes at the arena's end) when its staging is full, or when the spills together hold
/// more than ``stagedBudget`` bytes: then every spill writes out what it holds. So a writer with any
/// number of streamed columns holds two file descriptors (the target's temporary file and this
/// one) and at most about ``stagedBudget`` staged bytes, where one scratch file per buffer needed
/// three descriptors and up to 768 KiB per String column (a CSV of 10,000 columns failed with
/// "too many open files", issue #16).
final class ScratchArena {
    /// The most bytes all spills of one arena stage in memory together, before each writes out
    /// what it holds.
    static let stagedBudget = 64 << 20

    /// The scratch file.
    let fd: FileDescriptor
    /// The target, for errors.
    let path: String
    /// Where the next extent goes.
    private var end = 0
    /// Bytes staged by all spills.
    private var staged = 0
    /// The spills that may hold staged bytes, to write out when the budget is passed.
    private var spills: [WeakSpill] = []

    /// A reference to a spill that does not keep it alive.
    private struct WeakSpill {
        weak var spill: SpillFile?
    }

    /// Creates the scratch file in `folder` (unnamed where the file system can, else named and
    /// removed at once); `path` names the target in errors.
    ///
    /// - Throws: ``ColFileError/Code/io`` when no file can be created there.
    init(folder: String, path: String) throws {
        self.path = path
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

    /// Adds `spill` to those written out when the budget is passed.
    func register(_ spill: SpillFile) {
        spills.append(WeakSpill(spill: spill))
    }

    /// Records that a spill staged `count` more bytes (negative: wrote them out); past the budget,
    /// every spill writes out what it holds.
    func staged(_ count: Int) throws {
        staged += count
        guard staged > Self.stagedBudget else { return }
        spills.removeAll { $0.spill == nil }
        for entry in spills { try entry.spill?.writeOutStaged() }
    }

    /// Writes `bytes` at the end of the scratch file; returns where they start.
    func appendExtent(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        let start = end
        do {
            _ = try unsafe fd.writeAll(toAbsoluteOffset: Int64(start), bytes)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot write a scratch file", errno: errno)
        }
        end += bytes.count
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
