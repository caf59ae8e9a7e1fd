import Synchronization

/// The streamed scalar fixed-width columns of a writer that knows its column count up front (an
/// import of a wide table), held as a table: each column's state in one flat buffer indexed by
/// column, and the values of the small columns in one shared pool, rather than a ``StreamCore``, a
/// ``SpillFile`` and its staging buffer per column.
///
/// A column's values go to a chain of *segments* in the pool (a segment: the offset of the next
/// one, its length and capacity, then its bytes), allocated by bumping one atomic counter. A
/// column that outgrows ``SpillFile/stagingCapacity``, or appends when the pool is used up,
/// moves its bytes to a spill of the writer's ``ScratchArena`` and appends there from then on,
/// as a streamed column does: memory stays bounded by ``poolCapacity`` plus the arena's budget.
/// A column's validity is only counted until its first null, as ``BitSpill`` does (which it then
/// holds).
///
/// Columns are added on the writer's thread before values are appended; appends to different
/// columns may come from different threads at once (`colfile import --threads`), each column
/// from one thread at a time: a column's append touches its own state and segments only, and
/// the pool's counter is atomic.
///
/// `@safe`: the states are allocated for ``capacity`` columns in `init` and freed in `deinit`,
/// the placed buffers for as many when the first are set and freed in `deinit`; the pool is
/// allocated in `init` and freed in `deinit`; every access checks its column index
/// and every segment lies within the pool (the audited scopes below).
@safe @usableFromInline
final class ColumnTable: @unchecked Sendable {
    /// The most bytes the pool holds (its pages are only touched as segments are used).
    static let poolCapacity = ScratchArena.stagedBudget
    /// A segment's header: the next segment's offset (−1 for none), then its length and capacity.
    private static let headerLength = 16
    /// The bytes of states populated at a time as columns are added (``Prefault/ahead(base:capacity:from:to:chunk:)``):
    /// a table of fewer than some 1,500 columns populates none.
    private static let statesPrefaultChunk = Prefault.minimumBytes

    /// One column's state. Its declaration is kept as the three fields a table column has (no
    /// shape, metadata or dictionary: ``add(_:)``), small fields first, so the state takes fewer
    /// bytes: a wide import touches one per column (50,000 of them).
    private struct State {
        let name: String
        let logicalType: LogicalType
        let physicalType: PhysicalType
        var isComplete = false
        var codec = Codec.none
        var rows = 0
        var nulls = 0
        /// The bytes appended to the pool's segments (until ``spill`` takes them).
        var pooled = 0
        /// The first and last of its segments, −1 for none.
        var head = -1
        var tail = -1
        /// Its validity, from the first null (counted only until then); boxed, so a column
        /// without nulls (most of a wide import's) keeps 8 bytes for it, not a ``BitSpill``'s ~60.
        var validity: ValidityBox?
        /// Its values once they outgrew the pool.
        var spill: SpillFile?

        init(name: String, logicalType: LogicalType, physicalType: PhysicalType) {
            self.name = name
            self.logicalType = logicalType
            self.physicalType = physicalType
        }

        /// The column's declaration (scalar, without metadata).
        var declaration: ColumnDeclaration {
            ColumnDeclaration(name: name, physicalType: physicalType, logicalType: logicalType, shape: [], metadata: [:])
        }
    }

    /// Where a completed column's validity and values lie in the file.
    private struct PlacedBuffers {
        var validity: BufferDescriptor
        var values: BufferDescriptor
    }

    private let states: UnsafeMutableBufferPointer<State>
    /// Once complete, where each column's validity and values lie in the file (with its
    /// ``State/codec``, what its directory record says: ``finishedColumn(_:)``); allocated for
    /// ``capacity`` columns when the first column's buffers are set. Not in ``State``: the
    /// states are fresh memory written as the columns are added, and these fields (64 of 168
    /// bytes a column, 3.2 MB at 50,000 columns) only the finish writes, when it may reuse
    /// memory the import freed.
    private var buffers: UnsafeMutableBufferPointer<PlacedBuffers>?
    private(set) var count = 0
    private let pool: UnsafeMutableRawPointer
    private let poolUsed = Atomic<Int>(0)
    /// The scratch file of spills.
    let arena: ScratchArena
    /// The writer, which holds the table until it completes its columns (unowned, as a
    /// ``StreamCore`` holds it: a weak reference would send its retains down the slow path).
    unowned let writer: ColFileWriter

