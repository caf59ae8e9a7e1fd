/// The state of one streamed column: its spilled buffers and counts. The typed streams
/// (``FixedWidthColumnStream``, ``BoolColumnStream``, ``VariableLengthColumnStream``) wrap it.
///
/// Memory stays bounded whatever the column's size: each buffer keeps at most one staging block
/// (``SpillFile/stagingCapacity``) in memory and the rest in its spill file.
@usableFromInline final class StreamCore {
    /// The column being written.
    let declaration: ColumnDeclaration
    private(set) var rowCount = 0
    private(set) var nullCount = 0
    /// The writer, which holds this stream until it completes it. Unowned rather than weak: a weak
    /// reference gives the writer a side table, which sends every retain and release of it
    /// down the runtime's slow path (at 50,000 columns, several percent of an import). Finishing
    /// a stream after its writer was released traps, as the precondition it replaces did.
    private unowned let writer: ColFileWriter
    /// The target file, for errors.
    let path: String
    private var validity: BitSpill
    private let values: SpillFile
    private var valueBits: BitSpill?
    /// The end offsets of a String or Binary column's values, 32-bit while the values fit in
    /// ``maxNarrowValueBytes`` (as the file stores them then: no narrowing pass when the column
    /// ends), 64-bit from the first value that passes it (``offsetsAreWide``).
    private var offsets: SpillFile?
    /// Whether ``offsets`` holds 64-bit offsets (the values passed ``maxNarrowValueBytes``).
    private var offsetsAreWide = false
    /// The most bytes of values whose offsets are stored in 32 bits (String rather than
    /// LargeString, Specification.md §6.1): `Int32.max`, less in tests.
    private let maxNarrowValueBytes: Int
    private var isFinished = false
    /// The stream's place in its writer's list of open streams, until the writer completes it.
    var openSlot: Int?
    /// For a String or Binary column that may be stored dictionary-encoded, its dictionary so far;
    /// nil when the column is plain (or ``DictionaryPolicy/automatic`` gave it up).
    ///
    /// While it is kept, the plain values and offsets are not written: the dictionary's entries
    /// and the rows' indices give them (``writePlainValues(from:rows:)``), should the dictionary
    /// be given up or not chosen at the column's end. A column stored dictionary-encoded so never
    /// writes (to the scratch file) values it would discard.
    private var dictionary: DictionaryBuilder?
    /// The bytes of the valid rows' values: the values spill's length once they are written.
    private var plainLength = 0
    /// Whether the column may be stored dictionary-encoded.
    let dictionaryPolicy: DictionaryPolicy
    /// For a column of indices into a dictionary given up front
    /// (``ColFileWriter/streamDictionaryColumn(_:dictionary:indexType:logicalType:metadata:)``), its
    /// encoding and dictionary; its values spill holds the indices.
    let givenDictionary: (encoding: DictionaryEncoding, values: DictionaryValues)?

    /// The writer's scratch file, which holds this column's spills.
    private let scratch: ScratchArena

    /// Makes the spills for `declaration` in `scratch`.
    init(declaration: ColumnDeclaration, scratch: ScratchArena, writer: ColFileWriter,
         dictionaryPolicy: DictionaryPolicy = .never,
         givenDictionary: (encoding: DictionaryEncoding, values: DictionaryValues)? = nil,
         maxNarrowValueBytes: Int = Int(Int32.max)) throws {
        precondition((0...Int(Int32.max)).contains(maxNarrowValueBytes), "32-bit offsets hold at most Int32.max")
        self.declaration = declaration
        self.maxNarrowValueBytes = maxNarrowValueBytes
        self.writer = writer
        self.path = writer.path
        self.dictionaryPolicy = dictionaryPolicy
        self.givenDictionary = givenDictionary
        self.scratch = scratch
        switch dictionaryPolicy {
        case .never: dictionary = nil
        case .always: dictionary = DictionaryBuilder(bounds: nil, scratch: scratch)
        case .automatic:
            dictionary = DictionaryBuilder(
                bounds: (DictionaryPolicy.automaticMaxEntries, DictionaryPolicy.automaticMaxBytes), scratch: scratch)
        }
        validity = BitSpill(arena: scratch)
        values = SpillFile(arena: scratch)
        valueBits = declaration.physicalType == .bool ? BitSpill(spill: values) : nil
        offsets = declaration.physicalType.offsetWidth != nil ? SpillFile(arena: scratch) : nil
        if offsets != nil { try appendEnds([0]) }
    }

