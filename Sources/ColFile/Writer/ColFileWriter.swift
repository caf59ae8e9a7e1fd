import SystemPackage

/// Writes a colfile file: whole columns from Swift arrays or buffers, or columns streamed piece by
/// piece with bounded memory; then ``finish()`` publishes the file atomically.
///
/// The file is written to a temporary file in the target's folder; ``finish()`` writes the
/// directory, trailer and header, flushes the file to disk, renames it over the target and flushes
/// the folder (``Options/syncsToDisk`` skips the two flushes, keeping the atomic rename). Until then the target is untouched: a writer that is released without `finish()`,
/// that throws, or whose process dies leaves the previous file (if any) in place and no temporary
/// file behind (see ``TemporaryFile`` for the one exception on file systems without `O_TMPFILE`).
///
/// Columns appear in the file, and in ``ColFileReader/columns``, in the order they are completed:
/// a whole column when its `addColumn` call returns, a streamed column when its stream's `finish()`
/// is called (or, for streams still open, at ``finish()`` in the order they were started).
///
/// ```swift
/// let writer = try ColFileWriter(path: "prices.col")
/// try writer.addColumn("price", [1.5, 2.25, 3.0] as [Double])
/// try writer.addColumn("symbol", ["A", "B", nil])
/// try writer.finish()
/// ```
///
/// A writer is used from one thread at a time.
public final class ColFileWriter {
    /// Choices that change what the writer does.
    public struct Options: Sendable {
        /// The 16-byte file id to write instead of a random one, for reproducible files (the golden
        /// fixtures use it). A file id should otherwise be unique to each file written.
        public var fileID: [UInt8]?
        /// Whether ``ColFileWriter/finish()`` flushes the file and then its folder to disk (`fsync`)
        /// around the atomic rename; true by default.
        ///
        /// With `false` the file is still published atomically (readers see the old file or the
        /// whole new one, never a part), but it lives in the page cache until the kernel writes it
        /// back: a power loss or kernel crash soon after `finish()` can lose it, or leave the old
        /// file or an empty or zero-filled one at the path (readers reject both). The new file is
        /// swapped with the old one rather than renamed over it, so ext4 does not start writing it
        /// back before `finish()` returns either (``TemporaryFile/publish(durable:)``). Use it for scratch files that can be made again, and
        /// for measuring write speed to the page cache (`colfile bench`'s `writeGBps`).
        public var syncsToDisk = true
        /// Whether to write into a named temporary file (`.NAME.colfile-tmp-PID-RANDOM` beside the
        /// target) even where an unnamed one (`O_TMPFILE`) works; false by default.
        ///
        /// An unnamed file leaves nothing behind when the process dies; a named one is left behind
        /// by a process killed while writing (`colfile clean` removes such leftovers). Use a named
        /// file where other tools must see the file being written. Both write at the same speed
        /// here (BENCHMARKS.md, `writeNamedGBps`).
        public var useNamedTemporaryFile = false
        /// A system call failure to inject into writing or publishing the file (tests).
        package var injectedFault: InjectedFault?
        /// Whether ``ColFileWriter/finish()`` may replace a file already at the path (true), or
        /// fails with ``ColFileError/Code/io`` and `EEXIST` instead, leaving that file alone: a
        /// dataset's shards and manifests are never replaced (Specification.md §14.5).
        package var replacesExistingFile = true
        /// The most bytes the dictionaries of the writer's ``DictionaryPolicy/automatic`` columns
        /// hold together (tests make it small).
        package var automaticDictionaryBytes = DictionaryPolicy.automaticWriterBytes
        /// The most bytes of a streamed String or Binary column's values stored with 32-bit
        /// offsets (String, Binary); a column with more is LargeString or LargeBinary
        /// (Specification.md §6.1). `Int32.max`; tests make it small to reach the 64-bit offsets.
        package var maxNarrowValueBytes = Int(Int32.max)

        /// The default options: a random file id, flushed to disk on ``ColFileWriter/finish()``.
        public init(fileID: [UInt8]? = nil, syncsToDisk: Bool = true) {
            self.fileID = fileID
            self.syncsToDisk = syncsToDisk
        }
    }

