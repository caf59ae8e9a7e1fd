import SystemPackage

/// An open colfile file: a read-only, shared mapping of the file plus its validated directory.
///
/// Opening costs the same whatever the size of the data: `open`, `fstat`,
/// `mmap(PROT_READ, MAP_SHARED)`, `close`, then the checks Specification.md §9 makes at open (the
/// header, the trailer, one CRC-32 over the directory, the directory header and the file metadata);
/// each column's name and record are checked on its first use, and a lookup by name checks the
/// name index entries it visits. Column views read values in place from the mapping, so any number of processes that
/// open the same file share one copy of its pages in the kernel's page cache.
///
/// A reader and its views are immutable and `Sendable`: read them from any number of threads. Views
/// keep the mapping alive, so they stay valid after the reader is released.
///
/// ```swift
/// let reader = try ColFileReader.open("features.col")
/// let prices = try reader.column("price", as: Double.self)
/// print(prices.count, prices.sum())
/// ```
public final class ColFileReader: Sendable, CustomStringConvertible {
    /// The path the file was opened from.
    public let path: String
    let region: MappedRegion
    let layout: FileLayout
    /// How this reader treats compressed columns.
    public var options: ReaderOptions { chosenOptions?.options ?? ReaderOptions() }
    /// The options given to open, nil for the defaults: an attach with the defaults then builds,
    /// copies and destroys no `ReaderOptions` (about 190 instructions, BENCHMARKS.md "Attach: the
    /// user-space work at open").
    private let chosenOptions: ChosenReaderOptions?
    private let openedIdentity: FileSystemIdentity?
    /// What this reader remembers between calls, made on the first call that needs it.
    private let memoStorage = LazyReference<ReaderMemos>()

    /// The directory and trailer read with `pread` at open, when they were (see ``MetadataCopy``);
    /// the layout's directory points into it. Held inline: its buffer is its only allocation.
    private let metadataCopy: MetadataCopy?

    /// A reader of the bytes of `region`, which reads the directory and trailer from `fd` with
    /// `pread` when given one (``MetadataCopy``), else through the region.
    init(path: String, region: MappedRegion, identity: FileSystemIdentity?, options: ChosenReaderOptions?,
         readingTailFrom fd: FileDescriptor? = nil) throws {
        self.path = path
        self.region = region
        self.chosenOptions = options
        self.openedIdentity = identity
        var copy: MetadataCopy?
        self.layout = try FileLayout(validating: region.view, context: ErrorContext(path: path)) { offset, length in
            guard let fd else { return nil }
            copy = MetadataCopy(reading: fd, at: offset, length: length)
            return copy?.copies
        }
        self.metadataCopy = copy
    }

    /// Opens, maps and validates the file at `path`, with the default ``ReaderOptions``.
    ///
    /// The same as ``open(_:options:)`` with `ReaderOptions()`.
    ///
    /// - Parameter path: The file to open.
    /// - Returns: A reader of the file.
    /// - Throws: as ``open(_:options:)``.
    /// - Complexity: as ``open(_:options:)``.
    public static func open(_ path: String) throws -> ColFileReader {
        try open(path, chosenOptions: nil)
    }

    /// Opens, maps and validates the file at `path`.
    ///
    /// The file is opened without blocking (`O_NONBLOCK`, so a FIFO does not wait for a writer)
    /// and must be a regular file. The mapping is guarded: if the file is truncated while mapped,
    /// the process is not killed (see ``checkIntact()``).
    ///
    /// - Parameters:
    ///   - path: The file to open.
    ///   - options: How to treat compressed (cold) columns.
    /// - Returns: A reader of the file.
    /// - Throws: ``ColFileError`` with code ``ColFileError/Code/io`` when the file cannot be
    ///   opened or mapped, ``ColFileError/Code/notARegularFile`` for a directory, FIFO, socket or
    ///   device, ``ColFileError/Code/fileChanged`` when it is truncated while being opened, or the
    ///   code of the first check Specification.md §9 makes at open.
    /// - Complexity: O(directory size) for its CRC-32, plus O(1); independent of the size of the
    ///   data and of the number of columns but for the CRC-32.
    public static func open(_ path: String, options: ReaderOptions) throws -> ColFileReader {
        try open(path, chosenOptions: ChosenReaderOptions(options))
    }

