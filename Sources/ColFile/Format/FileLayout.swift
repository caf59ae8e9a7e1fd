/// A file's bytes that passed the checks Specification.md §9 makes at open, with lookups into its
/// directory and each column's first-use checks (``checkColumn(_:)``).
///
/// Building one is the whole of "open" apart from the system calls: it is pure, so tests and the
/// fuzzer can feed it bytes from memory.
struct FileLayout: Sendable {
    /// The whole file.
    let file: ByteView
    /// The header.
    let header: FileHeader
    /// The directory's bytes.
    let directory: ByteView
    /// The directory's header.
    let directoryHeader: DirectoryHeader
    /// The file being read.
    let context: ErrorContext
    /// Each column's first-use checks and their outcomes.
    private let firstUse = FirstUseChecks()

    /// Checks `file` as spec §9 says open does: the header, the trailer, the directory's checksum
    /// and header, the file metadata, every column's name and the name index. Each column's record
    /// is checked on its first use (``checkColumn(_:)``).
    ///
    /// - Complexity: O(directory length) for its CRC-32, plus O(columns) loads and comparisons of
    ///   names; reads no column data.
    ///
    /// - Parameter copies: The file's first 64 bytes and its bytes from the directory to the end,
    ///   when the caller has read them into memory (with `pread`, cheaper than faulting in the
    ///   mapping's first and last pages); they must equal the file's bytes at those places.
    init(validating file: ByteView, copies: MetadataCopies? = nil, context: ErrorContext) throws {
        let minimum = HeaderLayout.length + TrailerLayout.length
        guard 1.littleEndian == 1 else {
            throw context.error(.unsupportedHost, "colfile files are little-endian and this host is big-endian")
        }
        guard file.count >= minimum else {
            throw context.error(.truncated, "file is too short to be a colfile file", expected: "at least \(minimum) bytes",
                                found: "\(file.count) bytes")
        }
        let headerBytes = copies?.header ?? file.slice(offset: 0, length: HeaderLayout.length)
        let header = try FileHeader.parse(headerBytes, context: context)
        let location = header.directory
        guard location.offset >= UInt64(HeaderLayout.length),
              location.offset % UInt64(FormatConstants.bufferAlignment) == 0,
              location.length >= UInt64(DirectoryHeaderLayout.length),
              location.length <= FormatLimits.maxDirectoryLength else {
            throw context.error(.badDirectoryLocation, "the header gives an impossible directory location",
                                offset: HeaderLayout.directoryOffset.at(0),
                                expected: "offset a multiple of 64 and length 64 to \(FormatLimits.maxDirectoryLength)",
                                found: "offset \(location.offset) length \(location.length)")
        }
        let (directoryEnd, overflow) = location.offset.addingReportingOverflow(location.length)
        let (expectedSize, overflow2) = directoryEnd.addingReportingOverflow(UInt64(TrailerLayout.length))
        let actualSize = UInt64(file.count)
        guard !overflow, !overflow2, expectedSize <= actualSize else {
            throw context.error(.truncated, "file is truncated",
                                expected: overflow || overflow2 ? "an impossible size" : "\(expectedSize) bytes",
                                found: "\(actualSize) bytes")
        }
        guard expectedSize == actualSize else {
            throw context.error(.trailingBytes, "file has bytes after its trailer", offset: expectedSize,
                                expected: "\(expectedSize) bytes", found: "\(actualSize) bytes")
        }
        let tail = copies.flatMap { $0.tail(from: location.offset, fileSize: file.count) }
            ?? file.slice(offset: Int(location.offset), length: file.count - Int(location.offset))
        try FileTrailer.check(tail.slice(offset: Int(location.length), length: TrailerLayout.length),
                              matches: location, at: directoryEnd, context: context)
        let directory = tail.slice(offset: 0, length: Int(location.length))
        let actualChecksum = directory.crc32()
        guard actualChecksum == location.checksum else {
            throw context.error(.directoryChecksumMismatch, "directory checksum mismatch", offset: location.offset,
                                expected: hex(location.checksum), found: hex(actualChecksum))
        }
        try self.init(file: file, header: header, directory: directory, context: context)
    }