    /// Records `count` rows, valid or null.
    @usableFromInline func appendRows(_ count: Int, valid: Bool) throws {
        precondition(!isFinished, "append to a finished column stream")
        try validity.append(valid, count: count)
        rowCount += count
        if !valid { nullCount += count }
    }

    /// Appends raw value bytes (fixed-width values, or the bytes of one string or binary value).
    @usableFromInline func appendValueBytes(_ bytes: UnsafeRawBufferPointer) throws {
        try unsafe values.append(bytes)
    }

    /// Appends one bit of a Bool column's values.
    func appendValueBit(_ bit: Bool) throws {
        try valueBits!.append(bit, count: 1)
    }

    /// Appends bits of a Bool column's values.
    func appendValueBits(_ bits: Span<Bool>) throws {
        try valueBits!.append(bits: bits)
    }

    /// Appends one valid string or binary value.
    func appendVariableLengthValue(_ bytes: UnsafeRawBufferPointer) throws {
        if let builder = dictionary {
            if try unsafe builder.add(bytes, context: ErrorContext(path: path, column: declaration.name)) {
                plainLength += bytes.count
                return try appendRows(1, valid: true)
            }
            try giveUp(builder)
        }
        try widenOffsets(ifValuesEndAt: values.length + bytes.count)
        try unsafe values.append(bytes)
        plainLength += bytes.count
        try appendEnds([Int64(values.length)])
        try appendRows(1, valid: true)
    }

    /// Appends whole string or binary values stored one after another in `bytes`, value `i`
    /// ending at `ends[i]` (the caller checked that the ends ascend to `bytes.count`), and
    /// records them as valid rows.
    func appendVariableLengthValues(_ bytes: UnsafeRawBufferPointer, ends: Span<Int>) throws {
        if let builder = dictionary {
            if try unsafe builder.add(contentsOf: bytes, ends: ends, context: ErrorContext(path: path, column: declaration.name)) {
                plainLength += bytes.count
                return try appendRows(ends.count, valid: true)
            }
            try giveUp(builder)
        }
        let base = Int64(values.length)
        try widenOffsets(ifValuesEndAt: values.length + bytes.count)
        var endOffsets = [Int64](repeating: 0, count: ends.count)
        for index in ends.indices { endOffsets[index] = base + Int64(ends[index]) }
        try unsafe values.append(bytes)
        plainLength += bytes.count
        try appendEnds(endOffsets)
        try appendRows(ends.count, valid: true)
    }

    /// Appends whole string or binary values, value `i` lying at `ranges[i]` of `text` (the
    /// caller checked that the ranges lie within it), and records them as valid rows: a kept
    /// dictionary reads them in place; else they are gathered into the values spill.
    func appendVariableLengthFields(_ text: UnsafeRawBufferPointer, ranges: [Range<Int>]) throws {
        if let builder = dictionary {
            if try unsafe builder.add(fieldsOf: text, ranges: ranges, context: ErrorContext(path: path, column: declaration.name)) {
                for index in ranges.indices { plainLength += ranges[index].count }
                return try appendRows(ranges.count, valid: true)
            }
            try giveUp(builder)
        }
        // The values and their end offsets (32-bit while the values fit, ``offsetsAreWide``)
        // are copied straight into the spills' staging. Audited unsafe scope: every range lies
        // within `text` (the caller checked it), and the buffers filled are `total` and
        // `width * ranges.count` bytes long.
        var total = 0
        for range in ranges { total += range.count }
        try widenOffsets(ifValuesEndAt: values.length + total)
        let start = Int64(values.length)
        try unsafe values.append(count: total) { buffer in
            var at = 0
            for range in ranges where !range.isEmpty {
                unsafe buffer.baseAddress.unsafelyUnwrapped.advanced(by: at)
                    .copyMemory(from: text.baseAddress.unsafelyUnwrapped.advanced(by: range.lowerBound), byteCount: range.count)
                at += range.count
            }
        }
        plainLength += total
        let wide = offsetsAreWide
        try unsafe offsets!.append(count: (wide ? 8 : 4) * ranges.count) { buffer in
            var end = start
            for index in ranges.indices {
                end += Int64(ranges[index].count)
                if wide {
                    unsafe buffer.storeBytes(of: end.littleEndian, toByteOffset: 8 * index, as: Int64.self)
                } else {
                    unsafe buffer.storeBytes(of: Int32(truncatingIfNeeded: end).littleEndian, toByteOffset: 4 * index, as: Int32.self)
                }
            }
        }
        try appendRows(ranges.count, valid: true)
    }