    /// ``open(_:)`` with the directory and trailer read with `pread` (as ``open(_:)`` does) or
    /// through the mapping (as a file held in memory is read): for tests of both ways.
    package static func open(_ path: String, readsTailWithPread: Bool) throws -> ColFileReader {
        try open(path, chosenOptions: nil, readsTailWithPread: readsTailWithPread)
    }

    /// ``open(_:options:)`` with `options` (nil for the defaults), the directory and trailer read
    /// with `pread` unless `readsTailWithPread` is false.
    ///
    /// A file's tail is read with one `pread` whatever its size: on this project's machines a
    /// `pread` of the tail added 0.5–1 µs to the kernel's floor at every size measured, where a
    /// load from the mapping's last page added from −1 µs (a 10 MB file, session 8's machine) to
    /// +9 µs (100 MB to 1.6 GB, and 10 MB on issue #16's last machine), by how the page cache
    /// holds the file and how the unmap flushes the TLB (BENCHMARKS.md, "Wide tables and attach").
    private static func open(_ path: String, chosenOptions options: ChosenReaderOptions?,
                             readsTailWithPread: Bool = true) throws -> ColFileReader {
        let (fd, status) = try openRegularFile(path)
        // Closed on every path once the file is mapped and its tail read. Not `closeAfter`: its
        // generic closure and thunks cost about 80 instructions an attach, and it threw a failed
        // `close` of this read-only descriptor as a bare `Errno` (nothing a reader can act on).
        defer { try? fd.close() }
        let region: MappedRegion
        do throws(Errno) {
            region = try MappedRegion(mapping: fd, length: status.size, path: path)
        } catch {
            throw ColFileError(.io, path: path, message: "cannot map the file", errno: error)
        }
        do {
            return try ColFileReader(path: path, region: region,
                                     identity: FileSystemIdentity(device: status.device, inode: status.inode),
                                     options: options,
                                     readingTailFrom: readsTailWithPread ? fd : nil)
        } catch let error as ColFileError where region.isDamaged {
            // Checks of a file that lost pages under the mapping meet zeros: say what happened.
            _ = error
            throw Self.changeError(path: path)
        }
    }

    /// `path` opened read-only for ``open(_:options:)`` (and the harness's private copy).
    ///
    /// - Throws: ``ColFileError/Code/io`` naming the file and the errno;
    ///   ``ColFileError/Code/notARegularFile``.
    package static func openForReading(_ path: String) throws -> FileDescriptor {
        try openRegularFile(path).fd
    }

    /// Opens `path` read-only and without blocking (a FIFO would wait for a writer; a terminal
    /// could become the controlling one), then checks with `fstat` that it is a regular file.
    ///
    /// - Returns: The open file and its size and identity.
    /// - Throws: ``ColFileError/Code/io``; ``ColFileError/Code/notARegularFile`` for a directory,
    ///   FIFO, socket (which `open` refuses with `ENXIO`) or device.
    static func openRegularFile(_ path: String) throws
        -> (fd: FileDescriptor, status: (size: Int, device: UInt64, inode: UInt64)) {
        let fd: FileDescriptor
        do throws(Errno) {
            fd = try Syscalls.openForReading(path)
        } catch let errno {
            if errno == .noSuchAddressOrDevice, let kind = Syscalls.kind(ofPath: path), kind != .regular {
                throw kind.error(path: path)
            }
            throw ColFileError(.io, path: path, message: "cannot open the file", errno: errno)
        }
        let status: (size: Int, device: UInt64, inode: UInt64, kind: FileKind)
        do throws(Errno) {
            status = try Syscalls.statusAndKind(fd)
        } catch {
            try? fd.close()
            throw ColFileError(.io, path: path, message: "cannot map the file", errno: error)
        }
        guard status.kind == .regular else {
            try? fd.close()
            throw status.kind.error(path: path)
        }
        return (fd, (status.size, status.device, status.inode))
    }

    /// Validates a file held in memory, as `open` validates a file on disk (for tests and fuzzing).
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: The name to use in errors.
    package static func open(bytes: [UInt8], path: String = "<memory>",
                            options: ReaderOptions = ReaderOptions(coldColumns: .privateMemory)) throws -> ColFileReader {
        try ColFileReader(path: path, region: MappedRegion(copying: bytes), identity: nil,
                          options: ChosenReaderOptions(options))
    }

