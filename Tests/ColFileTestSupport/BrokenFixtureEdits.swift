import ColFile

/// The byte edit that makes each broken fixture from its base, keyed by the fixture's name; what a
/// reader must report for it is in `Fixtures/broken/catalog.json` (``BrokenFixtures``).
///
/// Unless the catalog says otherwise, each fixture is derived from `spec-example.col`
/// (Specification.md §12): column 0 `id` (Int32, values at 64), column 1 `name` (String:
/// validity at 128, offsets at 192, values at 256), directory at 320. Most cold-column ones are
/// derived from `cold.col` (see ``ColdFixture``): column 0 `id` values at 64 (chunk index of 3
/// entries at 80, chunks at 152, 984, 1810), 1 `price` values at 1984, 2 `label` (validity at 2688,
/// offsets at 2752, values at 4352), 3 `flag` at 6400, 4 `embedding` (validity at 6464, values at 6592);
/// the rest, whose base is the fuzz seed `fuzz-corpus/cold-int32.col` (written by `ColFileFuzzer
/// --make-seeds`, not by `Tools/regenerate-fixtures.sh`: one cold Int32 column `n` of 2,500 rows in
/// 4 KiB chunks, its chunk index at 64 with entries at 80, 104 and 128, chunk 0's zlib stream at
/// 152), repeat those checks on a seed of the fuzz target.
public enum BrokenFixtureEdits {
    /// Each fixture's edit of its base file.
    public static let byName: [String: @Sendable (inout FileBytes) -> Void] = [
        "too-short": { $0.bytes.removeLast($0.count - 95) },
        "truncated": { $0.bytes.removeLast() },
        "trailing-bytes": { $0.bytes += [UInt8](repeating: 0, count: 64) },
        "bad-magic": { $0.bytes[1] = UInt8(ascii: "X") },
        "unsealed-draft": { $0.bytes[3] = UInt8(ascii: "D") },
        "future-major-version": {
            $0.store(2, HeaderLayout.majorVersion)
            $0.resealHeader()
        },
        "bad-header-length": {
            $0.store(65, HeaderLayout.headerLength)
            $0.resealHeader()
        },
        "bad-header-checksum": { $0.bytes[HeaderLayout.fileID.offset] ^= 0xFF },
        "required-feature-flag": {
            $0.store(1, HeaderLayout.requiredFlags)
            $0.resealHeader()
        },
        "bad-directory-location": {
            $0.store(UInt64($0.directoryOffset + 8), HeaderLayout.directoryOffset)
            $0.resealHeader()
        },
        "bad-trailer": { $0.bytes[$0.count - 1] = 0 },
        "bad-directory-checksum": { $0.bytes[$0.heapOffset] ^= 0x01 },
        "bad-directory-magic": {
            $0.bytes[$0.directoryOffset] = UInt8(ascii: "X")
            $0.resealDirectory()
        },
        "bad-metadata": {
            let block = $0.heapOffset + Int($0.load(DirectoryHeaderLayout.fileMetadataOffset, at: $0.directoryOffset))
            $0.store($0.load(MetadataBlockLayout.entryCount, at: block) + 1, MetadataBlockLayout.entryCount, at: block)
            $0.resealDirectory()
        },
        "empty-column-name": {
            $0.store(0, ColumnRecordLayout.nameLength, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "too-many-rows": {
            let rows = UInt64(1) << 53
            $0.store(rows, DirectoryHeaderLayout.rowCount, at: $0.directoryOffset)
            $0.store(rows, ColumnRecordLayout.rowCount, at: $0.recordOffset(0))
            $0.store(rows, ColumnRecordLayout.rowCount, at: $0.recordOffset(1))
            $0.resealDirectory()
        },
        "heap-overlaps-name-index": {
            $0.store($0.load(DirectoryHeaderLayout.nameIndexOffset, at: $0.directoryOffset) + 4,
                     DirectoryHeaderLayout.heapOffset, at: $0.directoryOffset)
            $0.resealDirectory()
        },
        "empty-time-zone-past-heap": {
            $0.store(0xFFFF, ColumnRecordLayout.timeZoneOffset, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "empty-column-metadata-past-heap": {
            $0.store(0xFFFF, ColumnRecordLayout.metadataOffset, at: $0.recordOffset(1))
            $0.resealDirectory()
        },
        "bad-time-zone": {
            // `Europe/Paris` becomes `Europe Paris`.
            let zone = $0.heapOffset + Int($0.load(ColumnRecordLayout.timeZoneOffset, at: $0.recordOffset(0)))
            $0.bytes[zone + 6] = UInt8(ascii: " ")
            $0.resealDirectory()
        },
        "timestamp-on-tensor": {
            $0.store(PhysicalType.int64.rawValue, ColumnRecordLayout.physicalType, at: $0.recordOffset(0))
            $0.store(1, ColumnRecordLayout.logicalType, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "unknown-physical-type": {
            $0.store(200, ColumnRecordLayout.physicalType, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "unknown-codec": {
            $0.store(7, ColumnRecordLayout.codec, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "time-unit-on-integer": {
            $0.store(1, ColumnRecordLayout.timeUnit, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "timestamp-on-int32": {
            $0.store(1, ColumnRecordLayout.logicalType, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "row-count-mismatch": {
            $0.store(4, ColumnRecordLayout.rowCount, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "null-count-exceeds-rows": {
            $0.store(4, ColumnRecordLayout.nullCount, at: $0.recordOffset(1))
            $0.resealDirectory()
        },
        "buffer-length-mismatch": {
            $0.store(4, DirectoryHeaderLayout.rowCount, at: $0.directoryOffset)
            $0.store(4, ColumnRecordLayout.rowCount, at: $0.recordOffset(0))
            $0.store(4, ColumnRecordLayout.rowCount, at: $0.recordOffset(1))
            $0.resealDirectory()
        },
        "buffer-past-end": {
            $0.store(UInt64($0.directoryOffset), BufferDescriptorLayout.offset, at: $0.descriptorOffset(column: 0, slot: 2))
            $0.resealDirectory()
        },
        "misaligned-buffer": {
            $0.store(UInt64($0.bufferOffset(column: 1, slot: 1) + 8), BufferDescriptorLayout.offset,
                     at: $0.descriptorOffset(column: 1, slot: 1))
            $0.resealDirectory()
        },
        "overlapping-buffers": {
            $0.store(UInt64($0.bufferOffset(column: 1, slot: 0)), BufferDescriptorLayout.offset,
                     at: $0.descriptorOffset(column: 1, slot: 1))
            $0.resealDirectory()
        },
        "first-offset-not-zero": {
            $0.store(UInt32(1), at: $0.bufferOffset(column: 1, slot: 1))
            $0.resealBuffer(column: 1, slot: 1)
        },
        "name-index-entry-out-of-range": {
            $0.store(UInt32(7), at: $0.nameIndexOffset)
            $0.resealDirectory()
        },
        "name-index-unsorted": {
            let index = $0.nameIndexOffset
            let first = $0.load(UInt32.self, at: index)
            $0.store($0.load(UInt32.self, at: index + 4), at: index)
            $0.store(first, at: index + 4)
            $0.resealDirectory()
        },
        "offsets-not-increasing": {
            let offsets = $0.bufferOffset(column: 1, slot: 1)
            $0.store(UInt32(3), at: offsets + 4)
            $0.store(UInt32(1), at: offsets + 8)
            $0.resealBuffer(column: 1, slot: 1)
        },
        // Cold columns (Specification.md §13.3): the chunk index header, at open.
        "chunk-index-bad-magic": {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] = UInt8(ascii: "X")
        },
        "cold-bad-chunk-index-magic": {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] = UInt8(ascii: "X")
        },
        "chunk-size-not-multiple-of-64": {
            $0.store(4100, ChunkIndexLayout.chunkSize, at: $0.bufferOffset(column: 0, slot: 2))
        },
        "chunk-count-mismatch": {
            $0.store(4, ChunkIndexLayout.chunkCount, at: $0.bufferOffset(column: 0, slot: 2))
        },
        "chunk-index-past-buffer": {
            $0.store(32, BufferDescriptorLayout.storedLength, at: $0.descriptorOffset(column: 0, slot: 2))
            $0.resealDirectory()
        },
        // Cold columns: the chunk entries, when the column is first decoded.
        "chunk-wrong-decoded-length": {
            $0.store(607, ChunkEntryLayout.decodedLength, at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 2))
        },
        "cold-chunk-decoded-length-wrong": {
            $0.store(4095, ChunkEntryLayout.decodedLength, at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 0))
        },
        "chunk-past-buffer": {
            let entry = $0.chunkEntryOffset(column: 1, slot: 2, chunk: 2)
            $0.store($0.load(ChunkEntryLayout.compressedLength, at: entry) + 1, ChunkEntryLayout.compressedLength, at: entry)
        },
        "overlapping-chunks": {
            let entry = $0.chunkEntryOffset(column: 2, slot: 1, chunk: 1)
            $0.store($0.load(ChunkEntryLayout.compressedOffset, at: entry) - 1, ChunkEntryLayout.compressedOffset, at: entry)
        },
        "chunk-overlaps-index": {
            let entry = $0.chunkEntryOffset(column: 4, slot: 2, chunk: 0)
            $0.store($0.load(ChunkEntryLayout.compressedOffset, at: entry) - 1, ChunkEntryLayout.compressedOffset, at: entry)
        },
        "cold-chunks-overlap": {
            let first = $0.chunkEntryOffset(column: 0, slot: 2, chunk: 0)
            $0.store($0.load(ChunkEntryLayout.compressedOffset, at: first), ChunkEntryLayout.compressedOffset,
                     at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 1))
        },
        // Cold columns: each chunk as it is decoded.
        "corrupt-chunk": {
            $0.bytes[$0.chunkOffset(column: 4, slot: 2, chunk: 1) + 600] ^= 0xFF
        },
        "cold-corrupt-zlib-stream": {
            $0.bytes[$0.chunkOffset(column: 0, slot: 2, chunk: 0)] = 0
        },
        // The last chunk made shorter with its buffer, so the chunks stay contiguous (§13.2).
        "truncated-chunk": { $0.shortenLastChunk(column: 2, slot: 0, by: 8) },
        "chunk-trailer-missing": { $0.shortenLastChunk(column: 3, slot: 2, by: 1) },
        "zstd-corrupt-frame": {
            $0.bytes[$0.chunkOffset(column: 4, slot: 2, chunk: 1) + 40] ^= 0xFF
        },
        "zstd-chunk-stray-bytes": {
            $0.rearrangeChunks(column: 0, slot: 2) { streams in
                streams[0].append(streams[1].removeFirst())
            }
        },
        "zstd-chunk-length-mismatch": {
            $0.rearrangeChunks(column: 0, slot: 2) { $0.swapAt(0, 2) }
        },
        "chunk-stray-bytes": {
            $0.rearrangeChunks(column: 0, slot: 2) { streams in
                streams[0].append(streams[1].removeFirst())
            }
        },
        "chunk-length-mismatch": {
            $0.rearrangeChunks(column: 0, slot: 2) { $0.swapAt(0, 2) }
        },
        "cold-chunk-decodes-too-long": {
            // 2,400 rows: the last chunk should decode to 1,408 bytes, but its stream holds 1,808.
            $0.store(2400, DirectoryHeaderLayout.rowCount, at: $0.directoryOffset)
            $0.store(2400, ColumnRecordLayout.rowCount, at: $0.recordOffset(0))
            $0.store(9600, BufferDescriptorLayout.decodedLength, at: $0.descriptorOffset(column: 0, slot: 2))
            $0.store(1408, ChunkEntryLayout.decodedLength, at: $0.chunkEntryOffset(column: 0, slot: 2, chunk: 2))
            $0.resealDirectory()
        },
        "chunk-checksum-mismatch": {
            $0.bytes[ChunkEntryLayout.checksum.at($0.chunkEntryOffset(column: 2, slot: 2, chunk: 1))] ^= 0x01
        },
        "cold-chunk-checksum-mismatch": {
            $0.bytes[ChunkEntryLayout.checksum.at($0.chunkEntryOffset(column: 0, slot: 2, chunk: 1))] ^= 0xFF
        },
        // The same bytes, read two ways: with the fuzz target's decode cap the cap refuses the
        // column before its chunks are looked at; without it, the first chunk's claim is refused.
        "cold-verify-over-decode-cap": claimHugeChunks,
        "chunk-expansion-too-high": claimHugeChunks,
        "chunk-gap": {
            let entry = $0.chunkEntryOffset(column: 1, slot: 2, chunk: 1)
            $0.store($0.load(ChunkEntryLayout.compressedOffset, at: entry) + 1, ChunkEntryLayout.compressedOffset, at: entry)
        },
        "bytes-after-last-chunk": {
            let descriptor = $0.descriptorOffset(column: 0, slot: 2)
            $0.store($0.load(BufferDescriptorLayout.storedLength, at: descriptor) + 1, BufferDescriptorLayout.storedLength,
                     at: descriptor)
            $0.resealDirectory()
        },
        "cold-buffer-checksum-mismatch": {
            $0.bytes[BufferDescriptorLayout.checksum.at($0.descriptorOffset(column: 3, slot: 2))] ^= 0x01
            $0.resealDirectory()
        },
        "buffer-checksum-mismatch": {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2)] ^= 0xFF
        },
        "null-count-disagrees": {
            $0.store(0, ColumnRecordLayout.nullCount, at: $0.recordOffset(1))
            $0.resealDirectory()
        },
        // Dictionary-encoded columns (Specification.md §6.4): the record, at open.
        "dictionary-bad-index-type": {
            $0.store(4, ColumnRecordLayout.dictionaryIndexType, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "dictionary-bad-value-type": {
            $0.store(PhysicalType.bool.rawValue, ColumnRecordLayout.dictionaryValueType, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "dictionary-record-too-short": {
            $0.store(UInt32(ColumnRecordLayout.length), DirectoryHeaderLayout.recordLength, at: $0.directoryOffset)
            $0.resealDirectory()
        },
        "dictionary-too-long-for-index-type": {
            $0.store(129, ColumnRecordLayout.dictionaryEntryCount, at: $0.recordOffset(0))
            $0.resealDirectory()
        },
        "dictionary-indices-length-mismatch": {
            $0.store(9, BufferDescriptorLayout.storedLength, at: $0.descriptorOffset(column: 0, slot: 2))
            $0.store(9, BufferDescriptorLayout.decodedLength, at: $0.descriptorOffset(column: 0, slot: 2))
            $0.resealDirectory()
        },
        "dictionary-buffer-on-plain-column": {
            // The plain Int64 column's dictionary offsets slot names the bytes of its values.
            let values = $0.descriptorOffset(column: 6, slot: 2)
            let slot = $0.descriptorOffset(column: 6, slot: 3)
            $0.bytes.replaceSubrange(slot..<(slot + 32), with: $0.bytes[values..<(values + 32)])
            $0.resealDirectory()
        },
        "dictionary-first-offset-not-zero": {
            $0.store(UInt32(1), at: $0.bufferOffset(column: 0, slot: 3))
            $0.resealBuffer(column: 0, slot: 3)
        },
        // Dictionary-encoded columns: the checks before the first value.
        "dictionary-offsets-decreasing": {
            let offsets = $0.bufferOffset(column: 0, slot: 3)
            $0.store(UInt32(3), at: offsets + 4)
            $0.store(UInt32(1), at: offsets + 8)
            $0.resealBuffer(column: 0, slot: 3)
        },
        "dictionary-invalid-utf8": {
            $0.bytes[$0.bufferOffset(column: 5, slot: 4) + 1] = 0xFF
            $0.resealBuffer(column: 5, slot: 4)
        },
        "dictionary-index-past-end": {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2) + 3] = 4
            $0.resealBuffer(column: 0, slot: 2)
        },
        "dictionary-null-index-not-minus-one": {
            $0.bytes[$0.bufferOffset(column: 0, slot: 2) + 2] = 0
            $0.resealBuffer(column: 0, slot: 2)
        },
        "invalid-utf8": {
            $0.bytes[$0.bufferOffset(column: 1, slot: 2) + 1] = 0xFF
            $0.resealBuffer(column: 1, slot: 2)
        },
    ]

    /// 64 MiB chunks of the cold seed's column: two full ones and the last 1,808 bytes, 134,219,536
    /// bytes in all, claimed by a 1 KiB file (chunk 0's ~830 compressed bytes claim 64 MiB: more
    /// than 65,536 times as many, Specification.md §8). verify() once decoded such a file without
    /// the cap and allocated all of it.
    private static func claimHugeChunks(_ file: inout FileBytes) {
        let rows = UInt64(2 * (64 << 20) + 1808) / 4
        file.store(rows, DirectoryHeaderLayout.rowCount, at: file.directoryOffset)
        file.store(rows, ColumnRecordLayout.rowCount, at: file.recordOffset(0))
        file.store(rows * 4, BufferDescriptorLayout.decodedLength, at: file.descriptorOffset(column: 0, slot: 2))
        file.store(64 << 20, ChunkIndexLayout.chunkSize, at: file.bufferOffset(column: 0, slot: 2))
        file.store(64 << 20, ChunkEntryLayout.decodedLength, at: file.chunkEntryOffset(column: 0, slot: 2, chunk: 0))
        file.store(64 << 20, ChunkEntryLayout.decodedLength, at: file.chunkEntryOffset(column: 0, slot: 2, chunk: 1))
        file.resealDirectory()
    }
}
