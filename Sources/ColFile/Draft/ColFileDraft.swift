import SystemPackage

/// A writable table that processes fill in place and then seal into an ordinary colfile file
/// (Specification.md §15).
///
/// A draft is a file of its own (by convention `TARGET.draft`, beside the file it will become),
/// created with a schema of fixed-width and Bool columns and a row count. Any number of processes
/// open it by path and write rows in place through a shared read-write mapping: no result is
/// pickled, sent or copied. Writes to different rows need no lock; ``AtomicColumn`` gives atomic
/// counters; ``workQueue()`` hands out ranges of rows so that workers split a job and a restarted
/// worker finds the ranges not yet done. ``seal(_:to:options:)`` then turns the draft into a
/// checksummed colfile file and publishes it atomically. A colfile reader refuses a draft
/// (``ColFileError/Code/unsealedDraft``).
///
/// ```swift
/// do {   // in each worker process (here one)
///     let draft = try ColFileDraft.create("results.col.draft", rowCount: 1_000_000, columns: [
///         DraftColumn("score", of: Double.self),
///         DraftColumn("visits", of: Int64.self, initialRows: .zero),
///     ])
///     let scores = try draft.column("score", as: Double.self)
///     let queue = try draft.workQueue()
///     while let claim = try queue.claim() {
///         scores.fill(rows: claim.rows) { span in for i in span.indices { span[i] = 1.5 } }
///         claim.finish()
///     }
/// }   // every handle and view closed: the seal would refuse (draftBusy) while one is open
/// try ColFileDraft.seal("results.col.draft", to: "results.col")
/// ```
///
/// A handle keeps the draft's file open with its seal lock held shared (§15.4) for as long as it
/// or any of its views lives: a seal waits for (or refuses) every open handle, in any process.
public final class ColFileDraft: Sendable, CustomStringConvertible {
    /// The draft's path.
    public let path: String
    let mapping: DraftMapping
    let layout: DraftLayout

    private init(path: String, mapping: DraftMapping, layout: DraftLayout) {
        self.path = path
        self.mapping = mapping
        self.layout = layout
    }

    /// The draft path beside `target` that the tool uses by default: `TARGET.draft`.
    public static func defaultPath(forTarget target: String) -> String { target + ".draft" }

    // MARK: - Opening

