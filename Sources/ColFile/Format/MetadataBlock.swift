/// Key/value metadata blocks, for the file and for each column (Specification.md §5.4).
enum MetadataBlock {
    /// Checks a block and calls `visit` with each key and value, in stored (sorted) order.
    ///
    /// - Complexity: O(length of the block); allocates nothing itself.
    static func walk(
        _ block: ByteView, offset fileOffset: UInt64, context: ErrorContext,
        visit: (ByteView, ByteView) -> Void = { _, _ in }
    ) throws {
        guard block.count >= MetadataBlockLayout.entries else {
            throw context.error(.badMetadata, "metadata block is shorter than its entry count", offset: fileOffset,
                                expected: "at least \(MetadataBlockLayout.entries) bytes", found: block.count)
        }
        let entryCount = Int(block.load(MetadataBlockLayout.entryCount))
        guard entryCount <= FormatLimits.maxMetadataEntries else {
            throw context.error(.badMetadata, "metadata block has too many entries", offset: fileOffset,
                                expected: "at most \(FormatLimits.maxMetadataEntries)", found: entryCount)
        }
        var position = MetadataBlockLayout.entries
        var previousKey: ByteView?
        for _ in 0..<entryCount {
            let entryOffset = fileOffset + UInt64(position)
            guard block.contains(offset: UInt64(position), length: UInt64(MetadataEntryLayout.key)) else {
                throw context.error(.badMetadata, "metadata entry runs past the end of its block", offset: entryOffset)
            }
            let keyLength = Int(block.load(MetadataEntryLayout.keyLength, at: position))
            let valueLength = Int(block.load(MetadataEntryLayout.valueLength, at: position))
            let keyStart = position + MetadataEntryLayout.key
            guard keyLength >= 1, keyLength <= FormatLimits.maxMetadataKeyLength else {
                throw context.error(.badMetadata, "metadata key length is out of range", offset: entryOffset,
                                    expected: "1 to \(FormatLimits.maxMetadataKeyLength)", found: keyLength)
            }
            guard block.contains(offset: UInt64(keyStart), length: UInt64(keyLength) + UInt64(valueLength)) else {
                throw context.error(.badMetadata, "metadata entry runs past the end of its block", offset: entryOffset)
            }
            let key = block.slice(offset: keyStart, length: keyLength)
            let value = block.slice(offset: keyStart + keyLength, length: valueLength)
            guard key.utf8String() != nil, value.utf8String() != nil else {
                throw context.error(.badMetadata, "metadata key or value is not valid UTF-8", offset: entryOffset)
            }
            if let previousKey, !previousKey.lexicographicallyPrecedes(key) {
                throw context.error(.badMetadata, "metadata keys are not strictly increasing", offset: entryOffset)
            }
            visit(key, value)
            previousKey = key
            position = keyStart + keyLength + valueLength
        }
        guard position == block.count else {
            throw context.error(.badMetadata, "metadata entries do not fill their block", offset: fileOffset,
                                expected: "\(block.count) bytes", found: "\(position) bytes")
        }
    }

    /// Decodes a block that `walk` accepted into a dictionary.
    static func decode(_ block: ByteView, offset: UInt64, context: ErrorContext) throws -> [String: String] {
        var result: [String: String] = [:]
        try walk(block, offset: offset, context: context) { key, value in
            result[key.utf8String() ?? ""] = value.utf8String() ?? ""
        }
        return result
    }

    /// The bytes of a block holding `entries`, keys sorted as byte strings.
    static func encoded(_ entries: [String: String]) -> [UInt8] {
        var writer = ByteWriter(zeros: MetadataBlockLayout.entries)
        writer.set(UInt32(entries.count), at: MetadataBlockLayout.entryCount)
        for (key, value) in entries.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            var entry = ByteWriter(zeros: MetadataEntryLayout.key)
            entry.set(UInt32(key.utf8.count), at: MetadataEntryLayout.keyLength)
            entry.set(UInt32(value.utf8.count), at: MetadataEntryLayout.valueLength)
            entry.append(bytes: key.utf8)
            entry.append(bytes: value.utf8)
            writer.append(bytes: entry.bytes)
        }
        return writer.bytes
    }
}