    /// Appends `count` null string or binary values (empty, the offset repeated; index −1 in a dictionary).
    func appendVariableLengthNulls(_ count: Int) throws {
        if let builder = dictionary {
            try builder.addNulls(count)
        } else {
            try appendEnds([Int64](repeating: Int64(values.length), count: count))
        }
        try appendRows(count, valid: false)
    }

    /// Gives the dictionary up (it passed its bounds while a row was added): the rows so far are
    /// written as plain values and offsets, from its entries and their indices.
    private func giveUp(_ builder: DictionaryBuilder) throws {
        dictionary = nil
        try writePlainValues(from: builder, rows: rowCount)
    }

    /// Writes the plain values and offsets of the first `rows` rows (none written yet) from
    /// `builder`'s entries and the rows' indices, read back from its spill in blocks.
    private func writePlainValues(from builder: DictionaryBuilder, rows: Int) throws {
        try builder.flush()
        let entries = builder.values
        let entryEnds = builder.ends
        let blockRows = OutputFile.stagingCapacity / 4
        var indices = [Int32](repeating: 0, count: min(rows, blockRows))
        var bytes: [UInt8] = []
        var endOffsets: [Int64] = []
        endOffsets.reserveCapacity(indices.count)
        var end = Int64(values.length)
        var row = 0
        while row < rows {
            let count = min(rows - row, blockRows)
            try builder.readIndices(from: row, count: count, into: &indices)
            for index in 0..<count {
                let entry = Int(Int32(littleEndian: indices[index]))
                if entry >= 0 {
                    let start = entry == 0 ? 0 : entryEnds[entry - 1]
                    bytes.append(contentsOf: entries[start..<entryEnds[entry]])
                    end += Int64(entryEnds[entry] - start)
                }
                endOffsets.append(end)
            }
            try widenOffsets(ifValuesEndAt: Int(end))
            try unsafe bytes.withUnsafeBytes { try unsafe values.append($0) }
            try appendEnds(endOffsets)
            bytes.removeAll(keepingCapacity: true)
            endOffsets.removeAll(keepingCapacity: true)
            row += count
        }
    }

    /// Asks the writer to copy this column into the file now.
    func finish() throws {
        guard !isFinished else { return }
        try writer.completeStream(self)
    }

    /// The column's spills, as ``finishSpills()`` returns them.
    struct Spills {
        /// The stored type: LargeString or LargeBinary for values of 2 GiB or more, Dictionary for
        /// a dictionary-encoded column.
        var physicalType: PhysicalType
        /// The validity bitmap; nil for a column without nulls.
        var validity: SpillFile?
        /// The offsets of a plain String or Binary column.
        var offsets: SpillFile?
        /// The values; for a dictionary-encoded column, the indices.
        var values: SpillFile
        /// For a dictionary-encoded column, its encoding and dictionary.
        var dictionary: (encoding: DictionaryEncoding, values: DictionaryValues)?
    }