    /// A table of `writer` with room for `capacity` columns, spilling into `arena`.
    init(capacity: Int, arena: ScratchArena, writer: ColFileWriter) {
        self.writer = writer
        unsafe states = .allocate(capacity: capacity)
        unsafe pool = .allocate(byteCount: Self.poolCapacity, alignment: 16)
        self.arena = arena
    }

    deinit {
        unsafe states.baseAddress!.deinitialize(count: count)
        unsafe states.deallocate()
        unsafe buffers?.deallocate()
        unsafe pool.deallocate()
    }

    /// The columns the table has room for.
    var capacity: Int { unsafe states.count }

    /// The physical type of `column`.
    func physicalType(of column: Int) -> PhysicalType {
        precondition(column >= 0 && column < count, "column out of range")
        return unsafe states[column].physicalType
    }

    /// Adds a scalar column of a fixed-width `physicalType`, without metadata; returns its index.
    ///
    /// - Precondition: there is room (``count`` < ``capacity``), and `physicalType` is fixed-width.
    func add(name: String, physicalType: PhysicalType, logicalType: LogicalType) -> Int {
        precondition(count < capacity, "a column table is full")
        precondition(physicalType.elementSize != nil, "a table column is fixed-width")
        unsafe (states.baseAddress! + count).initialize(
            to: State(name: name, logicalType: logicalType, physicalType: physicalType))
        // The states are fresh memory filled in order: populated ahead in chunks (``Prefault``).
        let stride = MemoryLayout<State>.stride
        unsafe Prefault.ahead(base: UnsafeMutableRawPointer(states.baseAddress!), capacity: capacity * stride,
                              from: count * stride, to: (count + 1) * stride, chunk: Self.statesPrefaultChunk)
        count += 1
        return count - 1
    }

    /// Records `rows` rows of `column`, valid or null.
    ///
    /// Audited unsafe scope: `column` is checked; one thread at a time changes a column's state.
    @usableFromInline func appendRows(_ rows: Int, valid: Bool, column: Int) throws {
        precondition(column >= 0 && column < count, "column out of range")
        try withState(column) { state in
            precondition(!state.isComplete, "append to a finished column stream")
            if !valid, state.validity == nil {
                var validity = BitSpill(arena: arena)
                try validity.append(true, count: state.rows)
                state.validity = ValidityBox(validity)
            }
            try state.validity?.bits.append(valid, count: rows)
            state.rows += rows
            if !valid { state.nulls += rows }
        }
    }

    /// Appends value bytes to `column`.
    ///
    /// Audited unsafe scope: `column` is checked; the segment written was allocated within the
    /// pool with room for the bytes copied into it (``allocateSegment(_:)``).
    @usableFromInline func appendValueBytes(_ bytes: UnsafeRawBufferPointer, column: Int) throws {
        precondition(column >= 0 && column < count, "column out of range")
        try withState(column) { state in
            precondition(!state.isComplete, "append to a finished column stream")
            if let spill = state.spill { return try unsafe spill.append(bytes) }
            var rest = unsafe bytes
            if state.tail >= 0 {
                let (length, capacity) = lengthAndCapacity(state.tail)
                let room = min(capacity - length, rest.count)
                if room > 0 {
                    unsafe (pool + state.tail + Self.headerLength + length).copyMemory(from: rest.baseAddress!, byteCount: room)
                    setLength(length + room, of: state.tail)
                    state.pooled += room
                    unsafe rest = UnsafeRawBufferPointer(rebasing: rest[room...])
                }
            }
            guard unsafe !rest.isEmpty else { return }
            // A run of values takes a segment of its size (a block's values: one segment each);
            // a column appended a value at a time takes segments doubling in size.
            let wanted = max(rest.count, min(state.pooled, SpillFile.stagingCapacity))
            guard state.pooled + rest.count <= SpillFile.stagingCapacity, let segment = allocateSegment(wanted) else {
                let spill = try moveToSpill(&state)
                return try unsafe spill.append(rest)
            }
            unsafe (pool + segment + Self.headerLength).copyMemory(from: rest.baseAddress!, byteCount: rest.count)
            setLength(rest.count, of: segment)
            if state.tail >= 0 {
                unsafe (pool + state.tail).storeBytes(of: segment, as: Int.self)
            } else {
                state.head = segment
            }
            state.tail = segment
            state.pooled += rest.count
        }
    }