    /// The path the file is published to.
    public let path: String
    /// The file's key/value metadata; set it any time before ``finish()``.
    public var metadata: [String: String] = [:]
    /// How columns are stored unless ``compression`` names them: plain by default.
    public var defaultCompression: Compression = .none
    /// How particular columns are stored, by name; set before the column is added (or, for a
    /// streamed column, before it finishes).
    public var compression: [String: Compression] = [:]

    private let options: Options
    let context: ErrorContext
    private let temporary: TemporaryFile
    let output: OutputFile
    var finished = FinishedColumns()
    private var names: Set<String> = []
    /// Whether the caller proved every column name distinct (``reserveColumns(_:namesAreDistinct:)``),
    /// so ``names`` is not kept: at 50,000 columns hashing each name into it was 3 % of an import.
    private var namesAreDistinct = false
    private var rowCount: UInt64?
    /// Streamed columns until they complete: a stream, or columns of a ``ColumnTable`` opened one
    /// after another (one entry for all the columns of an import).
    enum OpenColumns {
        case stream(StreamCore)
        case tableColumns(ColumnTable, Range<Int>)
    }
    /// The streams started, in order, each until it completes (then nil): a stream knows its
    /// place here (``StreamCore/openSlot``), so completing one looks nothing up; a table's
    /// columns stay listed, the table knows which are complete.
    var openStreams: [OpenColumns?] = []
    /// The scratch file every streamed column spills into, made with the first stream.
    private var scratch: ScratchArena?
    /// The table that holds the import's scalar fixed-width columns (``tableAppender(_:of:logicalType:)``),
    /// made with the first of them.
    var table: ColumnTable?
    /// The entry of ``openStreams`` that lists the columns of ``table`` opened last, and those
    /// columns, while no other stream was opened after them (``tableAppender(_:of:logicalType:)``;
    /// the entry itself may list fewer until ``settleTableRun()``).
    var tableRun: (slot: Int, columns: Range<Int>)?
    /// The columns ``reserveColumns(_:namesAreDistinct:)`` made room for and not added yet.
    var columnsReserved = 0
    private var isDone = false

    /// Starts writing a file that ``finish()`` will publish at `path`.
    ///
    /// - Throws: ``ColFileError/Code/io`` when no temporary file can be created in the folder.
    public init(path: String, options: Options = Options()) throws {
        guard 1.littleEndian == 1 else {
            throw ColFileError(.unsupportedHost, path: path,
                               message: "colfile files are little-endian and this host is big-endian")
        }
        if let fileID = options.fileID, fileID.count != 16 {
            throw ColFileError(.invalidArgument, path: path, message: "a file id must be 16 bytes", found: fileID.count)
        }
        self.path = path
        self.options = options
        self.context = ErrorContext(path: path)
        self.temporary = try TemporaryFile(target: path, unnamed: !options.useNamedTemporaryFile)
        temporary.fault = options.injectedFault
        self.output = OutputFile(fd: temporary.fd, path: path, position: UInt64(HeaderLayout.length),
                                 startsWriteback: options.syncsToDisk, fault: options.injectedFault)
    }

    deinit {
        temporary.discard()
    }

    // MARK: - Whole columns

    /// Adds a column of fixed-width values (integers, floats; timestamps and dates with `logicalType`).
    ///
    /// - Parameters:
    ///   - name: The column's name, unique in the file.
    ///   - values: One value per row.
    ///   - validity: Optionally one flag per row, false for null rows (their values are stored as given).
    ///   - logicalType: `.timestamp` for `Int64`, `.date` for `Int32`, else `.none`.
    ///   - metadata: The column's key/value metadata.
    /// - Throws: ``ColFileError/Code/invalidArgument`` for a bad name, type or row count; `io` errors.
    public func addColumn<Element: FixedWidthElement>(
        _ name: String, _ values: [Element], validity: [Bool]? = nil,
        logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) throws {
        try addColumn(name, values.span, validity: validity, logicalType: logicalType, metadata: metadata)
    }