    /// Writes out the bit and index staging and returns the spills, narrowing 64-bit offsets to 32 bits when the values
    /// are under 2 GiB (the writer's choice of String over LargeString, Specification.md §6.1),
    /// or, for a column the dictionary policy encodes, the indices narrowed to the narrowest
    /// index type that holds the dictionary (Specification.md §6.4).
    func finishSpills() throws -> Spills {
        isFinished = true
        defer { dictionary = nil }  // its share of the arena's dictionary budget goes back
        // A column without nulls stores no validity bitmap (its bits were only counted).
        let validitySpill = nullCount > 0 ? validity.spill : nil
        if nullCount > 0 { try validity.flush() }
        if let givenDictionary {
            return Spills(physicalType: .dictionary, validity: validitySpill, values: values,
                          dictionary: givenDictionary)
        }
        if let builder = dictionary {
            guard try encodesDictionary(builder) else {
                try writePlainValues(from: builder, rows: rowCount)
                return try finishPlainSpills()
            }
            try builder.flush()
            let values = builder.dictionary(declaration.physicalType)
            let indexType = DictionaryEncoding.narrowestIndexType(forEntryCount: values.count)!
            assert(builder.indexType == indexType, "the indices were spilled in the final index type")
            let encoding = DictionaryEncoding(indexType: indexType, valueType: values.valueType, entryCount: values.count)
            return Spills(physicalType: .dictionary, validity: validitySpill,
                          values: builder.indices, dictionary: (encoding, values))
        }
        return try finishPlainSpills()
    }

    /// ``finishSpills()`` for a column stored plain.
    private func finishPlainSpills() throws -> Spills {
        let validitySpill = nullCount > 0 ? validity.spill : nil
        try valueBits?.flush()
        var type = declaration.physicalType
        if offsets != nil {
            assert(offsetsAreWide == (values.length > maxNarrowValueBytes), "offsets widen when the values pass the bound")
            if offsetsAreWide { type = type == .string ? .largeString : .largeBinary }
        }
        return Spills(physicalType: type, validity: validitySpill, offsets: offsets, values: values)
    }

    /// Whether the column is stored with `builder`'s dictionary, as its policy decides at its end.
    private func encodesDictionary(_ builder: DictionaryBuilder) throws -> Bool {
        guard dictionaryPolicy == .automatic else { return true }
        let entries = builder.entryCount
        let indexWidth = DictionaryEncoding.narrowestIndexType(forEntryCount: entries)!.elementSize!
        let offsetWidth = plainLength > Int(Int32.max) ? 8 : 4
        let plain = (rowCount + 1) * offsetWidth + plainLength
        let encoded = rowCount * indexWidth + (entries + 1) * (builder.values.count > Int(Int32.max) ? 8 : 4)
            + builder.values.count
        return Double(encoded) <= DictionaryPolicy.automaticMaxRatio * Double(plain)
    }

    /// Appends the end offsets `ends` (of values already appended or about to be, ascending),
    /// in 32 bits unless ``offsetsAreWide``: ``widenOffsets(ifValuesEndAt:)`` was called first for
    /// the last of them.
    private func appendEnds(_ ends: [Int64]) throws {
        guard let offsets else { preconditionFailure("only a String or Binary column has offsets") }
        if offsetsAreWide {
            let stored = ends.map(\.littleEndian)
            try unsafe stored.withUnsafeBytes { try unsafe offsets.append($0) }
        } else {
            assert(ends.last.map { $0 <= maxNarrowValueBytes } ?? true, "32-bit offsets are widened first")
            let stored = ends.map { Int32(truncatingIfNeeded: $0).littleEndian }
            try unsafe stored.withUnsafeBytes { try unsafe offsets.append($0) }
        }
    }

    /// Before values that end at byte `end` of the values are appended: when that passes
    /// ``maxNarrowValueBytes`` while the offsets are 32-bit, makes them 64-bit (a new spill of
    /// the offsets so far, read back in blocks). Once in a column of over 2 GiB of values.
    private func widenOffsets(ifValuesEndAt end: Int) throws {
        guard !offsetsAreWide, end > maxNarrowValueBytes, let narrow = offsets else { return }
        let wide = SpillFile(arena: scratch)
        let blockValues = max(1, min(OutputFile.stagingCapacity, narrow.length) / 4)
        var narrowBlock = [Int32](repeating: 0, count: blockValues)
        var position = 0
        while position < narrow.length {
            let read = try unsafe narrowBlock.withUnsafeMutableBytes { try unsafe narrow.read(at: position, into: $0) }
            guard read > 0, read % 4 == 0 else {
                throw ColFileError(.io, path: path, message: "a scratch file was shorter than written")
            }
            let block = narrowBlock[..<(read / 4)].map { Int64(Int32(littleEndian: $0)).littleEndian }
            try unsafe block.withUnsafeBytes { try unsafe wide.append($0) }
            position += read
        }
        offsets = wide
        offsetsAreWide = true
    }
}