    /// Opens the draft at `path` for writing: maps it read-write, shared, and checks it.
    ///
    /// - Throws: ``ColFileError``: ``ColFileError/Code/io`` when it cannot be opened or mapped;
    ///   ``ColFileError/Code/draftBusy`` while a seal runs; ``ColFileError/Code/sealedDraft`` when
    ///   it was sealed but not published; else the code of the first check of §15.6 it fails.
    /// - Complexity: O(columns + description length).
    public static func open(_ path: String) throws -> ColFileDraft {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.closeOnExec], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot open the draft", errno: errno)
        }
        return try attach(fd, path: path)
    }

    /// Takes the seal lock shared on `fd` (whose ownership passes here), maps and checks the draft.
    static func attach(_ fd: FileDescriptor, path: String) throws -> ColFileDraft {
        let locked: Bool
        do throws(Errno) {
            locked = try SealLock.tryLock(fd, .shared, for: SealLock.grace)
        } catch {
            try? fd.close()
            throw ColFileError(.io, path: path, message: "cannot lock the draft", errno: error)
        }
        guard locked else {
            try? fd.close()
            throw ColFileError(.draftBusy, path: path, message: "a seal of the draft is in progress")
        }
        let mapping: DraftMapping
        do throws(Errno) {
            let size: Int
            do throws(Errno) {
                size = try Syscalls.status(fd).size
            } catch {
                try? fd.close()
                throw error
            }
            mapping = try DraftMapping(fd: fd, length: size, path: path)
        } catch {
            throw ColFileError(.io, path: path, message: "cannot map the draft", errno: error)
        }
        let layout = try DraftLayout(validating: mapping.view, context: ErrorContext(path: path))
        return ColFileDraft(path: path, mapping: mapping, layout: layout)
    }

    // MARK: - The table

    /// The number of rows of every column.
    public var rowCount: Int { layout.rowCount }

    /// Every column, in the order of the sealed file.
    public var columns: [DraftColumn] { layout.columns.map(\.declaration) }

    /// The file metadata the sealed file will carry.
    public var metadata: [String: String] { (try? layout.description.fileMetadata()) ?? [:] }

    /// Rows in each range of ``workQueue()`` (the last range may be shorter).
    public var rowsPerRange: Int { Int(layout.header.rowsPerRange) }

    /// The number of ranges.
    public var rangeCount: Int { layout.rangeCount }

    /// The rows of range `index`.
    ///
    /// - Precondition: `index` is in `0 ..< rangeCount`.
    public func rows(ofRange index: Int) -> Range<Int> {
        precondition(index >= 0 && index < rangeCount, "range \(index) out of range 0..<\(rangeCount)")
        return (index * rowsPerRange)..<min(rowCount, (index + 1) * rowsPerRange)
    }

    /// The 16 random bytes that will be the sealed file's id.
    public var fileID: [UInt8] { layout.header.fileID }

    /// `ColFileDraft(path: "results.col.draft", rows: 3, columns: 2)`.
    public var description: String {
        "ColFileDraft(path: \"\(path)\", rows: \(rowCount), columns: \(layout.columns.count))"
    }

    /// The claim table.
    var claimTable: ClaimTable {
        let end = ClaimTableLayout.end(rangeCount: rangeCount)
        return ClaimTable(mapping.mutableView(at: UInt64(ClaimTableLayout.offset), length: end - ClaimTableLayout.offset),
                          rangeCount: rangeCount)
    }

    // MARK: - Views

    /// The buffers of the column named `name`, checked to be of `type` (and scalar or not).
    private func storage(_ name: String, type: PhysicalType, tensor: Bool, asked: String) throws -> (DraftColumnStorage, [Int]) {
        let column = try layout.column(named: name)
        let declaration = column.declaration
        guard declaration.physicalType == type, declaration.shape.isEmpty != tensor else {
            let found = declaration.shape.isEmpty ? "\(declaration.physicalType)" : "\(declaration.physicalType) tensor \(declaration.shape)"
            throw ColFileError(.typeMismatch, path: path, column: name, message: "the column is not of the type asked for",
                               expected: asked, found: found)
        }
        func view(_ buffer: BufferDescriptor) -> MutableByteView {
            mapping.mutableView(at: buffer.offset, length: Int(buffer.storedLength))
        }
        return (DraftColumnStorage(owner: mapping, name: name, rowCount: rowCount, values: view(column.values),
                                   validity: column.validity.map(view)), declaration.shape)
    }

    /// A writable view of the scalar column `name` of `Value`s.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when
    ///   the column holds another type or is a tensor column.
    public func column<Value: FixedWidthElement>(_ name: String, as type: Value.Type) throws -> MutableFixedWidthColumn<Value> {
        MutableFixedWidthColumn(storage: try storage(name, type: Value.physicalType, tensor: false,
                                                     asked: "\(Value.physicalType)").0)
    }

    /// A writable view of the tensor column `name` of `Value`s.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch``.
    public func tensorColumn<Value: FixedWidthElement>(_ name: String, as type: Value.Type) throws -> MutableTensorColumn<Value> {
        let (storage, shape) = try storage(name, type: Value.physicalType, tensor: true,
                                           asked: "\(Value.physicalType) tensor")
        return MutableTensorColumn(storage: storage, shape: shape)
    }

    /// A writable view of the Bool column `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch``.
    public func boolColumn(_ name: String) throws -> MutableBoolColumn {
        MutableBoolColumn(storage: try storage(name, type: .bool, tensor: false, asked: "Bool").0)
    }

    /// Atomic operations on the scalar Int32, Int64, UInt32 or UInt64 column `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when
    ///   the column is not of `Value` or `Value` has no atomic form (Int8, Int16, UInt8, UInt16).
    public func atomicColumn<Value: FixedWidthElement & FixedWidthInteger>(_ name: String, as type: Value.Type) throws
        -> AtomicColumn<Value> {
        guard AtomicColumn<Value>.isSupported else {
            throw ColFileError(.typeMismatch, path: path, column: name,
                               message: "atomic operations need an Int32, Int64, UInt32 or UInt64 column",
                               found: "\(Value.physicalType)")
        }
        return AtomicColumn(storage: try storage(name, type: Value.physicalType, tensor: false,
                                                 asked: "\(Value.physicalType) (atomic)").0)
    }

    // MARK: - Claiming

    /// A queue that hands out this draft's ranges of rows; one per worker thread.
    ///
    /// - Throws: ``ColFileError/Code/io`` when the draft cannot be opened again.
    public func workQueue() throws -> DraftWorkQueue {
        try DraftWorkQueue(draft: self)
    }
}

extension ColFileDraft {
    /// Checks a draft held in memory as ``open(_:)`` checks one on disk (for the fuzzer and tests).
    ///
    /// - Returns: The draft's columns and row count.
    package static func validate(bytes: [UInt8], path: String = "<memory>") throws -> (columns: [DraftColumn], rows: Int) {
        let region = MappedRegion(copying: bytes)
        let layout = try DraftLayout(validating: region.view, context: ErrorContext(path: path))
        return withExtendedLifetime(region) { (layout.columns.map(\.declaration), layout.rowCount) }
    }
}