    /// Adds a column of fixed-width values from memory the caller owns; see the array form.
    public func addColumn<Element: FixedWidthElement>(
        _ name: String, _ values: Span<Element>, validity: [Bool]? = nil,
        logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) throws {
        let declaration = ColumnDeclaration(name: name, physicalType: Element.physicalType, logicalType: logicalType,
                                            shape: [], metadata: metadata)
        try unsafe values.withUnsafeBytes {
            try unsafe writeWholeColumn(declaration, rows: values.count, validity: validity, offsets: nil, values: $0)
        }
    }

    /// Adds a column of optional fixed-width values; nil rows are null (stored as zero).
    public func addColumn<Element: FixedWidthElement>(
        _ name: String, _ values: [Element?], logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) throws {
        try addColumn(name, values.map { $0 ?? .zero }, validity: values.map { $0 != nil },
                      logicalType: logicalType, metadata: metadata)
    }

    /// Adds a fixed-shape tensor column: each row is an array of `shape` values, row-major.
    ///
    /// - Parameters:
    ///   - shape: The shape of one row, e.g. `[768]` or `[3, 4]`.
    ///   - values: All values, row after row: `rows × shape.product` of them.
    ///   - validity: Optionally one flag per row, false for null rows.
    public func addTensorColumn<Element: FixedWidthElement>(
        _ name: String, shape: [Int], _ values: [Element], validity: [Bool]? = nil, metadata: [String: String] = [:]
    ) throws {
        let declaration = ColumnDeclaration(name: name, physicalType: Element.physicalType, logicalType: .none,
                                            shape: shape, metadata: metadata)
        guard !shape.isEmpty else {
            throw context.about(column: name).error(.invalidArgument, "a tensor column needs a shape of rank 1 or more")
        }
        try declaration.validate(context: context)
        let perRow = declaration.valuesPerRow
        guard values.count % perRow == 0 else {
            throw context.about(column: name).error(
                .invalidArgument, "the number of values is not a multiple of the row size",
                expected: "a multiple of \(perRow)", found: values.count)
        }
        try unsafe values.withUnsafeBytes {
            try unsafe writeWholeColumn(declaration, rows: values.count / perRow, validity: validity, offsets: nil,
                                        values: $0)
        }
    }

    /// Adds a Bool column, bit-packed.
    public func addColumn(_ name: String, _ values: [Bool], validity: [Bool]? = nil,
                          metadata: [String: String] = [:]) throws {
        let declaration = ColumnDeclaration(name: name, physicalType: .bool, logicalType: .none, shape: [],
                                            metadata: metadata)
        try unsafe BitPacking.pack(values).withUnsafeBytes {
            try unsafe writeWholeColumn(declaration, rows: values.count, validity: validity, offsets: nil, values: $0)
        }
    }

    /// Adds a Bool column of optional values; nil rows are null.
    public func addColumn(_ name: String, _ values: [Bool?], metadata: [String: String] = [:]) throws {
        try addColumn(name, values.map { $0 ?? false }, validity: values.map { $0 != nil }, metadata: metadata)
    }

    /// Adds a String column (LargeString when the text reaches 2 GiB).
    public func addColumn(_ name: String, _ values: [String], validity: [Bool]? = nil,
                          metadata: [String: String] = [:]) throws {
        try addVariableLengthColumn(name, .string, values.lazy.map(\.utf8), validity: validity, metadata: metadata)
    }

    /// Adds a String column of optional values; nil rows are null.
    public func addColumn(_ name: String, _ values: [String?], metadata: [String: String] = [:]) throws {
        try addVariableLengthColumn(name, .string, values.lazy.map { ($0 ?? "").utf8 },
                                    validity: values.map { $0 != nil }, metadata: metadata)
    }

    /// Adds a Binary column (LargeBinary when the bytes reach 2 GiB).
    public func addBinaryColumn(_ name: String, _ values: [[UInt8]], validity: [Bool]? = nil,
                                metadata: [String: String] = [:]) throws {
        try addVariableLengthColumn(name, .binary, values, validity: validity, metadata: metadata)
    }

    /// Adds a Binary column of optional values; nil rows are null.
    public func addBinaryColumn(_ name: String, _ values: [[UInt8]?], metadata: [String: String] = [:]) throws {
        try addVariableLengthColumn(name, .binary, values.lazy.map { $0 ?? [] },
                                    validity: values.map { $0 != nil }, metadata: metadata)
    }

    // MARK: - Streamed columns

