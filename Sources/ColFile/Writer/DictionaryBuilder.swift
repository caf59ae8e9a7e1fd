/// The dictionary of a streamed String or Binary column, built as its values arrive
/// (``DictionaryPolicy``): the distinct values in order of first appearance, a hash table from a
/// value to its entry, and each row's index (−1 for a null row, Specification.md §6.4) spilled in
/// the narrowest index type of the entries so far (``indexType``), the spill rewritten wider
/// when the entries pass it (at most twice), so the column's end has no indices to narrow.
///
/// Memory is the distinct values, 8 bytes per entry, a table of 12 bytes per slot (at most half
/// full) and up to ``stagedRows`` indices; nothing is allocated per row. A bounded builder
/// (``DictionaryPolicy/automatic``) reserves what it holds from its writer's
/// ``ScratchArena/dictionaryBudget`` and gives up when the reservation is refused: the
/// dictionaries of all of a writer's columns stay within that budget.
final class DictionaryBuilder {
    /// The most entries, and the most bytes of values, before the builder gives up (nil: no
    /// bound but the format's, 2^31 − 1 entries, and no share of the arena's budget).
    let bounds: (entries: Int, bytes: Int)?
    /// The values, one after another.
    private(set) var values: [UInt8] = []
    /// Where each value ends in ``values``.
    private(set) var ends: [Int] = []
    /// The hash table: an entry's index + 1 per slot, 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: DictionaryBuilder.initialSlots)
    /// Each slot's short key (``Table/keys``).
    private var keys = [UInt64](repeating: 0, count: DictionaryBuilder.initialSlots)
    /// Each row's index (−1 for a null row), little-endian, of ``indexType``.
    private(set) var indices: SpillFile
    /// The type of the indices spilled: the narrowest that holds the entries at the last flush.
    private(set) var indexType = PhysicalType.int8
    private var staged: [Int32] = []
    /// The arena whose dictionary budget a bounded builder reserves from.
    private let scratch: ScratchArena
    /// The bytes reserved from the arena's dictionary budget.
    private var reserved = 0

    /// A builder whose indices spill into `scratch`. A bounded builder reserves its table from the
    /// arena's dictionary budget; nil when the budget refuses it.
    init?(bounds: (entries: Int, bytes: Int)?, scratch: ScratchArena) {
        self.bounds = bounds
        self.scratch = scratch
        indices = SpillFile(arena: scratch)
        guard reserve(Self.initialSlots * Self.bytesPerSlot) else { return nil }
    }

    deinit { scratch.releaseDictionary(reserved) }

    /// The hash table's first size.
    private static let initialSlots = 64
    /// The bytes of a slot of the hash table: an entry's index (4) and its short key (8).
    private static let bytesPerSlot = 12
    /// Rows staged before their indices are written.
    private static let stagedRows = 1 << 10

    /// The number of distinct values so far.
    var entryCount: Int { ends.count }

    /// Adds a row of value `bytes`.
    ///
    /// - Returns: false when the value would pass the builder's bounds or its share of the
    ///   arena's dictionary budget: it then holds nothing useful, and the caller drops it.
    /// - Throws: ``ColFileError/Code/invalidArgument`` past 2^31 − 1 distinct values (without
    ///   bounds); `io` errors.
    func add(_ bytes: UnsafeRawBufferPointer, context: ErrorContext) throws -> Bool {
        var end = bytes.count
        // A span of the one end, for the one pointer's lifetime.
        return try unsafe withUnsafePointer(to: &end) { endPointer in
            try unsafe add(contentsOf: bytes, ends: Span(_unsafeStart: endPointer, count: 1), context: context)
        }
    }

    /// Adds a row per element of `ends`, the values lying one after another in `bytes`: value `i`
    /// is `bytes` from `ends[i - 1]` (0 for the first) to `ends[i]` (the caller checked that the
    /// ends ascend to at most `bytes.count`).
    ///
    /// The table, values and staged indices are moved into local variables for the call, so
    /// no value pays Swift's dynamic exclusivity checks on the class's stored properties.
    ///
    /// - Returns: false, as ``add(_:context:)``, when a value would pass the builder's bounds.
    /// - Throws: as ``add(_:context:)``.
    func add(contentsOf bytes: UnsafeRawBufferPointer, ends: Span<Int>, context: ErrorContext) throws -> Bool {
        try unsafe add(count: ends.count, context: context) { index in
            unsafe UnsafeRawBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
        }
    }

    /// Adds a row per element of `ranges`, each the range of its value in `text` (the caller
    /// checked that they lie within it): values read in place, not gathered first.
    ///
    /// - Returns: false, as ``add(_:context:)``, when a value would pass the builder's bounds.
    /// - Throws: as ``add(_:context:)``.
    func add(fieldsOf text: UnsafeRawBufferPointer, ranges: [Range<Int>], context: ErrorContext) throws -> Bool {
        try unsafe add(count: ranges.count, context: context) { index in
            unsafe UnsafeRawBufferPointer(rebasing: text[ranges[index]])
        }
    }

