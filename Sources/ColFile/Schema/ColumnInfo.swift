/// One buffer of a column as stored in the file (Specification.md §5.2).
public struct BufferInfo: Sendable, Hashable {
    /// Which slot the buffer fills.
    public var role: BufferRole
    /// Absolute offset of the buffer in the file.
    public var offset: UInt64
    /// Bytes the buffer occupies in the file.
    public var storedLength: UInt64
    /// Bytes of the buffer's content once decoded (equal to `storedLength` without a codec).
    public var decodedLength: UInt64
    /// CRC-32 of the buffer's content.
    public var checksum: UInt32
    /// For a compressed buffer, the decoded size of its chunks (the last may be shorter); else 0.
    public var chunkSize: Int = 0
    /// For a compressed buffer, the number of chunks; else 0.
    public var chunkCount: Int = 0
}

/// The description of one column: everything the directory says about it.
public struct ColumnInfo: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// The column's position in the directory (and in the file).
    public var index: Int
    /// How values are laid out: ``PhysicalType/dictionary`` for a dictionary-encoded column,
    /// whose index and value types ``dictionary`` gives.
    public var physicalType: PhysicalType
    /// What values mean.
    public var logicalType: LogicalType
    /// The shape of one row: empty for scalar columns, `[768]` for rows of 768 values.
    public var shape: [Int]
    /// Number of rows.
    public var rowCount: Int
    /// Number of null rows.
    public var nullCount: Int
    /// Whether the column has a validity bitmap (it may still have 0 nulls).
    public var isNullable: Bool
    /// How the column's buffers are stored: ``Codec/none``, or compressed (a cold column,
    /// Specification.md §13).
    public var codec: Codec
    /// The column's present buffers, in file order.
    public var buffers: [BufferInfo]
    /// The column's key/value metadata.
    public var metadata: [String: String]
    /// For a dictionary-encoded column (``PhysicalType/dictionary``), its index type, value type
    /// and number of entries (Specification.md §6.4); nil for every other column.
    public var dictionary: DictionaryEncoding? = nil
    /// Why this reader cannot read the column, when it cannot: its physical type or codec is one
    /// this version does not know (Specification.md §9 step 14.2; the rest of the file stays
    /// readable). `physicalType` and `codec` are then placeholders; asking for the column's values
    /// throws this error.
    public var unreadable: ColFileError? = nil

    /// The type of a row's value: the dictionary's value type for a dictionary-encoded column,
    /// else ``physicalType``.
    public var valueType: PhysicalType { dictionary?.valueType ?? physicalType }
    /// Whether the column is dictionary-encoded (Specification.md §6.4).
    public var isDictionaryEncoded: Bool { dictionary != nil }
    /// Bytes the column occupies in the file.
    public var storedBytes: UInt64 { buffers.reduce(0) { $0 + $1.storedLength } }
    /// Bytes of the column's content once decoded.
    public var rawBytes: UInt64 { buffers.reduce(0) { $0 + $1.decodedLength } }
    /// Whether the column is compressed, so reading it needs decoding.
    public var isCompressed: Bool { codec != .none }
    /// Number of values in one row (the product of `shape`; 1 for scalar columns).
    public var valuesPerRow: Int { shape.reduce(1, *) }

    /// The column's type in messages: `Int32`, `a tensor column of Float32`, `a dictionary of String`.
    var typeDescription: String {
        if let dictionary { return "a dictionary of \(dictionary.valueType)" }
        return shape.isEmpty ? "\(physicalType)" : "a tensor column of \(physicalType)"
    }
}
