import SystemPackage

extension ColFileDraft {
    /// The default rows per range of ``create(_:rowCount:columns:rowsPerRange:metadata:fileID:)``:
    /// 65,536 (512 KiB of a Float64 column per range).
    public static let defaultRowsPerRange = DraftConstants.defaultRowsPerRange

    /// Creates a draft at `path` and opens it for writing.
    ///
    /// The draft appears at `path` whole or not at all: it is written as an unnamed file
    /// (`O_TMPFILE`, else a named temporary file) in the same folder and then linked to `path`,
    /// which must not exist. Its blocks are reserved (`fallocate`) so that a full disk fails
    /// here, not later as a `SIGBUS` in a writer's page fault. Creating costs no write of the
    /// data: rows start as zero pages.
    ///
    /// - Parameters:
    ///   - path: Where the draft goes, e.g. ``defaultPath(forTarget:)``; the sealed file must be
    ///     on the same file system.
    ///   - rowCount: The rows of every column, 0 to 2^53.
    ///   - columns: The columns: fixed-width (scalars or tensors) and Bool.
    ///   - rowsPerRange: Rows in each range ``workQueue()`` hands out: a positive multiple of 64
    ///     (so that no byte of a bitmap belongs to two ranges); 65,536 by default.
    ///   - metadata: The sealed file's key/value metadata.
    ///   - fileID: The sealed file's 16-byte id, for reproducible files; random by default.
    /// - Returns: The draft, open for writing.
    /// - Throws: ``ColFileError/Code/invalidArgument`` for a schema a draft cannot hold;
    ///   ``ColFileError/Code/io`` when the file cannot be made (`EEXIST`: a file is already at
    ///   `path`; `ENOSPC`: the disk cannot hold it).
    public static func create(_ path: String, rowCount: Int, columns: [DraftColumn],
                              rowsPerRange: Int = ColFileDraft.defaultRowsPerRange,
                              metadata: [String: String] = [:], fileID: [UInt8]? = nil) throws -> ColFileDraft {
        let plan = try DraftPlan(rowCount: rowCount, columns: columns, rowsPerRange: rowsPerRange, metadata: metadata,
                                 fileID: fileID ?? (0..<16).map { _ in UInt8.random(in: 0...255) },
                                 context: ErrorContext(path: path))
        let folder = TemporaryFile.folder(of: path)
        var named: String?
        let fd: FileDescriptor
        do {
            if let unnamed = try? Syscalls.openUnnamedFile(inFolder: folder) {
                fd = unnamed
            } else {
                let temporary = TemporaryFile.temporaryName(for: path)
                fd = try FileDescriptor.open(FilePath(temporary), .readWrite,
                                             options: [.create, .exclusiveCreate, .closeOnExec],
                                             permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true)
                named = temporary
            }
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot create the draft in \(folder)", errno: errno)
        }
        do throws(Errno) {
            defer { if let named { Syscalls.removeIgnoringErrors(named) } }
            try Syscalls.truncate(fd, to: plan.size)
            do throws(Errno) {
                try Syscalls.allocate(fd, offset: 0, length: Int64(plan.size))
            } catch {
                if error == .noSpace { throw error }
                // A file system without fallocate: pages are allocated as they are written.
            }
            try Syscalls.write(fd, plan.header, at: 0)
            try Syscalls.write(fd, plan.claimTableHeader, at: ClaimTableLayout.offset)
            try Syscalls.write(fd, plan.description, at: plan.size - plan.description.count)
            if let named {
                try Syscalls.hardLink(named, to: path)
            } else {
                try Syscalls.link(unnamed: fd, to: path)
            }
        } catch {
            try? fd.close()
            let message = error == .fileExists ? "a file is already at the draft's path (seal or remove it first)"
                : "cannot create the draft"
            throw ColFileError(.io, path: path, message: message, errno: error)
        }
        return try attach(fd, path: path)
    }
}