    /// Adds `count` rows, row `index` of value `value(index)`, with the table, values and staged
    /// indices moved into local variables for the call, so no value pays Swift's dynamic
    /// exclusivity checks on the class's stored properties.
    @inline(__always)
    private func add(count: Int, context: ErrorContext, value: (Int) -> UnsafeRawBufferPointer) throws -> Bool {
        var table = Table()
        swap(&table.values, &values)
        swap(&table.ends, &self.ends)
        swap(&table.slots, &slots)
        swap(&table.keys, &keys)
        swap(&table.staged, &staged)
        defer {
            swap(&table.values, &values)
            swap(&table.ends, &self.ends)
            swap(&table.slots, &slots)
            swap(&table.keys, &keys)
            swap(&table.staged, &staged)
        }
        let seed = Self.seed
        for index in 0..<count {
            let value = unsafe value(index)
            let (found, slot) = unsafe table.find(value, seed: seed)
            let entry: Int32
            if let found {
                entry = found
            } else {
                guard try unsafe addEntry(value, at: slot, to: &table, seed: seed, context: context) else { return false }
                entry = Int32(table.ends.count - 1)
            }
            table.staged.append(entry.littleEndian)
            if table.staged.count == Self.stagedRows { try flush(&table.staged, entryCount: table.ends.count) }
        }
        return true
    }

    /// Adds `value`, which `table` does not hold, as a new entry at the empty `slot` its probe
    /// stopped at, doubling the table when it is half full.
    ///
    /// - Returns: false when the value would pass the builder's bounds or its budget.
    private func addEntry(_ value: UnsafeRawBufferPointer, at slot: Int, to table: inout Table, seed: UInt64,
                          context: ErrorContext) throws -> Bool {
        if let bounds, table.ends.count >= bounds.entries || table.values.count + value.count > bounds.bytes {
            return false
        }
        guard table.ends.count < Int(Int32.max) else {
            throw context.error(.invalidArgument, "a dictionary holds at most \(Int32.max) distinct values")
        }
        let grows = (table.ends.count + 1) * 2 > table.slots.count
        guard reserve(value.count + 8 + (grows ? table.slots.count * Self.bytesPerSlot : 0)) else { return false }
        unsafe table.values.append(contentsOf: value)
        table.ends.append(table.values.count)
        unsafe table.place(table.ends.count - 1, of: value, at: slot)
        if grows { table.grow(seed: seed) }
        return true
    }

    /// Adds `count` null rows (index −1).
    func addNulls(_ count: Int) throws {
        for _ in 0..<count {
            staged.append(Int32(-1).littleEndian)
            if staged.count == Self.stagedRows { try flush() }
        }
    }

    /// Reads the indices of `count` rows from row `row` into `into` (as Int32, little-endian).
    func readIndices(from row: Int, count: Int, into: inout [Int32]) throws {
        let width = indexType.elementSize!
        var bytes = [UInt8](repeating: 0, count: count * width)
        var filled = 0
        while filled < bytes.count {
            let read = try unsafe bytes.withUnsafeMutableBytes {
                try unsafe indices.read(at: row * width + filled, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            guard read > 0 else {
                throw ColFileError(.io, path: indices.arena.path, message: "a scratch file was shorter than written")
            }
            filled += read
        }
        unsafe bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let value: Int32 = switch width {
                case 1: Int32(unsafe raw.load(fromByteOffset: index, as: Int8.self))
                case 2: Int32(Int16(littleEndian: unsafe raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self)))
                default: Int32(littleEndian: unsafe raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
                }
                into[index] = value.littleEndian
            }
        }
    }

    /// Writes every staged index out.
    func flush() throws {
        try flush(&staged, entryCount: ends.count)
    }

    /// Writes the indices of `staged` out, in the narrowest index type of `entryCount` entries
    /// (the spill widened first when the entries passed its type), and empties it.
    private func flush(_ staged: inout [Int32], entryCount: Int) throws {
        let type = DictionaryEncoding.narrowestIndexType(forEntryCount: entryCount)!
        if type != indexType { try widenIndices(to: type) }
        switch type {
        case .int8:
            let narrow = staged.map { Int8(truncatingIfNeeded: Int32(littleEndian: $0)) }
            try unsafe narrow.withUnsafeBytes { try unsafe indices.append($0) }
        case .int16:
            let narrow = staged.map { Int16(truncatingIfNeeded: Int32(littleEndian: $0)).littleEndian }
            try unsafe narrow.withUnsafeBytes { try unsafe indices.append($0) }
        default:
            try unsafe staged.withUnsafeBytes { try unsafe indices.append($0) }
        }
        staged.removeAll(keepingCapacity: true)
    }

    /// Rewrites the indices spilled so far as indices of the wider `type`, in a new spill.
    private func widenIndices(to type: PhysicalType) throws {
        let narrowWidth = indexType.elementSize!
        let rows = indices.length / narrowWidth
        let wide = SpillFile(arena: scratch)
        let blockRows = 1 << 16
        var block = [Int32](repeating: 0, count: min(rows, blockRows))
        var row = 0
        while row < rows {
            let count = min(rows - row, blockRows)
            try readIndices(from: row, count: count, into: &block)
            if type == .int16 {
                let converted = block[..<count].map { Int16(truncatingIfNeeded: Int32(littleEndian: $0)).littleEndian }
                try unsafe converted.withUnsafeBytes { try unsafe wide.append($0) }
            } else {
                try unsafe block[..<count].withUnsafeBytes { try unsafe wide.append($0) }
            }
            row += count
        }
        indices = wide
        indexType = type
    }

    /// Reserves `count` bytes from the arena's dictionary budget (a bounded builder only).
    private func reserve(_ count: Int) -> Bool {
        guard bounds != nil else { return true }
        guard scratch.reserveDictionary(count) else { return false }
        reserved += count
        return true
    }

    /// The dictionary as the writer stores it: its values, with a value type of `type` (String
    /// or Binary; the large form when the values reach 2 GiB).
    func dictionary(_ type: PhysicalType) -> DictionaryValues {
        DictionaryValues(stored: type, offsets: [0] + ends.map(Int64.init), bytes: values)
    }
}
