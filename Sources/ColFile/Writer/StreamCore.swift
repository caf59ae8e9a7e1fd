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
    private weak var writer: ColFileWriter?
    /// The target file, for errors.
    let path: String
    private let validity: BitSpill
    private let values: SpillFile
    private let valueBits: BitSpill?
    private let offsets: SpillFile?
    private var isFinished = false

    /// Opens the spill files for `declaration` in `folder`.
    init(declaration: ColumnDeclaration, folder: String, writer: ColFileWriter) throws {
        self.declaration = declaration
        self.writer = writer
        self.path = writer.path
        validity = BitSpill(spill: try SpillFile(folder: folder, path: writer.path))
        values = try SpillFile(folder: folder, path: writer.path)
        valueBits = declaration.physicalType == .bool ? BitSpill(spill: values) : nil
        offsets = declaration.physicalType.offsetWidth != nil ? try SpillFile(folder: folder, path: writer.path) : nil
        if let offsets { try appendOffset(0, to: offsets) }
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

    /// Ends the current string or binary value: records the offset of its end.
    func endVariableLengthValue() throws {
        try appendOffset(Int64(values.length), to: offsets!)
    }

    /// Appends whole string or binary values stored one after another in `bytes`, value `i`
    /// ending at `ends[i]` (the caller checked that the ends ascend to `bytes.count`), and
    /// records them as valid rows.
    func appendVariableLengthValues(_ bytes: UnsafeRawBufferPointer, ends: Span<Int>) throws {
        let base = Int64(values.length)
        var endOffsets = [Int64](repeating: 0, count: ends.count)
        for index in ends.indices { endOffsets[index] = (base + Int64(ends[index])).littleEndian }
        try unsafe values.append(bytes)
        try unsafe endOffsets.withUnsafeBytes { try unsafe offsets!.append($0) }
        try appendRows(ends.count, valid: true)
    }

    /// Appends `count` null string or binary values (empty, the offset repeated).
    func appendVariableLengthNulls(_ count: Int) throws {
        let end = Int64(values.length).littleEndian
        let endOffsets = [Int64](repeating: end, count: count)
        try unsafe endOffsets.withUnsafeBytes { try unsafe offsets!.append($0) }
        try appendRows(count, valid: false)
    }

    /// Asks the writer to copy this column into the file now.
    func finish() throws {
        guard !isFinished else { return }
        guard let writer else { preconditionFailure("column stream finished after its writer was released") }
        try writer.completeStream(self)
    }

    /// Flushes the spills and returns them, narrowing 64-bit offsets to 32 bits when the values
    /// are under 2 GiB (the writer's choice of String over LargeString, Specification.md §6.1).
    func finishSpills() throws -> (physicalType: PhysicalType, validity: SpillFile?, offsets: SpillFile?,
                                   values: SpillFile) {
        isFinished = true
        try validity.flush()
        try valueBits?.flush()
        try values.flush()
        var type = declaration.physicalType
        var finalOffsets = offsets
        if let offsets {
            try offsets.flush()
            if values.length > Int(Int32.max) {
                type = type == .string ? .largeString : .largeBinary
            } else {
                finalOffsets = try narrow(offsets)
            }
        }
        return (type, validity.spill, finalOffsets, values)
    }

    private func appendOffset(_ offset: Int64, to spill: SpillFile) throws {
        let value = offset.littleEndian
        try unsafe withUnsafeBytes(of: value) { try unsafe spill.append($0) }
    }

    /// A new spill holding the 64-bit offsets of `wide` as 32-bit offsets, read back in blocks.
    private func narrow(_ wide: SpillFile) throws -> SpillFile {
        let narrow = try SpillFile(folder: TemporaryFile.folder(of: path), path: path)
        let blockValues = OutputFile.stagingCapacity / 8
        var wideBlock = [Int64](repeating: 0, count: blockValues)
        var narrowBlock = [Int32](repeating: 0, count: blockValues)
        var position = 0
        while position < wide.length {
            let read = try unsafe wideBlock.withUnsafeMutableBytes { try unsafe wide.read(at: position, into: $0) }
            guard read > 0, read % 8 == 0 else {
                throw ColFileError(.io, path: path, message: "a scratch file was shorter than written")
            }
            for index in 0..<(read / 8) { narrowBlock[index] = Int32(truncatingIfNeeded: wideBlock[index]) }
            try unsafe narrowBlock.withUnsafeBytes { try unsafe narrow.append(UnsafeRawBufferPointer(rebasing: $0[..<(read / 2)])) }
            position += read
        }
        try narrow.flush()
        return narrow
    }
}

/// Bits appended one at a time to a spill file, least-significant bit first, in blocks.
final class BitSpill {
    /// The file the packed bits go to.
    let spill: SpillFile
    private var block: [UInt8] = []
    private var current: UInt8 = 0
    private var bitsInCurrent = 0

    /// Packs bits into `spill`.
    init(spill: SpillFile) {
        self.spill = spill
    }

    /// Appends `count` copies of `bit`.
    func append(_ bit: Bool, count: Int) throws {
        let blockLimit = 1 << 16
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

    /// Writes every bit appended, the last byte padded with zero bits.
    func flush() throws {
        if bitsInCurrent > 0 {
            block.append(current)
            current = 0
            bitsInCurrent = 0
        }
        try writeBlock()
        try spill.flush()
    }

    private func writeBlock() throws {
        try unsafe block.withUnsafeBytes { try unsafe spill.append($0) }
        block.removeAll(keepingCapacity: true)
    }
}