    /// Starts a fixed-width column whose values are appended piece by piece with bounded memory.
    ///
    /// Any number of streams may be open at once (for producers that emit rows). Each stream keeps
    /// its buffers in unnamed temporary files beside the target until it finishes.
    ///
    /// - Parameters:
    ///   - shape: The shape of one row for a tensor column; empty for scalars.
    public func streamColumn<Element: FixedWidthElement>(
        _ name: String, of type: Element.Type, shape: [Int] = [], logicalType: LogicalType = .none,
        metadata: [String: String] = [:]
    ) throws -> FixedWidthColumnStream<Element> {
        let declaration = ColumnDeclaration(name: name, physicalType: Element.physicalType, logicalType: logicalType,
                                            shape: shape, metadata: metadata)
        return FixedWidthColumnStream(core: try openStream(declaration))
    }

    /// Starts a Bool column whose values are appended piece by piece.
    public func streamBoolColumn(_ name: String, metadata: [String: String] = [:]) throws -> BoolColumnStream {
        let declaration = ColumnDeclaration(name: name, physicalType: .bool, logicalType: .none, shape: [],
                                            metadata: metadata)
        return BoolColumnStream(core: try openStream(declaration))
    }

    /// Starts a String column whose values are appended piece by piece.
    ///
    /// - Parameters:
    ///   - dictionary: Whether to store the column dictionary-encoded (Specification.md §6.4):
    ///     ``DictionaryPolicy/never`` (the default), ``DictionaryPolicy/always``, or
    ///     ``DictionaryPolicy/automatic`` (when that makes it at most half as large).
    public func streamStringColumn(_ name: String, dictionary: DictionaryPolicy = .never,
                                   metadata: [String: String] = [:]) throws -> VariableLengthColumnStream {
        let declaration = ColumnDeclaration(name: name, physicalType: .string, logicalType: .none, shape: [],
                                            metadata: metadata)
        return VariableLengthColumnStream(core: try openStream(declaration, dictionary: dictionary))
    }

    /// Starts a Binary column whose values are appended piece by piece.
    ///
    /// - Parameters:
    ///   - dictionary: Whether to store the column dictionary-encoded, as for
    ///     ``streamStringColumn(_:dictionary:metadata:)``.
    public func streamBinaryColumn(_ name: String, dictionary: DictionaryPolicy = .never,
                                   metadata: [String: String] = [:]) throws -> VariableLengthColumnStream {
        let declaration = ColumnDeclaration(name: name, physicalType: .binary, logicalType: .none, shape: [],
                                            metadata: metadata)
        return VariableLengthColumnStream(core: try openStream(declaration, dictionary: dictionary))
    }

    // MARK: - Finishing

    /// Completes open streams, writes the directory, trailer and header, and publishes the file
    /// atomically at ``path``.
    ///
    /// A file it replaces has no name left when this returns; when it is large (16 MiB or more),
    /// the kernel frees its cached pages and, a moment later, its disk space on another thread of
    /// this process (or at its exit) rather than in this call.
    ///
    /// - Throws: ``ColFileError``; the target is then untouched and the temporary file removed,
    ///   except when only the last step, flushing the folder after the rename, fails: the new file
    ///   is then in place and the error (code ``ColFileError/Code/io``) says so.
    /// - Precondition: `finish()` has not been called before.
    public func finish() throws {
        precondition(!isDone, "ColFileWriter.finish() called twice")
        isDone = true
        do {
            // By index: completing a stream sets its slot to nil in place (no copy of the array).
            settleTableRun()
            tableRun = nil
            for slot in openStreams.indices {
                switch openStreams[slot] {
                case .stream(let core): try completeStream(core)
                case .tableColumns(let table, let columns): try completeTableColumns(table, columns)
                case nil: break
                }
            }
            openStreams = []
            try MetadataLimits.check(metadata, maxBlock: FormatLimits.maxFileMetadataLength, context: context)
            try output.pad(toMultipleOf: FormatConstants.bufferAlignment)
            // The directory's pieces are copied into the staging buffer as they are encoded.
            let directoryOffset = output.position
            output.beginChecksum()
            try DirectoryEncoder.encode(columns: finished, summary: finished.summary, rowCount: rowCount ?? 0,
                                        metadata: metadata) {
                try output.append($0)
            }
            let location = DirectoryLocation(offset: directoryOffset, length: output.position - directoryOffset,
                                             checksum: output.finishChecksum())
            try output.append(FileTrailer.encoded(location))
            try output.flush()
            let header = FileHeader(
                majorVersion: FormatConstants.majorVersion,
                minorVersion: finished.minorVersion ?? FormatConstants.minorVersion,
                requiredFlags: 0, optionalFlags: 0,
                fileID: options.fileID ?? (0..<16).map { _ in UInt8.random(in: 0...255) }, directory: location)
            try output.overwrite(header.encoded(), at: 0)
            try temporary.publish(durable: options.syncsToDisk, replacing: options.replacesExistingFile)
        } catch {
            temporary.discard()
            throw error
        }
    }