    /// Checks the directory of `file`, whose header, location and CRC-32 were checked: spec §9
    /// steps 12 to 15. A draft's description is checked this way too (Specification.md §15.6).
    init(file: ByteView, header: FileHeader, directory: ByteView, context: ErrorContext) throws {
        let directoryHeader = try DirectoryHeader.parse(directory, fileOffset: header.directory.offset,
                                                        context: context)
        self.file = file
        self.header = header
        self.directory = directory
        self.directoryHeader = directoryHeader
        self.context = context
        if directoryHeader.fileMetadataLength > 0 {
            try MetadataBlock.walk(fileMetadataBlock, offset: fileMetadataOffset, context: context)
        }
        try validateNames()
        try validateNameIndex()
    }

    /// The number of columns.
    var columnCount: Int { directoryHeader.columnCount }

    /// The record of column `index`, which must be below `columnCount`.
    func record(at index: Int) -> ColumnRecord {
        precondition(index >= 0 && index < columnCount, "column index out of range")
        return ColumnRecord(directory, at: directoryHeader.recordsOffset + index * directoryHeader.recordLength,
                            recordLength: directoryHeader.recordLength)
    }

    /// The name of column `index` (validated UTF-8).
    func name(at index: Int) -> String {
        validator.nameView(ofColumn: index).utf8String() ?? ""
    }

    /// The index of the column named `name`, found by binary search in the name index.
    ///
    /// - Complexity: O(log columns).
    func columnIndex(named name: String) -> Int? {
        var key = name
        return key.withUTF8 { keyBytes in
            let key = unsafe ByteView(UnsafeRawBufferPointer(keyBytes))
            let validator = self.validator
            var low = 0
            var high = columnCount
            while low < high {
                let middle = (low + high) / 2
                let index = nameIndexEntry(middle)
                let candidate = validator.nameView(ofColumn: index)
                if candidate.lexicographicallyPrecedes(key) {
                    low = middle + 1
                } else if key.lexicographicallyPrecedes(candidate) {
                    high = middle
                } else {
                    return index
                }
            }
            return nil
        }
    }

    /// The file metadata, decoded.
    func fileMetadata() throws -> [String: String] {
        guard directoryHeader.fileMetadataLength > 0 else { return [:] }
        return try MetadataBlock.decode(fileMetadataBlock, offset: fileMetadataOffset, context: context)
    }

    /// The metadata of column `index`, decoded.
    func columnMetadata(_ record: ColumnRecord) throws -> [String: String] {
        guard record.metadataLength > 0 else { return [:] }
        let block = directory.slice(offset: directoryHeader.heapOffset + Int(record.metadataOffset),
                                    length: Int(record.metadataLength))
        return try MetadataBlock.decode(block, offset: 0, context: context)
    }

    /// The heap bytes `[offset, offset + length)` of a validated record field.
    func heapBytes(offset: UInt32, length: Int) -> ByteView {
        directory.slice(offset: directoryHeader.heapOffset + Int(offset), length: length)
    }

    // MARK: - Validation

    private var validator: ColumnValidator {
        ColumnValidator(file: file, directory: directory, header: directoryHeader,
                        directoryOffset: header.directory.offset, context: context)
    }

    private var fileMetadataBlock: ByteView {
        heapBytes(offset: UInt32(directoryHeader.fileMetadataOffset), length: directoryHeader.fileMetadataLength)
    }

    private var fileMetadataOffset: UInt64 {
        header.directory.offset + UInt64(directoryHeader.heapOffset + directoryHeader.fileMetadataOffset)
    }

    private func nameIndexEntry(_ position: Int) -> Int {
        Int(directory.load(UInt32.self, at: directoryHeader.nameIndexOffset + position * 4))
    }

    /// Every column's name (§9 step 14.1), in directory order, so the name index can be checked and
    /// names read without the rest of each record; and that a dictionary-encoded column's record is
    /// long enough (a short record length misframes every later record).
    private func validateNames() throws {
        let validator = self.validator
        for index in 0..<columnCount {
            try validator.checkName(ofColumn: index)
            try validator.checkRecordLength(ofColumn: index)
        }
    }

