/// One buffer of a streamed column until the column is complete: bytes staged in memory, and
/// the pieces written out: full stagings *held* in memory while the arena's
/// ``ScratchArena/heldBudget`` allows, else extents of the writer's ``ScratchArena``. Reads and
/// the final copy see all of them, so nothing needs flushing.
///
/// A held piece goes from memory into the file once (the final copy); an extent goes into the
/// scratch file's page cache while the column is written, then is copied again from there into
/// the file, on the thread that finishes the file. A file of up to ``ScratchArena/heldBudget``
/// bytes of spills (a 600,000-row CSV of 7 columns: 31 MB) so never touches the scratch file.
final class SpillFile {
    /// The most bytes one spill stages before it writes them out as one extent (the arena's budget
    /// may make it write out sooner). A spill is used by one thread at a time; spills of one
    /// arena may be used by different threads at once.
    static let stagingCapacity = 256 << 10

    /// The scratch file holding this spill's bytes.
    let arena: ScratchArena
    /// A run of the bytes written out.
    private enum Piece {
        /// Bytes in the arena's file: offset and length.
        case extent(offset: Int, length: Int)
        /// Bytes held in memory (counted in the arena's held bytes until the spill goes).
        case held([UInt8])

        var length: Int {
            switch self {
            case .extent(_, let length): length
            case .held(let bytes): bytes.count
            }
        }
    }

    /// The bytes written out, in order.
    private var pieces: [Piece] = []
    /// Where each piece starts among the bytes appended, for a binary search.
    private var pieceStarts: [Int] = []
    /// The bytes of the held pieces, given back to the arena's held budget in `deinit`.
    private var heldBytes = 0
    private var written = 0
    private var staging: [UInt8] = []
    private var runningChecksum: UInt32 = 0

    /// A spill in `arena`.
    init(arena: ScratchArena) {
        self.arena = arena
    }

    deinit {
        if heldBytes > 0 { arena.releaseHeld(heldBytes) }
    }

    /// Bytes appended so far.
    var length: Int { written + staging.count }

    /// CRC-32 of everything appended.
    var checksum: UInt32 {
        unsafe staging.withUnsafeBytes { unsafe CRC32.checksum($0, continuing: runningChecksum) }
    }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        unsafe staging.append(contentsOf: bytes)
        let overBudget = arena.staged(bytes.count)
        if overBudget || staging.count >= Self.stagingCapacity { try writeOutStaged() }
    }

    /// Appends `count` bytes that `fill` writes into the staging buffer (all of them: the buffer
    /// it is given is exactly `count` bytes, uninitialized), as ``append(_:)`` of those bytes
    /// would, without a caller's array to gather them in first: a string column's values
    /// gathered field by field into an array were a growth of that array now and then and an
    /// `append(contentsOf:)` per field, about 7 % of the instructions of an import of the
    /// trades CSV.
    ///
    /// The staging buffer grows by doubling at least, so that appends of a few bytes each do not
    /// reallocate it each time.
    func append(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws {
        let needed = staging.count + count
        if needed > staging.capacity { staging.reserveCapacity(Swift.max(needed, 2 * staging.capacity)) }
        staging.append(addingCapacity: count) { span in
            unsafe span.withUnsafeMutableBufferPointer { buffer, initialized in
                let bytes = unsafe UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[initialized..<(initialized + count)]))
                unsafe fill(bytes)
                initialized += count
            }
        }
        let overBudget = arena.staged(count)
        if overBudget || staging.count >= Self.stagingCapacity { try writeOutStaged() }
    }

    /// Writes the staged bytes out: a full staging is held as it is while the arena's held budget
    /// allows (``ScratchArena/hold(_:)``), else (and a part staging, written out for the staged
    /// budget) it goes to the arena as one extent.
    func writeOutStaged() throws {
        guard !staging.isEmpty else { return }
        let count = staging.count
        unsafe staging.withUnsafeBytes { runningChecksum = unsafe CRC32.checksum($0, continuing: runningChecksum) }
        if count >= Self.stagingCapacity, arena.hold(count) {
            var held: [UInt8] = []
            swap(&held, &staging)
            pieces.append(.held(held))
            pieceStarts.append(written)
            heldBytes += count
            written += count
            arena.staged(-count)
            return
        }
        let offset = try unsafe staging.withUnsafeBytes { try unsafe arena.appendExtent($0) }
        if case .extent(let lastOffset, let lastLength)? = pieces.last, lastOffset + lastLength == offset {
            pieces[pieces.count - 1] = .extent(offset: lastOffset, length: lastLength + count)
        } else {
            pieces.append(.extent(offset: offset, length: count))
            pieceStarts.append(written)
        }
        written += count
        staging.removeAll(keepingCapacity: count < Self.stagingCapacity)
        arena.staged(-count)
    }

    /// Reads up to `buffer.count` bytes at `offset` (of the bytes appended) into `buffer`; returns
    /// the count read (short at an extent's end or the end of the spill).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < written else {
            let start = offset - written
            let count = max(0, min(buffer.count, staging.count - start))
            guard count > 0 else { return 0 }
            unsafe staging.withUnsafeBytes { unsafe buffer.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: count) }
            return count
        }
        // The last piece that starts at or before `offset`.
        var low = 0
        var high = pieceStarts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if pieceStarts[middle] <= offset { low = middle } else { high = middle }
        }
        let within = offset - pieceStarts[low]
        let count = min(buffer.count, pieces[low].length - within)
        switch pieces[low] {
        case .extent(let start, _):
            return try unsafe arena.read(at: start + within, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]))
        case .held(let bytes):
            unsafe bytes.withUnsafeBytes {
                unsafe buffer.baseAddress!.copyMemory(from: $0.baseAddress! + within, byteCount: count)
            }
            return count
        }
    }

    /// Appends every byte of this spill to `output`: its extents copied inside the kernel, its
    /// held pieces written from memory, then what is still staged (for a short column,
    /// everything: no scratch write at all).
    func copy(into output: OutputFile) throws {
        for piece in pieces {
            switch piece {
            case .extent(let offset, let length): try output.appendCopy(of: arena.fd, at: offset, length: length)
            case .held(let bytes): try unsafe bytes.withUnsafeBytes { try unsafe output.appendPiece($0) }
            }
        }
        try unsafe staging.withUnsafeBytes { try unsafe output.append($0) }
    }
}
