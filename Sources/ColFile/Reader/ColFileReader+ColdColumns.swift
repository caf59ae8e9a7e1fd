extension ColFileReader {
    /// The decoded copy of compressed column `info`: found in this reader's memo, mapped from the
    /// shared cache, or decoded now, as ``ReaderOptions/coldColumns`` says. Concurrent callers
    /// wait for one decode.
    func decodedRegion(_ info: ColumnInfo, layout: DecodedLayout) throws -> MappedRegion {
        try memos.decodedColumns.withLock { decoded in
            if let region = decoded[info.index] { return region }
            let context = ErrorContext(path: path, column: info.name)
            try checkDecodeLimit(info)
            let region: MappedRegion
            switch options.coldColumns {
            case .refuse:
                throw context.error(.wouldDecode, "the column is compressed and this reader does not decode")
            case .privateMemory:
                region = try decodePrivately(info, layout: layout)
            case .sharedCache:
                do {
                    let cache = try DecodeCache(folder: options.cacheFolder)
                    // The same checks as before a decode, so the answer never depends on the cache (§3).
                    try checkChunkIndexes(info)
                    region = try cache.entry(for: info, of: self, layout: layout)
                } catch let unusable as DecodeCache.Unusable {
                    recordCacheFallback(CacheFallback(path: path, column: info.name, folder: unusable.folder,
                                                      reason: unusable.reason, errno: unusable.errno))
                    region = try decodePrivately(info, layout: layout)
                }
            }
            decoded[info.index] = region
            return region
        }
    }

    /// Checks every entry of the chunk index of each of `info`'s compressed buffers (Specification.md
    /// §13.3): O(chunks), what a decode checks first, done also before a decoded copy is used.
    func checkChunkIndexes(_ info: ColumnInfo) throws {
        let context = ErrorContext(path: path, column: info.name)
        for buffer in info.buffers where buffer.decodedLength > 0 {
            let stored = region.view.slice(offset: Int(buffer.offset), length: Int(buffer.storedLength))
            try ChunkIndex(stored: stored, decodedLength: buffer.decodedLength, fileOffset: buffer.offset, context: context)
                .validateEntries(fileOffset: buffer.offset, context: context)
        }
    }

    /// Throws ``ColFileError/Code/decodeLimitExceeded`` when `info`'s decoded buffers together
    /// exceed ``ReaderOptions/maxDecodedBytes`` (Specification.md §13.3), before anything is allocated.
    func checkDecodeLimit(_ info: ColumnInfo) throws {
        let total = info.buffers.reduce(UInt64(0)) { $0 + $1.decodedLength }
        guard total <= options.maxDecodedBytes else {
            throw ErrorContext(path: path, column: info.name).error(
                .decodeLimitExceeded, "decoding the column needs more memory than allowed",
                expected: "at most \(options.maxDecodedBytes) bytes", found: "\(total) bytes")
        }
    }

    /// Decodes every buffer of `info` into private memory, on ``ReaderOptions/decodeThreads`` threads.
    func decodePrivately(_ info: ColumnInfo, layout: DecodedLayout, checkingChecksums: Bool = false) throws
        -> MappedRegion {
        try unsafe MappedRegion(allocating: layout.totalLength) { memory in
            for buffer in info.buffers where buffer.decodedLength > 0 {
                let decoder = try chunkDecoder(info, buffer, checkingChecksums: checkingChecksums)
                let location = layout.locations[buffer.role.rawValue]!
                try unsafe decoder.decode(
                    chunks: 0..<decoder.index.chunkCount,
                    into: UnsafeMutableRawBufferPointer(
                        rebasing: memory[Int(location.offset)..<(Int(location.offset) + location.length)]),
                    threads: options.decodeThreads)
            }
        }
    }

    /// A decoder for one compressed buffer of `info`, its chunk index validated; it checks chunk
    /// CRC-32s when asked to or when ``ReaderOptions/checksChunkChecksums`` is set.
    package func chunkDecoder(_ info: ColumnInfo, _ buffer: BufferInfo, checkingChecksums: Bool = false) throws
        -> ChunkDecoder {
        try ChunkDecoder(file: region.view, buffer: buffer, codec: info.codec,
                         checksChecksums: checkingChecksums || options.checksChunkChecksums,
                         context: ErrorContext(path: path, column: info.name))
    }
}