    /// What ``complete(_:)`` hands the writer.
    struct Completed {
        let name: String
        let rows: Int
        let nulls: Int
        /// The validity spill of a column with nulls, flushed.
        let validity: SpillFile?
        /// The values, when they outgrew the pool (else they are in its segments: ``forEachSegment(_:_:)``).
        let spill: SpillFile?
        /// The values' length.
        let length: Int
    }

    /// Ends appends to `column` and returns its name, counts and spills; nil when it was
    /// completed before. The writer then places its buffers and notes where
    /// (``setBuffers(_:validity:values:codec:)``).
    ///
    /// Audited unsafe scope: `column` is checked.
    func complete(_ column: Int) throws -> Completed? {
        precondition(column >= 0 && column < count, "column out of range")
        return try withState(column) { state in
            guard !state.isComplete else { return nil }
            state.isComplete = true
            var validity: SpillFile?
            if state.nulls > 0, let box = state.validity {
                try box.bits.flush()
                validity = box.bits.spill
            }
            state.validity = nil
            return Completed(name: state.name, rows: state.rows, nulls: state.nulls, validity: validity,
                             spill: state.spill, length: state.spill?.length ?? state.pooled)
        }
    }

    /// Notes where a completed column's buffers lie in the file, for its directory record.
    ///
    /// Audited unsafe scope: `column` is checked, and the placed buffers hold ``capacity``
    /// entries, all initialized when made; the finish sets them on the writer's thread alone.
    func setBuffers(_ column: Int, validity: BufferDescriptor, values: BufferDescriptor, codec: Codec) {
        precondition(column >= 0 && column < count, "column out of range")
        withState(column) { state in
            precondition(state.isComplete, "buffers set for a column not complete")
            state.codec = codec
        }
        let buffers = unsafe self.buffers ?? {
            let made = UnsafeMutableBufferPointer<PlacedBuffers>.allocate(capacity: capacity)
            unsafe made.initialize(repeating: PlacedBuffers(validity: .absent, values: .absent))
            unsafe self.buffers = made
            return unsafe made
        }()
        unsafe buffers[column] = PlacedBuffers(validity: validity, values: values)
    }

    /// What the directory record of completed column `column` says (its buffers set).
    ///
    /// Audited unsafe scope: `column` is checked, below ``count`` and so ``capacity``, the
    /// placed buffers' entries.
    func finishedColumn(_ column: Int) -> FinishedColumn {
        precondition(column >= 0 && column < count, "column out of range")
        // Field by field from the state in place (no copy of the whole state).
        let state = unsafe states.baseAddress! + column
        precondition(unsafe state.pointee.isComplete, "a column not complete read as finished")
        return unsafe FinishedColumn(
            declaration: state.pointee.declaration, rowCount: UInt64(state.pointee.rows),
            nullCount: UInt64(state.pointee.nulls), physicalType: state.pointee.physicalType,
            buffers: buffers.map { unsafe ColumnBuffers(validity: $0[column].validity, offsets: .absent,
                                                        values: $0[column].values) } ?? .absent,
            codec: state.pointee.codec, dictionary: nil)
    }

    /// The bytes `column`'s entries take in the directory's heap (``DirectoryEncoder/heapLength(of:)``).
    ///
    /// Audited unsafe scope: `column` is checked.
    func heapLength(of column: Int) -> Int {
        precondition(column >= 0 && column < count, "column out of range")
        let state = unsafe states.baseAddress! + column
        return unsafe DirectoryEncoder.heapLength(name: state.pointee.name, logicalType: state.pointee.logicalType)
    }