    /// Gives up the file: removes the temporary file and leaves the target untouched. Releasing an
    /// unfinished writer does the same.
    public func abandon() {
        isDone = true
        temporary.discard()
    }

    // MARK: - Internals shared with streams

    /// Declares a column: checks its declaration and that its name is new.
    func declare(_ declaration: ColumnDeclaration) throws {
        precondition(!isDone, "ColFileWriter used after finish() or abandon()")
        try declaration.validate(context: context)
        try declare(name: declaration.name)
    }

    /// Declares a column whose declaration the caller checked: checks that its name is new.
    func declare(name: String) throws {
        precondition(!isDone, "ColFileWriter used after finish() or abandon()")
        guard namesAreDistinct || names.insert(name).inserted else {
            throw context.about(column: name).error(.invalidArgument, "a column of this name was already added")
        }
    }

    /// Makes room for `count` more columns, so a writer told of its column count up front (an
    /// import of a wide table) grows none of its per-column tables column by column.
    ///
    /// - Parameters:
    ///   - namesAreDistinct: Whether the caller has proved that the names of every column it
    ///     will add are distinct (a CSV header checked when read): the writer then keeps no set
    ///     of names and does not check them again. The public API always checks.
    /// - Precondition: with `namesAreDistinct`, no column was declared yet.
    package func reserveColumns(_ count: Int, namesAreDistinct: Bool = false) {
        if namesAreDistinct {
            precondition(finished.isEmpty && openStreams.isEmpty, "names proved distinct after columns were added")
            self.namesAreDistinct = true
        } else {
            names.reserveCapacity(names.count + count)
        }
        openStreams.reserveCapacity(openStreams.count + count)
        finished.reserveCapacity(count)
        columnsReserved += count
    }

    /// Checks that a completed column has the table's row count (the first column sets it).
    func checkRowCount(_ rows: Int, column: String) throws {
        if let rowCount, rowCount != UInt64(rows) {
            throw context.about(column: column).error(.invalidArgument, "every column must have the same number of rows",
                                                      expected: rowCount, found: rows)
        }
        rowCount = UInt64(rows)
    }

    /// The writer's scratch file, made in the target's folder on first use.
    func scratchArena() throws -> ScratchArena {
        if let scratch { return scratch }
        let made = try ScratchArena(folder: TemporaryFile.folder(of: path), path: path,
                                    dictionaryBudget: options.automaticDictionaryBytes)
        scratch = made
        return made
    }

    func openStream(_ declaration: ColumnDeclaration, dictionary: DictionaryPolicy = .never,
                    givenDictionary: (encoding: DictionaryEncoding, values: DictionaryValues)? = nil) throws
        -> StreamCore {
        try declare(declaration)
        let core = try StreamCore(declaration: declaration, scratch: scratchArena(), writer: self,
                                  dictionaryPolicy: dictionary, givenDictionary: givenDictionary,
                                  maxNarrowValueBytes: options.maxNarrowValueBytes)
        settleTableRun()
        core.openSlot = openStreams.count
        openStreams.append(.stream(core))
        columnsReserved = max(0, columnsReserved - 1)
        return core
    }

