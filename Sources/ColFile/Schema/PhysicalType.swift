/// How a column's values are laid out in its buffers (Specification.md §6.1).
///
/// The raw value is the code stored in the file. Each type has the layout Apache Arrow gives the
/// type of the same name; ``dictionary`` is Arrow's dictionary layout (§6.4), whose index and
/// value types ``ColumnInfo/dictionary`` gives.
public enum PhysicalType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 8-bit signed integers.
    case int8 = 1
    /// 16-bit signed integers.
    case int16 = 2
    /// 32-bit signed integers.
    case int32 = 3
    /// 64-bit signed integers.
    case int64 = 4
    /// 8-bit unsigned integers.
    case uint8 = 5
    /// 16-bit unsigned integers.
    case uint16 = 6
    /// 32-bit unsigned integers.
    case uint32 = 7
    /// 64-bit unsigned integers.
    case uint64 = 8
    /// IEEE 754 binary16 floating point.
    case float16 = 9
    /// IEEE 754 binary32 floating point.
    case float32 = 10
    /// IEEE 754 binary64 floating point.
    case float64 = 11
    /// Booleans, one bit each, least-significant bit first.
    case bool = 12
    /// UTF-8 strings with 32-bit offsets.
    case string = 13
    /// UTF-8 strings with 64-bit offsets.
    case largeString = 14
    /// Byte strings with 32-bit offsets.
    case binary = 15
    /// Byte strings with 64-bit offsets.
    case largeBinary = 16
    /// Dictionary-encoded values (format 1.2, Specification.md §6.4): each row an Int8, Int16 or
    /// Int32 index into a dictionary of values of another type stored once per column; read with
    /// ``ColFileReader/dictionaryColumn(_:)``.
    case dictionary = 17

    /// The size in bytes of one element of a fixed-width type; nil for bool, strings and binary.
    public var elementSize: Int? {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        case .bool, .string, .largeString, .binary, .largeBinary, .dictionary: nil
        }
    }

    /// The width in bytes of one offset, for string and binary types; nil for the others.
    public var offsetWidth: Int? {
        switch self {
        case .string, .binary: 4
        case .largeString, .largeBinary: 8
        default: nil
        }
    }

    /// Whether values are UTF-8 text (`string` or `largeString`).
    public var isString: Bool { self == .string || self == .largeString }

    /// Whether a dictionary-encoded column may index values of this type (Specification.md
    /// §6.4): every type but Bool and Dictionary.
    public var canBeDictionaryValue: Bool { self != .bool && self != .dictionary }

    /// Whether this type can hold the indices of a dictionary-encoded column: Int8, Int16, Int32.
    public var canBeDictionaryIndex: Bool { self == .int8 || self == .int16 || self == .int32 }

    /// The name used in `Specification.md` and by the `colfile` tool, e.g. `Float64`.
    public var description: String {
        switch self {
        case .int8: "Int8"
        case .int16: "Int16"
        case .int32: "Int32"
        case .int64: "Int64"
        case .uint8: "UInt8"
        case .uint16: "UInt16"
        case .uint32: "UInt32"
        case .uint64: "UInt64"
        case .float16: "Float16"
        case .float32: "Float32"
        case .float64: "Float64"
        case .bool: "Bool"
        case .string: "String"
        case .largeString: "LargeString"
        case .binary: "Binary"
        case .largeBinary: "LargeBinary"
        case .dictionary: "Dictionary"
        }
    }
}