    /// The first format minor version that has every feature of columns `run` (their codecs, §3).
    ///
    /// Audited unsafe scope: `run` is checked.
    func minorVersion(of run: Range<Int>) -> UInt16 {
        precondition(run.lowerBound >= 0 && run.upperBound <= count, "columns out of range")
        var version: UInt16 = 0
        for column in run { version = max(version, unsafe states[column].codec.minorVersion) }
        return version
    }

    /// Calls `body` with each segment of `column`'s pooled values, in order.
    ///
    /// Audited unsafe scope: `column` is checked; each segment lies within the pool, its length
    /// within its capacity.
    func forEachSegment(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        precondition(column >= 0 && column < count, "column out of range")
        var segment = unsafe states[column].head
        while segment >= 0 {
            let (length, _) = lengthAndCapacity(segment)
            try unsafe body(UnsafeRawBufferPointer(start: pool + segment + Self.headerLength, count: length))
            segment = unsafe (pool + segment).load(as: Int.self)
        }
    }

    /// The first `limit` bytes of `column`'s values (for a compression sample), or all of them.
    func prefix(_ column: Int, limit: Int = .max) throws -> [UInt8] {
        precondition(column >= 0 && column < count, "column out of range")
        if let spill = unsafe states[column].spill {
            var bytes = [UInt8](repeating: 0, count: min(spill.length, limit))
            var filled = 0
            while filled < bytes.count {
                let read = try unsafe bytes.withUnsafeMutableBytes {
                    try unsafe spill.read(at: filled, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
                }
                guard read > 0 else {
                    throw ColFileError(.io, path: arena.path, message: "a scratch file was shorter than written")
                }
                filled += read
            }
            return bytes
        }
        var bytes: [UInt8] = []
        unsafe forEachSegment(column) { segment in
            let wanted = min(segment.count, limit - bytes.count)
            if wanted > 0 { unsafe bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: segment[..<wanted])) }
        }
        return bytes
    }

    // MARK: - Audited internals

    private func withState<Result>(_ column: Int, _ body: (inout State) throws -> Result) rethrows -> Result {
        try unsafe body(&states[column])
    }

    /// Moves the pooled bytes of a column into a new spill, which takes its appends from then on.
    private func moveToSpill(_ state: inout State) throws -> SpillFile {
        let spill = SpillFile(arena: arena)
        var segment = state.head
        while segment >= 0 {
            let (length, _) = lengthAndCapacity(segment)
            try unsafe spill.append(UnsafeRawBufferPointer(start: pool + segment + Self.headerLength, count: length))
            segment = unsafe (pool + segment).load(as: Int.self)
        }
        state.spill = spill
        state.head = -1
        state.tail = -1
        return spill
    }

    /// A new empty segment with room for `capacity` bytes (rounded up to 8), or nil when the pool is used up.
    private func allocateSegment(_ capacity: Int) -> Int? {
        let rounded = (capacity + 7) & ~7
        let size = Self.headerLength + rounded
        let start = poolUsed.add(size, ordering: .relaxed).oldValue
        // The pool's pages are fresh and handed out in order: populated a chunk ahead, past the
        // first (``Prefault``). Segments do not overlap, so neither do the threads' chunks.
        unsafe Prefault.ahead(base: pool, capacity: Self.poolCapacity, from: start, to: start + size)
        guard start + size <= Self.poolCapacity else { return nil }
        unsafe (pool + start).storeBytes(of: -1, as: Int.self)
        unsafe (pool + start + 8).storeBytes(of: UInt32(0), as: UInt32.self)
        unsafe (pool + start + 12).storeBytes(of: UInt32(rounded), as: UInt32.self)
        return start
    }

    private func lengthAndCapacity(_ segment: Int) -> (Int, Int) {
        (Int(unsafe (pool + segment + 8).load(as: UInt32.self)), Int(unsafe (pool + segment + 12).load(as: UInt32.self)))
    }

    private func setLength(_ length: Int, of segment: Int) {
        unsafe (pool + segment + 8).storeBytes(of: UInt32(length), as: UInt32.self)
    }
}

/// A column's validity bits in a ``ColumnTable`` (from its first null): one thread at a time
/// appends to a column, so to its box.
final class ValidityBox {
    var bits: BitSpill

    init(_ bits: BitSpill) {
        self.bits = bits
    }
}