/// Bits appended one at a time to a spill file, least-significant bit first, in blocks.
///
/// While every bit appended is set (a validity bitmap with no null so far, the usual case), the
/// bits are only counted: they are packed at the first clear bit or at ``flush()``, so a column
/// without nulls never packs or spills a validity bitmap the file will not hold (nor makes its
/// spill, when it makes its own).
///
/// A value stored in its ``StreamCore`` (not an object of its own: one allocation fewer per
/// column of a wide table).
struct BitSpill {
    /// Where ``spill`` is made when it is not given.
    private let arena: ScratchArena
    /// The file the packed bits go to: the one given, or one made in the arena on first use.
    private(set) lazy var spill = SpillFile(arena: arena)
    private var block: [UInt8] = []
    private var current: UInt8 = 0
    private var bitsInCurrent = 0
    /// The set bits appended and not packed yet; only ever nonzero before the first clear bit.
    private var leadingOnes = 0
    /// Whether a clear bit was appended (bits are then packed as they come).
    private var isPacking = false
    /// The bytes packed before they are written to the spill.
    private static let blockLimit = 1 << 16

    /// Packs bits into `spill`.
    init(spill: SpillFile) {
        arena = spill.arena
        self.spill = spill
    }

    /// Packs bits into a spill of `arena`, made when the first bits are packed.
    init(arena: ScratchArena) {
        self.arena = arena
    }

    /// Appends `count` copies of `bit`.
    mutating func append(_ bit: Bool, count: Int) throws {
        guard isPacking else {
            guard !bit else {
                leadingOnes += count
                return
            }
            try packLeadingOnes()
            return try append(false, count: count)
        }
        let blockLimit = Self.blockLimit
        var remaining = count
        while remaining > 0 {
            if bitsInCurrent == 0, remaining >= 8 {
                // Whole bytes at once: runs of valid rows are the common case.
                let bytes = min(remaining / 8, blockLimit - block.count)
                block.append(contentsOf: repeatElement(bit ? 0xFF : 0, count: bytes))
                remaining -= bytes * 8
            } else {
                if bit { current |= 1 << UInt8(bitsInCurrent) }
                bitsInCurrent += 1
                remaining -= 1
                if bitsInCurrent == 8 {
                    block.append(current)
                    current = 0
                    bitsInCurrent = 0
                }
            }
            if block.count >= blockLimit { try writeBlock() }
        }
    }

    /// Appends `bits` in order, the partial byte kept in local variables meanwhile.
    mutating func append(bits: Span<Bool>) throws {
        // Packed from the first: the same bytes as counting leading set bits first.
        if !isPacking { try packLeadingOnes() }
        var packed = current
        var filled = bitsInCurrent
        defer {
            current = packed
            bitsInCurrent = filled
        }
        for index in bits.indices {
            if bits[index] { packed |= 1 << UInt8(filled) }
            filled += 1
            if filled == 8 {
                block.append(packed)
                packed = 0
                filled = 0
                if block.count >= Self.blockLimit { try writeBlock() }
            }
        }
    }

    /// Packs the set bits only counted so far; bits are packed as they come from then on.
    private mutating func packLeadingOnes() throws {
        isPacking = true
        let ones = leadingOnes
        leadingOnes = 0
        try append(true, count: ones)
    }

    /// Writes every bit appended, the last byte padded with zero bits.
    mutating func flush() throws {
        if !isPacking { try packLeadingOnes() }
        if bitsInCurrent > 0 {
            block.append(current)
            current = 0
            bitsInCurrent = 0
        }
        try writeBlock()
    }

    private mutating func writeBlock() throws {
        let target = spill
        try unsafe block.withUnsafeBytes { try unsafe target.append($0) }
        block.removeAll(keepingCapacity: true)
    }
}
