import SystemPackage

/// The one error type of colfile: every failure to read, validate or write a file.
///
/// Each error has a fine-grained ``Code`` and the context a person needs to act on it: the file,
/// the column when known, the byte offset when known, what was expected and what was found, and
/// the underlying `Errno` for system-call failures. ``description`` renders all of it as one
/// sentence, for example
/// `data.col: column 'price': buffer 2 at offset 4096 length 800 runs past the end of the data (ends at 2048)`.
public struct ColFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. The raw value is stable and may be matched by scripts.
    ///
    /// The codes of bad-file conditions are listed, in checking order, in `Specification.md` §9.
    public enum Code: String, Sendable, CaseIterable {
        /// The host is big-endian; colfile files are little-endian (Specification.md §2).
        case unsupportedHost
        /// A system call failed; ``ColFileError/errno`` says why.
        case io
        /// The path names a directory, FIFO, socket, or character or block device: colfile files
        /// are regular files, read through a memory mapping. Found at open, before any byte is read
        /// (a FIFO is opened without waiting for a writer).
        case notARegularFile
        /// The file changed or was truncated while this process had it mapped, so values read from
        /// it after the change may be zeros (RELIABILITY.md, "Faults around the file"). Published
        /// files must never be modified in place: publish new versions by atomic rename.
        case fileChanged
        /// The file is shorter than its header and directory say it must be.
        case truncated
        /// The file is longer than its header and directory say it must be.
        case trailingBytes
        /// The file does not start with the colfile magic: it is not a colfile file.
        case badMagic
        /// The file's major format version is not one this reader knows.
        case unsupportedMajorVersion
        /// A header field other than the magic and version is invalid.
        case badHeader
        /// The header's CRC-32 does not match its bytes.
        case headerChecksumMismatch
        /// The header sets a required feature flag this reader does not know.
        case unsupportedFeatures
        /// The directory offset or length is impossible.
        case badDirectoryLocation
        /// The trailer is missing or disagrees with the header.
        case badTrailer
        /// The directory's CRC-32 does not match its bytes.
        case directoryChecksumMismatch
        /// The directory header or the layout of the directory is invalid.
        case badDirectory
        /// A file or column metadata block is invalid.
        case badMetadata
        /// A column name is empty, too long, outside the heap or not UTF-8.
        case badColumnName
        /// A column's physical type code is not defined.
        case unknownPhysicalType
        /// A column uses a codec this reader does not know.
        case unsupportedCodec
        /// A column's flags, rank, shape, time unit or time zone are invalid.
        case badColumnType
        /// A logical type is stored on a physical type it does not allow.
        case logicalTypeMismatch
        /// A column's row count differs from the table's.
        case rowCountMismatch
        /// A null count is impossible, or disagrees with the validity bitmap.
        case badNullCount
        /// A buffer's length is not the one its type and row count require.
        case bufferLengthMismatch
        /// A buffer lies outside the data region of the file.
        case bufferOutOfBounds
        /// A buffer does not start at a multiple of 64.
        case misalignedBuffer
        /// A buffer starts before the previous buffer ends.
        case overlappingBuffers
        /// A string or binary column's first or last offset is wrong.
        case badOffsets
        /// A string or binary column's offsets decrease.
        case offsetsNotIncreasing
        /// The name index is out of range or not sorted.
        case badNameIndex
        /// A compressed buffer's chunk index header is invalid (Specification.md §13).
        case badChunkIndex
        /// A chunk's compressed bytes lie outside their buffer, or a chunk's decoded length is wrong in the index.
        case chunkOutOfRange
        /// A chunk's compressed bytes overlap the index or the previous chunk.
        case overlappingChunks
        /// A chunk's compressed bytes do not start right after the index or the previous chunk, or
        /// bytes follow the last chunk (Specification.md §13.2: chunks are contiguous).
        case chunkGap
        /// A chunk's compressed stream is truncated or corrupt.
        case corruptChunk
        /// A chunk decodes to another length than its index says.
        case chunkLengthMismatch
        /// A decoded chunk's CRC-32 does not match the index.
        case chunkChecksumMismatch
        /// Decoding the column would exceed the caller's limit on decoded bytes.
        case decodeLimitExceeded
        /// The column is compressed and the reader was told never to decode (no silent copy).
        case wouldDecode
        /// The column's codec is known but cannot be decoded in this process (zstd without the
        /// system's `libzstd.so.1`); not a fault of the file.
        case codecUnavailable
        /// A buffer's CRC-32 does not match its bytes (found by verification).
        case bufferChecksumMismatch
        /// A string column holds bytes that are not UTF-8 (found before its first value is served,
        /// and by verification).
        case invalidUTF8
        /// A row of a dictionary-encoded column holds an index outside its dictionary, or a null
        /// row's index is not −1 (Specification.md §6.4; found before the column's first value is
        /// served, and by verification).
        case badDictionaryIndex
        /// No column has the name asked for.
        case noSuchColumn
        /// The column exists but is not of the type asked for.
        case typeMismatch
        /// The writer was given values it cannot store.
        case invalidArgument
        /// The file is an unsealed draft (Specification.md §15), not a published colfile file:
        /// seal it first (`colfile draft seal`).
        case unsealedDraft
        /// The draft was sealed but not yet published under its target's name: seal it again to
        /// publish it (Specification.md §15.5).
        case sealedDraft
        /// The draft is held by another process: a seal is running, or writers still have it open.
        case draftBusy
        /// A draft header field other than the magic, version, length and checksum is invalid.
        case badDraftHeader
        /// A draft's description or claim table breaks a rule of Specification.md §15.
        case badDraftLayout
        /// A seal that requires every range done found ranges that are not.
        case draftIncomplete
        /// A dataset's manifest is a colfile file but not a valid manifest (Specification.md §14.2).
        case badManifest
        /// A shard file differs from what the dataset's manifest says of it: another identity, row
        /// count, size or schema (Specification.md §14.3, §14.5). Never a silent mix of versions.
        case shardMismatch
        /// Another writer published the dataset version this one was about to publish, and the
        /// change cannot be applied on top of it (Specification.md §14.5).
        case versionConflict
    }

    /// What went wrong.
    public var code: Code
    /// The file the error is about.
    public var path: String
    /// The column the error is about, when there is one.
    public var column: String?
    /// The chunk of a compressed buffer the error is about, when there is one.
    public var chunk: Int?
    /// The byte offset in the file where the problem was found, when known.
    public var offset: UInt64?
    /// One phrase that says what is wrong, without the file, column or offset.
    public var message: String
    /// The value the format requires, when the error compares two values.
    public var expected: String?
    /// The value found in the file, when the error compares two values.
    public var found: String?
    /// The system error, for ``Code/io``.
    public var errno: Errno?

    /// Creates an error. Readers and writers create these; callers usually only inspect them.
    public init(
        _ code: Code, path: String, column: String? = nil, chunk: Int? = nil, offset: UInt64? = nil,
        message: String, expected: (any CustomStringConvertible)? = nil,
        found: (any CustomStringConvertible)? = nil, errno: Errno? = nil
    ) {
        self.code = code
        self.path = path
        self.column = column
        self.chunk = chunk
        self.offset = offset
        self.message = message
        self.expected = expected?.description
        self.found = found?.description
        self.errno = errno
    }

    /// One sentence: `PATH: column 'NAME': chunk C: MESSAGE at offset N (expected E, found F): ERRNO`.
    public var description: String {
        var text = path.isEmpty ? "<memory>" : path
        text += ": "
        if let column { text += "column '\(column)': " }
        if let chunk { text += "chunk \(chunk): " }
        text += message
        if let offset { text += " at offset \(offset)" }
        switch (expected, found) {
        case let (expected?, found?): text += " (expected \(expected), found \(found))"
        case let (expected?, nil): text += " (expected \(expected))"
        case let (nil, found?): text += " (found \(found))"
        case (nil, nil): break
        }
        if let errno { text += ": \(errno.description) (errno \(errno.rawValue))" }
        return text
    }
}
