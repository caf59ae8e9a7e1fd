import SystemPackage

/// An unnamed scratch file beside the target that holds one buffer of a streamed column until
/// the column is complete; it vanishes when closed, and with the process.
final class SpillFile {
    /// The bytes staged before a write: small, because a row-wise producer keeps every column's
    /// spills open at once (three per string column), and scratch files need no large page-cache
    /// folios (the column is copied into the file by the kernel). 1,000 streamed columns stage at
    /// most about 0.5–0.8 GB instead of 8–12 GB.
    static let stagingCapacity = 256 << 10

    /// The open file.
    let fd: FileDescriptor
    private let output: OutputFile
    private let path: String

    /// Creates a scratch file in `folder`; `path` names the target in errors.
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
        output = OutputFile(fd: fd, path: path, capacity: Self.stagingCapacity)
        output.beginChecksum()
    }

    deinit { try? fd.close() }

    /// Bytes appended so far.
    var length: Int { Int(output.position) }

    /// CRC-32 of everything appended.
    var checksum: UInt32 { output.checksum }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try unsafe output.append(bytes)
    }

    /// Writes out everything staged, so the file holds all appended bytes.
    func flush() throws {
        try output.flush()
    }

    /// Reads up to `buffer.count` bytes at `offset` into `buffer`; returns the count read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try unsafe fd.read(fromAbsoluteOffset: Int64(offset), into: buffer, retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot read back a scratch file", errno: errno)
        }
    }
}
