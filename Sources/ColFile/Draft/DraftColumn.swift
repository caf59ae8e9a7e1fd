/// One column of a draft (``ColFileDraft``): its name, type, shape and what its rows hold before
/// anyone writes them.
///
/// Drafts hold fixed-width columns (integers, floats, timestamps, dates; scalars or tensors) and
/// Bool columns: columns whose every row has a fixed place in the file, so that any process can
/// write any row in place.
public struct DraftColumn: Sendable, Hashable {
    /// What a draft's rows hold before they are written.
    public enum InitialRows: String, Sendable, Hashable, CaseIterable {
        /// Every row is null until written: the column has a validity bitmap, all zero at first.
        /// The sealed column keeps its bitmap if any row is still null.
        case null
        /// Every row is zero (false for Bool) and valid: the column has no validity bitmap and no
        /// row can be null. Counters start here.
        case zero
    }

    /// The column's name: 1 to 1024 bytes of UTF-8, unique in the draft.
    public var name: String
    /// The column's physical type: fixed-width or ``PhysicalType/bool``.
    public var physicalType: PhysicalType
    /// What the values mean (`.timestamp` on Int64, `.date` on Int32, else `.none`).
    public var logicalType: LogicalType
    /// The shape of one row for a tensor column, e.g. `[768]`; empty for scalars.
    public var shape: [Int]
    /// What the rows hold before they are written.
    public var initialRows: InitialRows
    /// The column's key/value metadata, carried into the sealed file.
    public var metadata: [String: String]

    /// Declares a column.
    ///
    /// - Parameters:
    ///   - name: The column's name.
    ///   - physicalType: A fixed-width type or `.bool`; ``ColFileDraft/create(_:rowCount:columns:rowsPerRange:metadata:)``
    ///     refuses string and binary types.
    ///   - shape: The shape of one row for a tensor column; empty (the default) for scalars.
    ///   - logicalType: `.timestamp` for Int64, `.date` for Int32, else `.none`.
    ///   - initialRows: `.null` (the default): rows are null until written; `.zero`: rows are
    ///     zero and valid, and the column has no nulls.
    ///   - metadata: The column's metadata.
    public init(_ name: String, _ physicalType: PhysicalType, shape: [Int] = [], logicalType: LogicalType = .none,
                initialRows: InitialRows = .null, metadata: [String: String] = [:]) {
        self.name = name
        self.physicalType = physicalType
        self.logicalType = logicalType
        self.shape = shape
        self.initialRows = initialRows
        self.metadata = metadata
    }

    /// Declares a column of `Value`s; see ``init(_:_:shape:logicalType:initialRows:metadata:)``.
    public init<Value: FixedWidthElement>(_ name: String, of type: Value.Type, shape: [Int] = [],
                                          logicalType: LogicalType = .none, initialRows: InitialRows = .null,
                                          metadata: [String: String] = [:]) {
        self.init(name, Value.physicalType, shape: shape, logicalType: logicalType, initialRows: initialRows,
                  metadata: metadata)
    }

    /// Whether the column has a validity bitmap (its rows start null).
    public var isNullable: Bool { initialRows == .null }

    /// Values in one row (the product of ``shape``; 1 for scalars).
    public var valuesPerRow: Int { shape.reduce(1, *) }

    /// The writer's declaration of the column.
    var declaration: ColumnDeclaration {
        ColumnDeclaration(name: name, physicalType: physicalType, logicalType: logicalType, shape: shape,
                          metadata: metadata)
    }
}