    /// What this reader remembers between calls, made now if this is the first call that needs it.
    var memos: ReaderMemos {
        memoStorage.load { ReaderMemos() }
    }

    /// What this reader remembers, nil while no call needed it (so nothing was remembered).
    var memosIfMade: ReaderMemos? { memoStorage.load() }

    // MARK: - The file

    /// The format version of the file, e.g. `1.0`.
    public var formatVersion: String { "\(layout.header.majorVersion).\(layout.header.minorVersion)" }

    /// The file's identity: its random file id and its directory checksum (Specification.md §3).
    public var identity: FileIdentity {
        FileIdentity(fileID: layout.header.fileID, directoryChecksum: layout.header.directory.checksum)
    }

    /// The size of the file in bytes.
    public var fileBytes: Int { region.view.count }

    /// The number of rows of every column.
    public var rowCount: Int { Int(clamping: layout.directoryHeader.rowCount) }

    /// The number of columns.
    public var columnCount: Int { layout.columnCount }

    /// The file's key/value metadata.
    public var metadata: [String: String] { (try? layout.fileMetadata()) ?? [:] }

    /// Every column's description, in directory order.
    ///
    /// - Throws: the first name or name index entry that breaks a rule (every name and the whole
    ///   name index are checked first, once per reader), then the first column whose record fails
    ///   its first-use checks (Specification.md §9).
    /// - Complexity: O(columns); use ``info(_:)`` to look up one column in O(log columns).
    public var columns: [ColumnInfo] {
        get throws {
            try intact {
                try layout.checkNames()
                return try (0..<columnCount).map { try describe(at: $0) }
            }
        }
    }

    /// Every column's name, in directory order.
    ///
    /// The first listing checks every name and the whole name index (Specification.md §9), once
    /// per reader; it checks no other field of any record.
    ///
    /// - Throws: the first name or name index entry that breaks a rule.
    /// - Complexity: O(columns).
    public var columnNames: [String] {
        get throws {
            try intact {
                try layout.checkNames()
                return (0..<columnCount).map { layout.name(at: $0) }
            }
        }
    }

    /// `ColFileReader(path: "trades.col", rows: 3, columns: 2)`.
    public var description: String {
        "ColFileReader(path: \"\(path)\", rows: \(rowCount), columns: \(columnCount))"
    }

    /// The description of the column named `name`.
    ///
    /// The first description or view of a column checks its record (Specification.md §9, "On a
    /// column's first use"), once per reader.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` when there is none;
    ///   ``ColFileError/Code/badNameIndex`` or ``ColFileError/Code/badColumnName`` for a name index
    ///   entry the lookup visits; the error of the first check the column's record fails.
    /// - Complexity: O(log columns).
    public func info(_ name: String) throws -> ColumnInfo {
        try intact {
            guard let index = try layout.columnIndex(named: name) else { throw noSuchColumn(name) }
            return try describe(at: index)
        }
    }

    /// The description of column `index`.
    ///
    /// - Throws: the error of the first check the column's record fails (Specification.md §9: a
    ///   column's record is checked on its first use, once per reader).
    /// - Precondition: `index` is in `0 ..< columnCount`.
    /// - Complexity: O(1) (the first use of a column: O(1) plus any columns without stored bytes
    ///   next to it).
    public func info(at index: Int) throws -> ColumnInfo {
        // The record may be read from the mapping (a directory over 64 KiB is not copied at open):
        // a file truncated under the reader is reported as such (Specification.md §11.1).
        try intact { try describe(at: index) }
    }

    /// The ``ColFileError/Code/noSuchColumn`` error for `name`.
    func noSuchColumn(_ name: String) -> ColFileError {
        ColFileError(.noSuchColumn, path: path, column: name, message: "no such column")
    }

    /// ``info(at:)`` without the check that the file is intact.
    private func describe(at index: Int) throws -> ColumnInfo {
        describe(at: index, unreadable: try layout.checkColumn(index))
    }

