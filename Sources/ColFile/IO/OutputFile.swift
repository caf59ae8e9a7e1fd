import SystemPackage

/// Appends to a file being written, in large writes: small pieces are gathered in a staging
/// buffer (``stagingCapacity`` bytes for the file being published, less for scratch files),
/// large ones go straight from the caller's memory.
///
/// Keeps track of the CRC-32 of the bytes appended since the last ``beginChecksum()``, so each
/// buffer's checksum costs no second pass over its bytes.
///
/// `@safe`: the staging buffer is allocated once, at ``capacity`` bytes, on the first staged
/// append, and freed in `deinit`; every copy into it first checks that it fits (the audited
/// scopes below), and only its first ``stagedCount`` bytes are read.
@safe
final class OutputFile {
    /// Writes are at least this large, except the last: large writes keep large page-cache folios,
    /// which later readers fault in faster (BENCHMARKS.md).
    static let stagingCapacity = 4 << 20

    private let fd: FileDescriptor
    private let path: String
    /// The most bytes staged before a write.
    private let capacity: Int
    /// Whether a large buffer's pieces are handed to the disk as they are written (a file that
    /// will be flushed with `fsync`).
    private let startsWriteback: Bool
    /// A write failure to inject (tests).
    private let fault: InjectedFault?
    /// The staging buffer (``capacity`` bytes) once something was staged: raw memory, so the
    /// small appends of a wide table (a padding and a few values per column, 50,000 columns)
    /// are plain copies, with no check of an array's uniqueness and capacity each.
    private var staging: UnsafeMutableRawPointer?
    /// The bytes staged.
    private var stagedCount = 0
    /// The most bytes ever staged at once: the staging buffer's pages written so far (fresh
    /// memory past them, populated a chunk at a time as staging reaches it: ``Prefault``).
    private var stagedHighWater = 0
    private var stagingStart: UInt64 = 0
    /// Where the next ``startStagedWriteback()`` starts: the end of the whole pages handed to the
    /// disk so far.
    private var stagedWritebackStart: UInt64
    private var runningChecksum: UInt32 = 0
    /// Staged bytes before this index are already in `runningChecksum` (or are not checksummed).
    private var checksummedUpTo = 0
    /// Whether a checksum is running (from ``beginChecksum()`` to ``finishChecksum()``): bytes
    /// appended outside one (a spilled buffer whose checksum its spill kept, the directory) are
    /// not checksummed a second time for nothing.
    private var isChecksumming = false

    /// The logical end of the file: everything appended, staged or written.
    var position: UInt64 { stagingStart + UInt64(stagedCount) }

    /// Ends the running checksum and returns the CRC-32 of the bytes appended since
    /// ``beginChecksum()``, padding excluded.
    func finishChecksum() -> UInt32 {
        foldStagedIntoChecksum()
        isChecksumming = false
        return runningChecksum
    }

    /// Appends to `fd`, starting at `position`, staging up to `capacity` bytes; `path` names the
    /// file in errors. With `startsWriteback`, the file is to be flushed to disk when complete:
    /// a large buffer's pieces then start going to the disk while the next ones are copied.
    init(fd: FileDescriptor, path: String, position: UInt64 = 0, capacity: Int = OutputFile.stagingCapacity,
         startsWriteback: Bool = false, fault: InjectedFault? = nil) {
        self.fd = fd
        self.path = path
        self.capacity = capacity
        self.startsWriteback = startsWriteback
        self.fault = fault
        self.stagingStart = position
        stagedWritebackStart = position & ~UInt64(Machine.pageSize - 1)
        // No staging buffer yet: it is allocated on the first staged append, so a writer whose
        // columns go out straight from the caller's memory (large buffers) never allocates the
        // 4 MiB (a fresh `mmap` of zeroed pages for every writer, BENCHMARKS.md); its pages are
        // touched only as far as bytes are staged.
    }

    deinit {
        unsafe staging?.deallocate()
    }

    /// The staging buffer, allocated on first use.
    private func stagingBuffer() -> UnsafeMutableRawPointer {
        if let staging = unsafe staging { return unsafe staging }
        let made = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        unsafe staging = made
        return unsafe made
    }

    /// Copies `bytes` after the staged bytes.
    ///
    /// Audited unsafe scope: the caller checked that they fit (`stagedCount + bytes.count <= capacity`).
    private func stage(_ bytes: UnsafeRawBufferPointer) {
        precondition(stagedCount + bytes.count <= capacity, "staged past the staging buffer")
        guard let source = bytes.baseAddress else { return }
        unsafe (stagingBuffer(through: stagedCount + bytes.count) + stagedCount).copyMemory(from: source, byteCount: bytes.count)
        stagedCount += bytes.count
    }

    /// The staging buffer, about to be written up to byte `end`: its fresh pages are populated a
    /// chunk at a time as staging first reaches them (``Prefault/ahead(base:capacity:from:to:chunk:)``).
    private func stagingBuffer(through end: Int) -> UnsafeMutableRawPointer {
        let buffer = unsafe stagingBuffer()
        if end > stagedHighWater {
            unsafe Prefault.ahead(base: buffer, capacity: capacity, from: stagedHighWater, to: end)
            stagedHighWater = end
        }
        return unsafe buffer
    }

