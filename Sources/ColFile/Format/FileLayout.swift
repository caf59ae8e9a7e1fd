/// A file's bytes that passed the checks Specification.md §9 makes at open, with lookups into its
/// directory and each column's first-use checks (``checkColumn(_:)``).
///
/// Building one is the whole of "open" apart from the system calls: it is pure, so tests and the
/// fuzzer can feed it bytes from memory.
///
/// Not copyable, made once per reader (or draft, or seal) and held inside it: the reader's calls
/// and the first-use checks borrow it. As a copyable struct of some 200 bytes holding the path and
/// the first-use table, each call that took a copy of it (two on every attach) retained and
/// released those, about 400 instructions an attach; as a class of its own, it was one more
/// allocation, release and free on every attach (BENCHMARKS.md, "Attach: the user-space work at
/// open"). The first-use table lives in it.
struct FileLayout: ~Copyable, Sendable {
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
    /// and header, and the file metadata. Each column's name and record are checked on its first
    /// use (``checkColumn(_:)``), the names a lookup visits by that lookup (``columnIndex(named:)``),
    /// and every name with the whole name index when all are listed (``checkNames()``).
    ///
    /// - Complexity: O(directory length) for its CRC-32, plus O(1); reads no column data.
    ///
    /// - Parameter readTail: Reads the file's bytes from the directory to the end into memory
    ///   (with `pread`, cheaper than faulting in the mapping's last pages), given where they start
    ///   and how many there are once the header that names them passed its checks; nil to read
    ///   them through `file`. What it returns must equal the file's bytes at that place.
    init(validating file: ByteView, context: ErrorContext,
         readTail: (_ offset: UInt64, _ length: Int) -> MetadataCopies? = { _, _ in nil }) throws {
        let minimum = HeaderLayout.length + TrailerLayout.length
        guard 1.littleEndian == 1 else {
            throw context.error(.unsupportedHost, "colfile files are little-endian and this host is big-endian")
        }
        guard file.count >= minimum else {
            throw context.error(.truncated, "file is too short to be a colfile file", expected: "at least \(minimum) bytes",
                                found: "\(file.count) bytes")
        }
        let header = try FileHeader.parse(file.slice(offset: 0, length: HeaderLayout.length), context: context)
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
        let tailLength = file.count - Int(location.offset)
        let tail = readTail(location.offset, tailLength)?.tail(from: location.offset, fileSize: file.count)
            ?? file.slice(offset: Int(location.offset), length: tailLength)
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
    /// steps 12 and 13. A draft's description is checked this way too, then with ``checkNames()``
    /// and every column's ``checkColumn(_:)`` (Specification.md §15.6).
    init(file: ByteView, header: FileHeader, directory: ByteView, context: ErrorContext) throws {
        let directoryHeader = try DirectoryHeader.parse(directory, fileOffset: header.directory.offset,
                                                        context: context)
        // Checked before `self` is made: a value that is not copyable cannot be half-made and thrown away.
        if directoryHeader.fileMetadataLength > 0 {
            let (block, offset) = Self.fileMetadata(directory, directoryHeader, at: header.directory.offset)
            try MetadataBlock.walk(block, offset: offset, context: context)
        }
        self.file = file
        self.header = header
        self.directory = directory
        self.directoryHeader = directoryHeader
        self.context = context
    }

    /// The number of columns.
    var columnCount: Int { directoryHeader.columnCount }

    /// The record of column `index`, which must be below `columnCount`.
    func record(at index: Int) -> ColumnRecord {
        precondition(index >= 0 && index < columnCount, "column index out of range")
        return ColumnRecord(directory, at: directoryHeader.recordsOffset + index * directoryHeader.recordLength,
                            recordLength: directoryHeader.recordLength)
    }

    /// The name of column `index` (validated UTF-8), which ``checkColumn(_:)`` or ``checkNames()``
    /// checked first.
    func name(at index: Int) -> String {
        validator.nameView(ofColumn: index).utf8String() ?? ""
    }

    /// The index of the column named `name`, found by binary search in the name index.
    ///
    /// The search checks what it visits (Specification.md §9, "On a lookup by name"): each entry
    /// names a column, that column's name passes step 14.1, and each name lies strictly between
    /// the names of the entries that bound the search so far. So a lookup that finds its column
    /// costs O(log columns) whether or not the whole index was checked. A lookup that finds none
    /// checks every name and the whole index first (``checkNames()``, once per layout), so that
    /// "no such column" is never the answer of an index out of order.
    ///
    /// - Returns: The column's index, or nil when no column has that name.
    /// - Throws: ``ColFileError/Code/badNameIndex`` or ``ColFileError/Code/badColumnName`` for what
    ///   the search visits, or for any name or entry when it finds no column.
    /// - Complexity: O(log columns) when the column is found; O(columns) for the first miss.
    func columnIndex(named name: String) throws -> Int? {
        guard let index = try search(name) else {
            try checkNames()
            return nil
        }
        return index
    }

    /// The binary search of ``columnIndex(named:)``, checking what it visits.
    private func search(_ name: String) throws -> Int? {
        var key = name
        return try key.withUTF8 { keyBytes in
            let key = unsafe ByteView(UnsafeRawBufferPointer(keyBytes))
            let validator = self.validator
            var low = 0
            var high = columnCount
            // The names of the entries at `low - 1` and `high`, once the search has visited them.
            var below: ByteView?
            var above: ByteView?
            while low < high {
                let middle = (low + high) / 2
                let index = try checkedNameIndexEntry(middle)
                try validator.checkName(ofColumn: index)
                let candidate = validator.nameView(ofColumn: index)
                if let below, !below.lexicographicallyPrecedes(candidate) { throw unsortedNames(at: middle) }
                if let above, !candidate.lexicographicallyPrecedes(above) { throw unsortedNames(at: middle) }
                let order = candidate.compare(key)
                if order < 0 {
                    low = middle + 1
                    below = candidate
                } else if order > 0 {
                    high = middle
                    above = candidate
                } else {
                    return index
                }
            }
            return nil
        }
    }

    /// Checks every column's name in directory order (§9 step 14.1, with a dictionary-encoded
    /// column's record length), then the whole name index (step 15), the first time any thread
    /// asks; afterwards answers as that check did. Listing every name needs it.
    ///
    /// - Throws: the first name or name index entry that breaks a rule, now and on every later ask.
    /// - Complexity: O(columns) the first time, O(1) after.
    func checkNames() throws {
        try firstUse.namesOutcome {
            try validateNames()
            try validateNameIndex()
        }
    }

    /// The file metadata, decoded.
    func fileMetadata() throws -> [String: String] {
        guard directoryHeader.fileMetadataLength > 0 else { return [:] }
        let (block, offset) = Self.fileMetadata(directory, directoryHeader, at: header.directory.offset)
        return try MetadataBlock.decode(block, offset: offset, context: context)
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

    /// The file metadata block of `directory` (whose header is `directoryHeader`, checked) and its
    /// offset in the file, given the directory's offset.
    private static func fileMetadata(_ directory: ByteView, _ directoryHeader: DirectoryHeader,
                                     at directoryOffset: UInt64) -> (block: ByteView, offset: UInt64) {
        let start = directoryHeader.heapOffset + directoryHeader.fileMetadataOffset
        return (directory.slice(offset: start, length: directoryHeader.fileMetadataLength),
                directoryOffset + UInt64(start))
    }

    private func nameIndexEntry(_ position: Int) -> Int {
        Int(directory.load(UInt32.self, at: directoryHeader.nameIndexOffset + position * 4))
    }

    /// The name index's entry at `position`, which must name a column (§9 step 15).
    private func checkedNameIndexEntry(_ position: Int) throws -> Int {
        let index = nameIndexEntry(position)
        guard index < columnCount else {
            throw context.error(.badNameIndex, "name index entry is not a column", offset: nameIndexEntryOffset(position),
                                expected: "below \(columnCount)", found: index)
        }
        return index
    }

    /// The file offset of the name index's entry at `position`.
    private func nameIndexEntryOffset(_ position: Int) -> UInt64 {
        header.directory.offset + UInt64(directoryHeader.nameIndexOffset + position * 4)
    }

    /// The error for names out of order at the name index's entry at `position` (§9 step 15).
    private func unsortedNames(at position: Int) -> ColFileError {
        context.error(.badNameIndex, "column names are not unique and sorted in the name index",
                      offset: nameIndexEntryOffset(position))
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

    /// The name index in full (§9 step 15): every entry names a column, names strictly increasing
    /// (which also proves the index a permutation). Every name was checked before.
    private func validateNameIndex() throws {
        let validator = self.validator
        var previous: ByteView?
        for position in 0..<columnCount {
            let name = validator.nameView(ofColumn: try checkedNameIndexEntry(position))
            if let previous, !previous.lexicographicallyPrecedes(name) { throw unsortedNames(at: position) }
            previous = name
        }
    }

    // MARK: - First use of a column

    /// Checks column `index`'s name and record the first time any thread asks (§9, "On a column's
    /// first use"), and afterwards answers as that check did.
    ///
    /// The name is checked first (step 14.1, with a dictionary-encoded column's record length), then
    /// the record by ``ColumnValidator/validate(_:index:previousEnd:)``, its buffers
    /// against the end of the nearest earlier column that stores bytes, as the one-pass check of
    /// §7 would have met them. Checked on every column, in any order, these pairs are that rule;
    /// checked in directory order (as `verify()` does), every error is the one-pass check's.
    ///
    /// - Returns: nil for a readable column, the error to refuse an unreadable one with (§9 14.2).
    /// - Throws: the first rule the record (or its placement) breaks, now and on every later ask.
    /// - Parameter nameChecked: Whether the caller found the column by ``columnIndex(named:)``,
    ///   which checked its name (step 14.1, but for the record length): not checked again.
    /// - Complexity: O(1) after the first ask; the first costs O(1) plus the number of columns
    ///   without stored bytes between this one and the nearest earlier one that has some.
    func checkColumn(_ index: Int, nameChecked: Bool = false) throws -> ColFileError? {
        precondition(index >= 0 && index < columnCount, "column index out of range")
        return try firstUse.outcome(for: index) {
            let validator = self.validator
            // The name first (§9 step 14.1), as a check of every name would meet it.
            if !nameChecked { try validator.checkName(ofColumn: index) }
            try validator.checkRecordLength(ofColumn: index)
            let record = record(at: index)
            // A column without stored bytes has no placement to check: no walk back for it.
            var end = Self.storedEnd(of: record) != nil ? endOfStoredBytes(before: index)
                : UInt64(HeaderLayout.length)
            // A plain column's checks in one small function; any other record, or a broken one, the full checks.
            if validator.acceptsPlainColumn(record, previousEnd: end) {
                assert({
                    var fullEnd = end
                    do { return try validator.validate(record, index: index, previousEnd: &fullEnd) == nil } catch { return false }
                }(), "a plain column the full checks refuse was accepted")
                return nil
            }
            return try validator.validate(record, index: index, previousEnd: &end)
        }
    }

    /// Where the stored bytes of `record`'s column end as its descriptors give them (unchecked),
    /// or nil when no buffer of it has stored bytes.
    private static func storedEnd(of record: ColumnRecord) -> UInt64? {
        // The record reads buffers 3 and 4 only when records are long enough to hold them (§5.2).
        let buffers = record.buffers
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
            if let end = Self.storedEnd(of: record(at: earlier)) { return end }
            earlier -= 1
        }
        return UInt64(HeaderLayout.length)
    }
}

/// A copy of the part of a file that open reads after the header: the directory with the
/// trailer (Specification.md §4, §5).
struct MetadataCopies {
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
