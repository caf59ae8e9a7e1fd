import Synchronization
import SystemPackage

/// An open colfile file: a read-only, shared mapping of the file plus its validated directory.
///
/// Opening costs O(columns), whatever the size of the data: `open`, `fstat`,
/// `mmap(PROT_READ, MAP_SHARED)`, `close`, then the checks of Specification.md §9 on the header and
/// directory. Column views read values in place from the mapping, so any number of processes that
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
public final class ColFileReader: Sendable {
    /// The path the file was opened from.
    public let path: String
    let region: MappedRegion
    let layout: FileLayout
    private let openedIdentity: FileSystemIdentity?
    private let checkedOffsets = Mutex<Set<Int>>([])

    private init(path: String, region: MappedRegion, identity: FileSystemIdentity?) throws {
        self.path = path
        self.region = region
        self.openedIdentity = identity
        self.layout = try FileLayout(validating: region.view, context: ErrorContext(path: path))
    }

    /// Opens, maps and validates the file at `path`.
    ///
    /// - Parameter path: The file to open.
    /// - Returns: A reader of the file.
    /// - Throws: ``ColFileError`` with code ``ColFileError/Code/io`` when the file cannot be
    ///   opened or mapped, or the code of the first check of Specification.md §9 the file fails.
    /// - Complexity: O(columns + directory size); independent of the size of the data.
    public static func open(_ path: String) throws -> ColFileReader {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot open the file", errno: errno)
        }
        return try fd.closeAfter {
            let status: (size: Int, device: UInt64, inode: UInt64)
            let region: MappedRegion
            do throws(Errno) {
                status = try Syscalls.status(fd)
                region = try MappedRegion(mapping: fd, length: status.size)
            } catch {
                throw ColFileError(.io, path: path, message: "cannot map the file", errno: error)
            }
            return try ColFileReader(path: path, region: region,
                                     identity: FileSystemIdentity(device: status.device, inode: status.inode))
        }
    }

    /// Validates a file held in memory, as `open` validates a file on disk (for tests and fuzzing).
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: The name to use in errors.
    @_spi(Testing)
    public static func open(bytes: [UInt8], path: String = "<memory>") throws -> ColFileReader {
        try ColFileReader(path: path, region: MappedRegion(copying: bytes), identity: nil)
    }

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
    /// - Complexity: O(columns); use ``info(_:)`` to look up one column in O(log columns).
    public var columns: [ColumnInfo] { (0..<columnCount).map(info(at:)) }

    /// The description of the column named `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` when there is none.
    /// - Complexity: O(log columns).
    public func info(_ name: String) throws -> ColumnInfo {
        guard let index = layout.columnIndex(named: name) else {
            throw ColFileError(.noSuchColumn, path: path, column: name, message: "no such column")
        }
        return info(at: index)
    }

    /// The description of column `index`.
    ///
    /// - Precondition: `index` is in `0 ..< columnCount`.
    public func info(at index: Int) -> ColumnInfo {
        let record = layout.record(at: index)
        let type = PhysicalType(rawValue: record.physicalTypeCode) ?? .uint8
        var logical = LogicalType.fromCode(record.logicalTypeCode)
        if case .timestamp = logical {
            let zone = record.timeZoneLength == 0 ? nil
                : layout.heapBytes(offset: record.timeZoneOffset, length: Int(record.timeZoneLength)).utf8String()
            logical = .timestamp(unit: TimeUnit(rawValue: record.timeUnitCode) ?? .seconds, timeZone: zone)
        }
        // The shape offset is only checked (and only meaningful) when the rank is above 0.
        let shapeBytes = record.rank == 0 ? nil : layout.heapBytes(offset: record.shapeOffset, length: Int(record.rank) * 8)
        let buffers = BufferRole.allCases.compactMap { role -> BufferInfo? in
            let buffer = record.buffers[role.rawValue]
            if buffer.isAbsent && !(role == .values) { return nil }
            return BufferInfo(role: role, offset: buffer.offset, storedLength: buffer.storedLength,
                              decodedLength: buffer.decodedLength, checksum: buffer.checksum)
        }
        return ColumnInfo(
            name: layout.name(at: index), index: index, physicalType: type, logicalType: logical,
            shape: (0..<Int(record.rank)).map { Int(shapeBytes!.load(UInt64.self, at: $0 * 8)) },
            rowCount: Int(clamping: record.rowCount), nullCount: Int(clamping: record.nullCount),
            isNullable: record.hasValidity, codec: "none", buffers: buffers,
            metadata: (try? layout.columnMetadata(record)) ?? [:])
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

    // MARK: - Typed column views

    /// A zero-copy view of the scalar fixed-width column `name` (integers, floats, timestamps as
    /// `Int64`, dates as `Int32`).
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when the
    ///   column is not a scalar column of `Element`'s physical type.
    public func column<Element: FixedWidthElement>(_ name: String, as type: Element.Type = Element.self) throws
        -> FixedWidthColumn<Element> {
        let info = try info(name)
        try expect(info, Element.physicalType, tensor: false)
        return FixedWidthColumn(info: info, values: mappedArray(info, count: info.rowCount), validity: validity(info))
    }

    /// A zero-copy view of the tensor column `name`, whose rows are arrays of `Element`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when the
    ///   column is not a tensor column of `Element`'s physical type.
    public func tensorColumn<Element: FixedWidthElement>(_ name: String, as type: Element.Type = Element.self) throws
        -> TensorColumn<Element> {
        let info = try info(name)
        try expect(info, Element.physicalType, tensor: true)
        return TensorColumn(info: info, elements: mappedArray(info, count: info.rowCount * info.valuesPerRow),
                            validity: validity(info))
    }

    /// A zero-copy view of the Bool column `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` or ``ColFileError/Code/typeMismatch``.
    public func boolColumn(_ name: String) throws -> BoolColumn {
        let info = try info(name)
        try expect(info, .bool, tensor: false)
        return BoolColumn(info: info, bits: bitmap(info, role: .values)!, validity: validity(info))
    }

    /// A zero-copy view of the String or LargeString column `name`.
    ///
    /// The first call for a column checks that its offsets never decrease (O(rows), once per
    /// column and process).
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, ``ColFileError/Code/typeMismatch`` or
    ///   ``ColFileError/Code/offsetsNotIncreasing``.
    public func stringColumn(_ name: String) throws -> StringColumn {
        let info = try info(name)
        guard info.physicalType.isString else { throw mismatch(info, expected: "String or LargeString") }
        return StringColumn(info: info, storage: try variableLengthValues(info), validity: validity(info))
    }

    /// A zero-copy view of the Binary or LargeBinary column `name`.
    ///
    /// - Throws: as ``stringColumn(_:)``.
    public func binaryColumn(_ name: String) throws -> BinaryColumn {
        let info = try info(name)
        guard info.physicalType == .binary || info.physicalType == .largeBinary else {
            throw mismatch(info, expected: "Binary or LargeBinary")
        }
        return BinaryColumn(info: info, storage: try variableLengthValues(info), validity: validity(info))
    }

    // MARK: - Building views

    private func expect(_ info: ColumnInfo, _ type: PhysicalType, tensor: Bool) throws {
        guard info.physicalType == type, info.shape.isEmpty != tensor else {
            throw mismatch(info, expected: tensor ? "a tensor column of \(type)" : "a scalar column of \(type)")
        }
    }

    private func mismatch(_ info: ColumnInfo, expected: String) -> ColFileError {
        let found = info.shape.isEmpty ? "\(info.physicalType)" : "a tensor column of \(info.physicalType)"
        return ColFileError(.typeMismatch, path: path, column: info.name, message: "the column has another type",
                            expected: expected, found: found)
    }

    private func buffer(_ info: ColumnInfo, _ role: BufferRole) -> BufferInfo? {
        info.buffers.first { $0.role == role }
    }

    private func mappedArray<Element: FixedWidthElement>(_ info: ColumnInfo, count: Int) -> MappedArray<Element> {
        let values = buffer(info, .values)!
        return unsafe MappedArray(owner: region, elements: region.elements(at: values.offset, count: count, as: Element.self))
    }

    private func bitmap(_ info: ColumnInfo, role: BufferRole) -> ValidityBitmap? {
        guard let bits = buffer(info, role) else { return nil }
        return unsafe ValidityBitmap(owner: region, bits: region.elements(at: bits.offset, count: Int(bits.storedLength),
                                                                   as: UInt8.self),
                              rowCount: info.rowCount)
    }

    private func validity(_ info: ColumnInfo) -> ValidityBitmap? {
        bitmap(info, role: .validity)
    }

    private func variableLengthValues(_ info: ColumnInfo) throws -> VariableLengthValues {
        let offsets = buffer(info, .offsets)!
        let values = buffer(info, .values)!
        let width = info.physicalType.offsetWidth!
        let offsetBytes = unsafe region.rawBytes(at: offsets.offset, length: Int(offsets.storedLength))
        let alreadyChecked = checkedOffsets.withLock { $0.contains(info.index) }
        if !alreadyChecked {
            if let bad = unsafe VariableLengthValues.firstDecrease(offsets: offsetBytes, width: width,
                                                                   count: info.rowCount + 1) {
                throw ColFileError(.offsetsNotIncreasing, path: path, column: info.name,
                                   offset: offsets.offset + UInt64(bad * width),
                                   message: "offset \(bad) is smaller than offset \(bad - 1)")
            }
            checkedOffsets.withLock { _ = $0.insert(info.index) }
        }
        return unsafe VariableLengthValues(
            owner: region, offsets: offsetBytes,
            values: region.rawBytes(at: values.offset, length: Int(values.storedLength)),
            offsetWidth: width, rowCount: info.rowCount)
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