    /// The staged bytes from `start` on.
    ///
    /// Audited unsafe scope: `start` is within the staged bytes; the pointer is used before the
    /// next staged append or flush.
    private func staged(from start: Int = 0) -> UnsafeRawBufferPointer {
        precondition(start >= 0 && start <= stagedCount, "staged bytes out of range")
        guard let staging = unsafe staging else { return unsafe UnsafeRawBufferPointer(start: nil, count: 0) }
        return unsafe UnsafeRawBufferPointer(start: staging + start, count: stagedCount - start)
    }

    /// Starts a new running checksum.
    func beginChecksum() {
        checksummedUpTo = stagedCount
        runningChecksum = 0
        isChecksumming = true
    }

    /// Appends `bytes`, adding them to the running checksum if one runs. Small appends only copy
    /// into the staging buffer; the checksum is computed once per staged block.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if stagedCount + bytes.count <= capacity {
            unsafe stage(bytes)
            return
        }
        try flush()
        if bytes.count >= capacity {
            reserve(bytes.count)
            if isChecksumming { unsafe runningChecksum = CRC32.checksum(bytes, continuing: runningChecksum) }
            try unsafe writeOut(bytes, at: stagingStart)
            stagingStart += UInt64(bytes.count)
        } else {
            unsafe stage(bytes)
        }
    }

    /// Appends `bytes` and returns their CRC-32 (a buffer of the file, Specification.md §2).
    ///
    /// A buffer of two ``OverlappedChecksum/piece``s or more gets its blocks allocated first
    /// (``reserve(_:)``) and goes out straight from the caller's memory while another thread
    /// computes its checksum: in ``writePiece``s, or, when the file is to be flushed to disk, in
    /// ``writebackPiece``s each handed to the disk once written (`sync_file_range`), so the disk
    /// works while the rest is copied and the `fsync` has less left to wait for. Smaller buffers
    /// are staged.
    func appendBuffer(_ bytes: UnsafeRawBufferPointer) throws -> UInt32 {
        guard bytes.count >= 2 * OverlappedChecksum.piece else {
            if bytes.count >= capacity { reserve(bytes.count) }
            beginChecksum()
            try unsafe append(bytes)
            return finishChecksum()
        }
        try flush()
        reserve(bytes.count)
        let checksum = unsafe OverlappedChecksum(bytes)
        let written = Result { try unsafe writeOutLarge(bytes) }
        let crc = checksum.finish()
        try written.get()
        stagingStart += UInt64(bytes.count)
        return crc
    }

    /// Appends a buffer whose bytes `pieces` hands over in order (it calls its argument with
    /// each), first padded with zeros to a multiple of `alignment`; returns where the buffer
    /// starts and its CRC-32 (a column of a ``ColumnTable``: the pieces are its segments).
    func appendBuffer(alignment: Int, pieces: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws
        -> (offset: UInt64, checksum: UInt32) {
        assert(!isChecksumming, "a buffer appended inside a running checksum")
        try pad(toMultipleOf: alignment)
        let offset = position
        var checksum: UInt32 = 0
        try unsafe pieces { bytes in
            unsafe checksum = CRC32.checksum(bytes, continuing: checksum)
            try unsafe append(bytes)
        }
        return (offset, checksum)
    }

    /// The writes of a large buffer: in `Tools/bench/write-phases.c`, 8 MiB writes beside the
    /// checksumming thread took less time than one write of the whole buffer (BENCHMARKS.md).
    static let writePiece = 8 << 20
    /// The pieces in which a large buffer of a file to be flushed goes to the disk.
    static let writebackPiece = 32 << 20

    /// Writes a large buffer at the end of the file (``appendBuffer(_:)``).
    private func writeOutLarge(_ bytes: UnsafeRawBufferPointer) throws {
        let piece = startsWriteback ? Self.writebackPiece : Self.writePiece
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            let offset = stagingStart + UInt64(start)
            try unsafe writeOut(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), at: offset)
            if startsWriteback {
                // Failures are ignored: the fsync that follows reports any real one.
                try? Syscalls.startWriteback(fd, offset: Int64(offset), length: Int64(end - start))
            }
            start = end
        }
    }

    /// Allocates the file's blocks for the next `length` bytes before they are appended
    /// (`fallocate`, keeping the size). ext4 then copies them into allocated blocks instead of
    /// reserving a delayed allocation page by page: 1.6 GB went into the page cache in 0.37–0.39 s
    /// instead of 0.51–0.55 s in the good runs of BENCHMARKS.md's "Writing" experiment. Failures
    /// are ignored: the writes that follow report any real one.
    func reserve(_ length: Int) {
        try? Syscalls.allocate(fd, offset: Int64(position), length: Int64(length))
    }

    /// Appends `bytes`, adding them to the running checksum if one runs.
    func append(_ bytes: [UInt8]) throws {
        try unsafe bytes.withUnsafeBytes { try unsafe append($0) }
    }

    private func foldStagedIntoChecksum() {
        guard checksummedUpTo < stagedCount else { return }
        guard isChecksumming else {
            checksummedUpTo = stagedCount
            return
        }
        unsafe runningChecksum = CRC32.checksum(staged(from: checksummedUpTo), continuing: runningChecksum)
        checksummedUpTo = stagedCount
    }

    /// Appends zero bytes (not checksummed) until the position is a multiple of `alignment`.
    func pad(toMultipleOf alignment: Int) throws {
        let remainder = Int(position % UInt64(alignment))
        guard remainder != 0 else { return }
        let padding = alignment - remainder
        if stagedCount + padding > capacity { try flush() }
        foldStagedIntoChecksum()
        precondition(stagedCount + padding <= capacity, "an alignment larger than the staging buffer")
        unsafe (stagingBuffer(through: stagedCount + padding) + stagedCount).initializeMemory(as: UInt8.self, repeating: 0,
                                                                                          count: padding)
        stagedCount += padding
        checksummedUpTo = stagedCount
    }

    /// Appends `length` bytes of `source` from `sourceOffset` (a spill's extent), read into the
    /// staging buffer a buffer's worth at a time and written from there: an import's finish
    /// took 4 % less CPU than with `sendfile`, whose page-sized writes into the file cost more
    /// than the extra copy (trades CSV, 21 pairs, BENCHMARKS.md).
    ///
    /// Audited unsafe scope: every read and write stays within the staging buffer's
    /// `capacity` bytes, all staged bytes written out first.
    func appendCopy(of source: FileDescriptor, at sourceOffset: Int, length: Int) throws {
        try flush()
        do {
            try InjectedFault.checkWrite(fault, offset: stagingStart, count: length)
            let buffer = unsafe stagingBuffer(through: min(capacity, length))
            var copied = 0
            while copied < length {
                let piece = unsafe UnsafeMutableRawBufferPointer(start: buffer, count: min(capacity, length - copied))
                let count = try unsafe source.read(fromAbsoluteOffset: Int64(sourceOffset + copied), into: piece,
                                                   retryOnInterrupt: true)
                guard count > 0 else { throw Errno.ioError }
                _ = try unsafe fd.writeAll(toAbsoluteOffset: Int64(stagingStart) + Int64(copied),
                                           UnsafeRawBufferPointer(rebasing: piece[..<count]))
                copied += count
            }
            if startsWriteback {
                // The disk starts on this buffer while the next ones are copied. Failures are
                // ignored: the fsync that follows reports any real one.
                try? Syscalls.startWriteback(fd, offset: Int64(stagingStart), length: Int64(length))
            }
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot copy a spilled buffer into the file", errno: errno)
        }
        stagingStart += UInt64(length)
    }

    /// Writes everything staged.
    func flush() throws {
        guard stagedCount > 0 else { return }
        foldStagedIntoChecksum()
        try unsafe writeOut(staged(), at: stagingStart)
        stagingStart += UInt64(stagedCount)
        stagedCount = 0
        checksummedUpTo = 0
        if startsWriteback { startStagedWriteback() }
    }

    /// The least a staged flush hands to the disk at once (``startStagedWriteback()``): fewer,
    /// larger writes, as a flush before each large buffer may write a few bytes.
    static let stagedWritebackMinimum = 1 << 20

    /// Hands the whole pages that staged flushes wrote since the last call to the disk
    /// (`sync_file_range`) once they reach ``stagedWritebackMinimum``, as ``writeOutLarge(_:)``
    /// does for a large buffer: a file written through staging (a wide import's table columns
    /// and directory, some 25 MB at 50,000 columns) otherwise leaves all of it to the `fsync`.
    /// A page partly written is left for later, so the disk never takes a page that is still
    /// being written. Failures are ignored: the fsync that follows reports any real one.
    private func startStagedWriteback() {
        let pagesEnd = stagingStart & ~UInt64(Machine.pageSize - 1)
        let start = stagedWritebackStart
        guard pagesEnd >= start + UInt64(Self.stagedWritebackMinimum) else { return }
        try? Syscalls.startWriteback(fd, offset: Int64(start), length: Int64(pagesEnd - start))
        stagedWritebackStart = pagesEnd
    }

    /// Writes `bytes` at `offset`, outside the append stream (for the header, written last).
    func overwrite(_ bytes: [UInt8], at offset: UInt64) throws {
        try flush()
        try unsafe bytes.withUnsafeBytes { try unsafe writeOut($0, at: offset) }
    }

    private func writeOut(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
        do {
            try InjectedFault.checkWrite(fault, offset: offset, count: bytes.count)
            _ = try unsafe fd.writeAll(toAbsoluteOffset: Int64(offset), bytes)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot write \(bytes.count) bytes at offset \(offset)",
                               errno: errno)
        }
    }
}