    /// Copies a finished stream's spilled buffers into the file and records the column.
    func completeStream(_ core: StreamCore) throws {
        guard let slot = core.openSlot else { return }
        core.openSlot = nil
        openStreams[slot] = nil
        try checkRowCount(core.rowCount, column: core.declaration.name)
        let spills = try core.finishSpills()
        // Read only when `auto` compression asks for a sample; the closure captures the values
        // spill alone (capturing `spills` copied the whole struct for every column).
        let valuesSpill = spills.values
        var sampleBytes: [UInt8] = []
        let settings = try compressionSettings(for: core.declaration.name) {
            sampleBytes = [UInt8](repeating: 0, count: min(valuesSpill.length, Compression.sampleLength))
            _ = try unsafe sampleBytes.withUnsafeMutableBytes { try unsafe valuesSpill.read(at: 0, into: $0) }
            return unsafe sampleBytes.withUnsafeBytes { unsafe ByteView($0) }
        }
        withExtendedLifetime(sampleBytes) {}
        var buffers = ColumnBuffers.absent
        if core.nullCount > 0, let validity = spills.validity {
            buffers.validity = try appendSpill(validity, settings: settings)
        }
        if let offsets = spills.offsets {
            buffers.offsets = try appendSpill(offsets, settings: settings)
        }
        buffers.values = try appendSpill(spills.values, settings: settings)
        if let dictionary = spills.dictionary {
            try appendDictionary(dictionary.values, settings: settings, into: &buffers)
        }
        finished.append(FinishedColumn(declaration: core.declaration, rowCount: UInt64(core.rowCount),
                                       nullCount: UInt64(core.nullCount), physicalType: spills.physicalType,
                                       buffers: buffers, codec: settings?.codec ?? .none,
                                       dictionary: spills.dictionary?.encoding))
    }

    func appendSpill(_ spill: SpillFile, settings: Compression.Settings?) throws -> BufferDescriptor {
        if let settings {
            return try unsafe encoder(settings).write(length: spill.length, to: output,
                                               alignment: alignment(forLength: spill.length)) { offset, into in
                var filled = 0
                while filled < into.count {
                    let read = try unsafe spill.read(at: offset + filled,
                                                     into: UnsafeMutableRawBufferPointer(rebasing: into[filled...]))
                    guard read > 0 else {
                        throw ColFileError(.io, path: path, message: "a scratch file was shorter than written")
                    }
                    filled += read
                }
            }
        }
        guard spill.length > 0 else { return BufferDescriptor(offset: 0, storedLength: 0, decodedLength: 0, checksum: 0) }
        try output.pad(toMultipleOf: alignment(forLength: spill.length))
        let offset = output.position
        try spill.copy(into: output)
        return BufferDescriptor(offset: offset, storedLength: UInt64(spill.length),
                                decodedLength: UInt64(spill.length), checksum: spill.checksum)
    }

    func alignment(forLength length: Int) -> Int {
        length >= FormatConstants.largeBufferThreshold ? FormatConstants.largeBufferAlignment
            : FormatConstants.bufferAlignment
    }

    // MARK: - Whole-column internals

    private func addVariableLengthColumn<Values: Collection>(
        _ name: String, _ type: PhysicalType, _ values: Values, validity: [Bool]?, metadata: [String: String]
    ) throws where Values.Element: Sequence<UInt8> {
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(values.count + 1)
        var bytes: [UInt8] = []
        for value in values {
            bytes.append(contentsOf: value)
            offsets.append(Int64(bytes.count))
        }
        let large = bytes.count > Int(Int32.max)
        let stored: PhysicalType = large ? (type == .string ? .largeString : .largeBinary) : type
        let declaration = ColumnDeclaration(name: name, physicalType: stored, logicalType: .none, shape: [],
                                            metadata: metadata)
        let narrowOffsets = large ? [] : offsets.map { Int32(truncatingIfNeeded: $0) }
        try unsafe bytes.withUnsafeBytes { valueBuffer in
            let write = { (offsetBuffer: UnsafeRawBufferPointer) in
                try unsafe self.writeWholeColumn(declaration, rows: values.count, validity: validity,
                                                 offsets: offsetBuffer, values: valueBuffer)
            }
            if large {
                try unsafe offsets.withUnsafeBytes(write)
            } else {
                try unsafe narrowOffsets.withUnsafeBytes(write)
            }
        }
    }