    /// The description of column `index`, whose first-use checks passed with the outcome
    /// `unreadable` (nil for a readable column).
    func describe(at index: Int, unreadable: ColFileError?) -> ColumnInfo {
        // An unreadable column's shape and time zone were not checked (§9 step 14.2): not read.
        let record = layout.record(at: index)
        let type = PhysicalType(rawValue: record.physicalTypeCode) ?? .uint8
        var logical = LogicalType.fromCode(record.logicalTypeCode)
        if case .timestamp = logical {
            let zone = record.timeZoneLength == 0 || unreadable != nil ? nil
                : layout.heapBytes(offset: record.timeZoneOffset, length: Int(record.timeZoneLength)).utf8String()
            logical = .timestamp(unit: TimeUnit(rawValue: record.timeUnitCode) ?? .seconds, timeZone: zone)
        }
        // The shape offset is only checked (and only meaningful) when the rank is above 0.
        let rank = unreadable == nil ? Int(record.rank) : 0
        let shapeBytes = rank == 0 ? nil : layout.heapBytes(offset: record.shapeOffset, length: rank * 8)
        // A dictionary-encoded column's encoding, when its record was checked (§6.4).
        let dictionary = unreadable == nil && type == .dictionary
            ? DictionaryEncoding(indexType: PhysicalType(rawValue: record.dictionaryIndexTypeCode) ?? .int32,
                                 valueType: PhysicalType(rawValue: record.dictionaryValueTypeCode) ?? .uint8,
                                 entryCount: Int(clamping: record.dictionaryEntryCount))
            : nil
        let buffers = BufferRole.allCases.compactMap { role -> BufferInfo? in
            let buffer = record.buffers[role.rawValue]
            // The values (indices) and a dictionary's values are listed even when empty.
            let alwaysListed = role == .values || (dictionary != nil && role == .dictionaryValues)
            if buffer.isAbsent && !alwaysListed { return nil }
            var info = BufferInfo(role: role, offset: buffer.offset, storedLength: buffer.storedLength,
                                  decodedLength: buffer.decodedLength, checksum: buffer.checksum)
            if record.codec != 0, buffer.storedLength >= UInt64(ChunkIndexLayout.length) {
                let stored = region.view.slice(offset: Int(buffer.offset), length: ChunkIndexLayout.length)
                info.chunkCount = Int(stored.load(ChunkIndexLayout.chunkCount))
                info.chunkSize = Int(stored.load(ChunkIndexLayout.chunkSize))
            }
            return info
        }
        return ColumnInfo(
            name: layout.name(at: index), index: index, physicalType: type, logicalType: logical,
            shape: (0..<rank).map { Int(shapeBytes!.load(UInt64.self, at: $0 * 8)) },
            rowCount: Int(clamping: record.rowCount), nullCount: Int(clamping: record.nullCount),
            isNullable: record.hasValidity, codec: Codec(rawValue: record.codec) ?? .none, buffers: buffers,
            metadata: (try? layout.columnMetadata(record)) ?? [:], dictionary: dictionary, unreadable: unreadable)
    }

    /// Whether the file at ``path`` is no longer the file this reader mapped: it was replaced (for
    /// example by a writer publishing a new version) or deleted. This reader keeps reading the
    /// version it mapped; open the path again to read the new one.
    ///
    /// - Complexity: one `stat` call.
    public func fileHasBeenReplaced() -> Bool {
        guard let openedIdentity else { return false }
        guard let now = try? Syscalls.identity(ofPath: path) else { return true }
        return now.device != openedIdentity.device || now.inode != openedIdentity.inode
    }
}

/// The device and inode of a file, to notice when a path names another file.
struct FileSystemIdentity: Sendable, Equatable {
    /// `st_dev`.
    var device: UInt64
    /// `st_ino`.
    var inode: UInt64
}

/// What identifies the exact content of a colfile file (Specification.md §3, *Identity*).
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The 16 random bytes the writer drew for the file.
    public var fileID: [UInt8]
    /// The CRC-32 of the file's directory.
    public var directoryChecksum: UInt32

    /// The file id as 32 lowercase hex digits.
    public var fileIDHex: String {
        fileID.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// `FILEID-CHECKSUM`, e.g. `0f1e…77-1a2b3c4d`.
    public var description: String { "\(fileIDHex)-\(hex(directoryChecksum).dropFirst(2))" }
}
