/// One column of a dataset's schema: what every shard's column at that position must be
/// (Specification.md §14.3).
///
/// Physical types ``PhysicalType/string`` and ``PhysicalType/largeString`` are one kind here, as
/// are ``PhysicalType/binary`` and ``PhysicalType/largeBinary``: a writer picks the offsets'
/// width per file (§6.1), so shards of one column may differ in it. The schema spells the kind
/// ``PhysicalType/string`` or ``PhysicalType/binary``. The codec is each shard's own choice, and so
/// is dictionary encoding (§6.4): a dictionary-encoded column fits the kind of its dictionary's
/// values.
public struct DatasetColumn: Sendable, Hashable, CustomStringConvertible {
    /// The column's name.
    public var name: String
    /// The kind of values: a fixed-width type, ``PhysicalType/bool``, ``PhysicalType/string``
    /// (String or LargeString in a shard) or ``PhysicalType/binary`` (Binary or LargeBinary).
    public var physicalType: PhysicalType
    /// What the values mean.
    public var logicalType: LogicalType
    /// The shape of one row: empty for scalar columns.
    public var shape: [Int]
    /// Whether shards may have a validity bitmap (nulls) for the column. A column that is not
    /// nullable has no validity bitmap in any shard.
    public var isNullable: Bool

    /// A column of the given description; String and Binary widths are folded into their kind.
    public init(name: String, physicalType: PhysicalType, logicalType: LogicalType = .none, shape: [Int] = [],
                isNullable: Bool = false) {
        self.name = name
        self.physicalType = DatasetColumn.kind(of: physicalType)
        self.logicalType = logicalType
        self.shape = shape
        self.isNullable = isNullable
    }

    /// The schema column a file's column gives: its name, the kind of its values (a dictionary's
    /// value type for a dictionary-encoded column), logical type and shape, nullable when it has a
    /// validity bitmap.
    public init(_ info: ColumnInfo) {
        self.init(name: info.name, physicalType: info.valueType, logicalType: info.logicalType, shape: info.shape,
                  isNullable: info.isNullable)
    }

    /// `price: Float64`, `ts: Int64 Timestamp(ms, UTC) nullable`, `emb: Float32[8]`.
    public var description: String {
        var text = "\(name): \(typeDescription)"
        if isNullable { text += " nullable" }
        return text
    }

    /// The kind and shape, with the logical type when there is one: `Float32[8]`, `Int64 Timestamp(ms)`.
    public var typeDescription: String {
        var text = physicalType.description
        if !shape.isEmpty { text += "[" + shape.map(String.init).joined(separator: "x") + "]" }
        if logicalType != .none { text += " \(logicalType)" }
        return text
    }

    /// The schema's kind of a file's physical type: LargeString is String, LargeBinary is Binary.
    static func kind(of type: PhysicalType) -> PhysicalType {
        switch type {
        case .largeString: .string
        case .largeBinary: .binary
        default: type
        }
    }

    /// Why a shard whose columns are `found` does not fit `schema`, or nil when it does: the same
    /// names, kinds, logical types and shapes in the same order, and, when `checkingNullability`,
    /// no validity bitmap for a column that is not nullable.
    static func schemaProblem(_ found: [DatasetColumn], schema: [DatasetColumn], checkingNullability: Bool) -> String? {
        guard found.count == schema.count else {
            return "it has \(found.count) columns where the dataset has \(schema.count)"
        }
        for (column, expected) in zip(found, schema) {
            if column.name != expected.name {
                return "its column is named '\(column.name)' where the dataset's is '\(expected.name)'"
            }
            if column.physicalType != expected.physicalType || column.logicalType != expected.logicalType
                || column.shape != expected.shape {
                return "column '\(expected.name)' is \(column.typeDescription) where the dataset's is \(expected.typeDescription)"
            }
            if checkingNullability && column.isNullable && !expected.isNullable {
                return "column '\(expected.name)' has a validity bitmap where the dataset's column is not nullable"
            }
        }
        return nil
    }
}