    func writeWholeColumn(
        _ declaration: ColumnDeclaration, rows: Int, validity: [Bool]?, offsets: UnsafeRawBufferPointer?,
        values: UnsafeRawBufferPointer, dictionary: (encoding: DictionaryEncoding, values: DictionaryValues)? = nil
    ) throws {
        try declare(declaration)
        if let validity, validity.count != rows {
            throw context.about(column: declaration.name).error(
                .invalidArgument, "validity must have one flag per row", expected: rows, found: validity.count)
        }
        try checkRowCount(rows, column: declaration.name)
        let settings = try compressionSettings(for: declaration.name) {
            unsafe ByteView(UnsafeRawBufferPointer(rebasing: values.prefix(Compression.sampleLength)))
        }
        let nullCount = validity.map { flags in flags.reduce(0) { $0 + ($1 ? 0 : 1) } } ?? 0
        var buffers = ColumnBuffers.absent
        if nullCount > 0, let validity {
            try unsafe BitPacking.pack(validity).withUnsafeBytes { buffers.validity = try unsafe writeBuffer($0, settings: settings) }
        }
        if let offsets = unsafe offsets { buffers.offsets = try unsafe writeBuffer(offsets, settings: settings) }
        buffers.values = try unsafe writeBuffer(values, settings: settings)
        if let dictionary {
            try appendDictionary(dictionary.values, settings: settings, into: &buffers)
        }
        finished.append(FinishedColumn(declaration: declaration, rowCount: UInt64(rows), nullCount: UInt64(nullCount),
                                       physicalType: declaration.physicalType, buffers: buffers,
                                       codec: settings?.codec ?? .none, dictionary: dictionary?.encoding))
    }

    /// Appends a dictionary's offsets (String and Binary values) and values as buffers 3 and 4 (§6.4).
    private func appendDictionary(_ dictionary: DictionaryValues, settings: Compression.Settings?,
                                  into buffers: inout ColumnBuffers) throws {
        if let offsets = dictionary.storedOffsets {
            try unsafe offsets.withUnsafeBytes { buffers.dictionaryOffsets = try unsafe writeBuffer($0, settings: settings) }
        }
        try unsafe dictionary.bytes.withUnsafeBytes { buffers.dictionaryValues = try unsafe writeBuffer($0, settings: settings) }
    }

    /// Appends one buffer from memory, plain or compressed as `settings` say.
    func writeBuffer(_ bytes: UnsafeRawBufferPointer, settings: Compression.Settings?) throws
        -> BufferDescriptor {
        guard let settings else { return try unsafe writeBuffer(bytes) }
        return try unsafe encoder(settings).write(length: bytes.count, to: output,
                                                  alignment: alignment(forLength: bytes.count)) { offset, into in
            unsafe into.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + into.count)]))
        }
    }

    /// The compression settings for column `name`, nil for plain; `sample` gives bytes for `auto`.
    func compressionSettings(for name: String, sample: () throws -> ByteView?) throws
        -> Compression.Settings? {
        // An empty table is not hashed into (one lookup per column of a wide table).
        let choice = (compression.isEmpty ? nil : compression[name]) ?? defaultCompression
        if case .none = choice { return nil }  // plain: nothing to check or resolve, no sample
        if let problem = choice.validationError() {
            throw context.about(column: name).error(.invalidArgument, problem)
        }
        return try choice.resolved(sample: sample)
    }

    private func encoder(_ settings: Compression.Settings) -> ChunkedBufferEncoder {
        ChunkedBufferEncoder(settings: settings, threads: Machine.cores)
    }

    /// Appends one buffer at its alignment, in pieces of at least the staging size, checksumming as it goes.
    private func writeBuffer(_ bytes: UnsafeRawBufferPointer) throws -> BufferDescriptor {
        guard unsafe !bytes.isEmpty else { return BufferDescriptor(offset: 0, storedLength: 0, decodedLength: 0, checksum: 0) }
        try output.pad(toMultipleOf: alignment(forLength: bytes.count))
        let offset = output.position
        let checksum = try unsafe output.appendBuffer(bytes)
        return BufferDescriptor(offset: offset, storedLength: UInt64(bytes.count), decodedLength: UInt64(bytes.count),
                                checksum: checksum)
    }
}
