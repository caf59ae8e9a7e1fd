/// The dictionary of a dictionary-encoded column, given to the writer
/// (``ColFileWriter/addDictionaryColumn(_:indices:dictionary:indexType:logicalType:metadata:)``):
/// strings, byte strings or fixed-width values, in index order. Its entries should be distinct
/// (Specification.md §6.4); it has no nulls (a null is a null row).
public struct DictionaryValues: Sendable {
    /// The stored type of the values: String or LargeString, Binary or LargeBinary (the large
    /// form when the bytes reach 2 GiB), or a fixed-width type.
    public let valueType: PhysicalType
    /// The number of entries.
    public let count: Int
    /// For String and Binary values, the `count + 1` offsets of the entries in ``bytes``.
    let offsets: [Int64]?
    /// The entries' bytes: the values of a fixed-width type, or the strings' UTF-8 one after another.
    let bytes: [UInt8]

    /// A dictionary of strings.
    public static func strings(_ values: [String]) -> DictionaryValues {
        variableLength(.string, values.lazy.map(\.utf8))
    }

    /// A dictionary of byte strings.
    public static func binary(_ values: [[UInt8]]) -> DictionaryValues {
        variableLength(.binary, values)
    }

    /// A dictionary of fixed-width values (integers, floats; timestamps as `Int64`, dates as
    /// `Int32` with the column's logical type).
    public static func values<Element: FixedWidthElement>(_ values: [Element]) -> DictionaryValues {
        DictionaryValues(valueType: Element.physicalType, count: values.count, offsets: nil,
                         bytes: unsafe values.withUnsafeBytes { unsafe Array($0) })
    }

    private static func variableLength<Values: Collection>(_ type: PhysicalType, _ values: Values) -> DictionaryValues
        where Values.Element: Sequence<UInt8> {
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(values.count + 1)
        var bytes: [UInt8] = []
        for value in values {
            bytes.append(contentsOf: value)
            offsets.append(Int64(bytes.count))
        }
        return DictionaryValues(stored: type, offsets: offsets, bytes: bytes)
    }

    /// A dictionary of `count` values of `valueType`, from their stored parts.
    init(valueType: PhysicalType, count: Int, offsets: [Int64]?, bytes: [UInt8]) {
        self.valueType = valueType
        self.count = count
        self.offsets = offsets
        self.bytes = bytes
    }

    /// The values of a String or Binary dictionary from their offsets and bytes, in the large
    /// form when the bytes reach 2 GiB.
    init(stored type: PhysicalType, offsets: [Int64], bytes: [UInt8]) {
        let large = bytes.count > Int(Int32.max)
        valueType = large ? (type == .string ? .largeString : .largeBinary) : type
        count = offsets.count - 1
        self.offsets = offsets
        self.bytes = bytes
    }

    /// The offsets as stored: 32-bit for String and Binary, 64-bit for their large forms.
    var storedOffsets: [UInt8]? {
        guard let offsets else { return nil }
        if valueType.offsetWidth == 8 { return unsafe offsets.withUnsafeBytes { unsafe Array($0) } }
        return unsafe offsets.map { Int32(truncatingIfNeeded: $0) }.withUnsafeBytes { unsafe Array($0) }
    }
}

/// Whether a streamed String or Binary column is stored dictionary-encoded (Specification.md
/// §6.4): each distinct value once, and each row as a small index into them.
public enum DictionaryPolicy: Sendable, Equatable {
    /// Plain offsets and bytes (the default).
    case never
    /// Dictionary-encoded, whatever the number of distinct values (up to 2^31 − 1); the writer
    /// holds the distinct values in memory.
    case always
    /// Dictionary-encoded when it pays, decided when the column ends: when the column has at most
    /// ``automaticMaxEntries`` distinct values of at most ``automaticMaxBytes`` bytes in all, and
    /// its indices and dictionary take at most ``automaticMaxRatio`` of the bytes of its plain
    /// offsets and values. Memory stays bounded: the writer gives up the dictionary (and keeps
    /// the plain form it writes alongside) as soon as a bound is passed, including
    /// ``automaticWriterBytes`` for all of a writer's dictionaries together.
    case automatic

    /// The most distinct values a column may have for ``automatic`` to encode it (BENCHMARKS.md,
    /// "Dictionary-encoded columns").
    public static let automaticMaxEntries = 1 << 16
    /// The most bytes the distinct values may take together for ``automatic`` to encode a column.
    public static let automaticMaxBytes = 16 << 20
    /// The most bytes the dictionaries of one writer's ``automatic`` columns hold together while
    /// they are written (their values, 8 bytes per entry and 12 per hash table slot): a column
    /// whose dictionary would pass it is stored plain, so a writer of many String columns holds at
    /// most this much for their dictionaries, whatever the number of columns.
    public static let automaticWriterBytes = 64 << 20
    /// The largest size of the encoded column (indices, dictionary offsets and values), as a
    /// share of its plain offsets and values, for which ``automatic`` encodes it.
    public static let automaticMaxRatio = 0.5
}
