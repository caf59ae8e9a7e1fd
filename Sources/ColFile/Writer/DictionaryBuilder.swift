/// The dictionary of a streamed String or Binary column, built as its values arrive
/// (``DictionaryPolicy``): the distinct values in order of first appearance, a hash table from a
/// value to its entry, and each row's index (−1 for a null row, Specification.md §6.4) spilled as
/// 32-bit integers until the column ends and the index type is known.
///
/// Memory is the distinct values, 8 bytes per entry, a table of 4 bytes per slot (at most half
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
    /// Each row's index (−1 for a null row), as little-endian Int32.
    let indices: SpillFile
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
        guard reserve(Self.initialSlots * 4) else { return nil }
    }

    deinit { scratch.releaseDictionary(reserved) }

    /// The hash table's first size.
    private static let initialSlots = 64
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
        var hasher = Hasher()
        unsafe hasher.combine(bytes: bytes)
        let mask = slots.count - 1
        var slot = hasher.finalize() & mask
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            let start = entry == 0 ? 0 : ends[entry - 1]
            if ends[entry] - start == bytes.count,
               unsafe values.withUnsafeBytes({ unsafe $0[start..<ends[entry]].elementsEqual(bytes) }) {
                return try record(Int32(entry))
            }
            slot = (slot + 1) & mask
        }
        if let bounds, ends.count >= bounds.entries || values.count + bytes.count > bounds.bytes { return false }
        guard ends.count < Int(Int32.max) else {
            throw context.error(.invalidArgument, "a dictionary holds at most \(Int32.max) distinct values")
        }
        let grows = (ends.count + 1) * 2 > slots.count
        guard reserve(bytes.count + 8 + (grows ? slots.count * 4 : 0)) else { return false }
        unsafe values.append(contentsOf: bytes)
        ends.append(values.count)
        slots[slot] = Int32(ends.count)
        if grows { grow() }
        return try record(Int32(ends.count - 1))
    }

    /// Adds `count` null rows (index −1).
    func addNulls(_ count: Int) throws {
        for _ in 0..<count { _ = try record(-1) }
    }

    /// Writes every staged index out.
    func flush() throws {
        try unsafe staged.withUnsafeBytes { try unsafe indices.append($0) }
        staged.removeAll(keepingCapacity: true)
    }

    private func record(_ index: Int32) throws -> Bool {
        staged.append(index.littleEndian)
        if staged.count == Self.stagedRows { try flush() }
        return true
    }

    /// Reserves `count` bytes from the arena's dictionary budget (a bounded builder only).
    private func reserve(_ count: Int) -> Bool {
        guard bounds != nil else { return true }
        guard scratch.reserveDictionary(count) else { return false }
        reserved += count
        return true
    }

    /// Doubles the table and puts every entry back.
    private func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        var start = 0
        for (entry, end) in ends.enumerated() {
            var hasher = Hasher()
            unsafe values.withUnsafeBytes { unsafe hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
            var slot = hasher.finalize() & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry + 1)
            start = end
        }
    }

    /// The dictionary as the writer stores it: its values, with a value type of `type` (String
    /// or Binary; the large form when the values reach 2 GiB).
    func dictionary(_ type: PhysicalType) -> DictionaryValues {
        DictionaryValues(stored: type, offsets: [0] + ends.map(Int64.init), bytes: values)
    }
}