    private func validateNameIndex() throws {
        let validator = self.validator
        var previous: ByteView?
        for position in 0..<columnCount {
            let index = nameIndexEntry(position)
            guard index < columnCount else {
                let entryOffset = header.directory.offset + UInt64(directoryHeader.nameIndexOffset + position * 4)
                throw context.error(.badNameIndex, "name index entry is not a column", offset: entryOffset,
                                    expected: "below \(columnCount)", found: index)
            }
            let name = validator.nameView(ofColumn: index)
            if let previous, !previous.lexicographicallyPrecedes(name) {
                let entryOffset = header.directory.offset + UInt64(directoryHeader.nameIndexOffset + position * 4)
                throw context.error(.badNameIndex, "column names are not unique and sorted in the name index",
                                    offset: entryOffset)
            }
            previous = name
        }
    }

    // MARK: - First use of a column

    /// Checks column `index`'s record the first time any thread asks (§9, "On a column's first
    /// use"), and afterwards answers as that check did.
    ///
    /// The record is checked by ``ColumnValidator/validate(_:index:previousEnd:)``, its buffers
    /// against the end of the nearest earlier column that stores bytes, as the one-pass check of
    /// §7 would have met them. Checked on every column, in any order, these pairs are that rule;
    /// checked in directory order (as `verify()` does), every error is the one-pass check's.
    ///
    /// - Returns: nil for a readable column, the error to refuse an unreadable one with (§9 14.2).
    /// - Throws: the first rule the record (or its placement) breaks, now and on every later ask.
    /// - Complexity: O(1) after the first ask; the first costs O(1) plus the number of columns
    ///   without stored bytes between this one and the nearest earlier one that has some.
    func checkColumn(_ index: Int) throws -> ColFileError? {
        precondition(index >= 0 && index < columnCount, "column index out of range")
        return try firstUse.outcome(for: index) {
            let validator = self.validator
            // A column without stored bytes has no placement to check: no walk back for it.
            var end = storedEnd(ofColumn: index) != nil ? endOfStoredBytes(before: index)
                : UInt64(HeaderLayout.length)
            return try validator.validate(record(at: index), index: index, previousEnd: &end)
        }
    }

    /// Where the stored bytes of column `index` end as its descriptors give them (unchecked), or
    /// nil when no buffer of it has stored bytes.
    private func storedEnd(ofColumn index: Int) -> UInt64? {
        // The record reads buffers 3 and 4 only when records are long enough to hold them (§5.2).
        let buffers = record(at: index).buffers
        var end: UInt64?
        for role in BufferRole.allCases {
            let descriptor = buffers[role.rawValue]
            guard descriptor.storedLength > 0 else { continue }
            let (bufferEnd, overflow) = descriptor.offset.addingReportingOverflow(descriptor.storedLength)
            end = max(end ?? 0, overflow ? .max : bufferEnd)
        }
        return end
    }

    /// Where the stored bytes of the nearest column before `index` that has some end (the start of
    /// the data region when none does).
    private func endOfStoredBytes(before index: Int) -> UInt64 {
        var earlier = index - 1
        while earlier >= 0 {
            if let end = storedEnd(ofColumn: earlier) { return end }
            earlier -= 1
        }
        return UInt64(HeaderLayout.length)
    }
}

/// Copies of the parts of a file that open reads before anything else: the header, and the
/// directory with the trailer (Specification.md §3–§5).
struct MetadataCopies {
    /// The first 64 bytes of the file.
    let header: ByteView
    /// The file's bytes from `tailOffset` to its end.
    let tailBytes: ByteView
    /// Where `tailBytes` start in the file.
    let tailOffset: UInt64

    /// The copied bytes from `offset` to the end of the file, if the copy starts exactly there.
    func tail(from offset: UInt64, fileSize: Int) -> ByteView? {
        guard offset == tailOffset, UInt64(tailBytes.count) == UInt64(fileSize) - offset else { return nil }
        return tailBytes
    }
}
