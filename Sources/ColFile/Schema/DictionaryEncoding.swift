/// How a dictionary-encoded column stores its rows (Specification.md §6.4): each row is an index
/// of ``indexType`` into a dictionary of ``entryCount`` values of ``valueType``, stored once per
/// column. It is Arrow's dictionary layout: a column reads zero-copy as a `DictionaryArray`.
public struct DictionaryEncoding: Sendable, Hashable, CustomStringConvertible {
    /// The type of the indices: ``PhysicalType/int8``, ``PhysicalType/int16`` or
    /// ``PhysicalType/int32`` (signed, as Arrow's; a null row's index is −1).
    public var indexType: PhysicalType
    /// The type of the dictionary's values: any type but Bool and Dictionary.
    public var valueType: PhysicalType
    /// The number of dictionary entries, N; a valid row's index is in `0 ..< entryCount`.
    public var entryCount: Int

    /// An encoding with these types and entries.
    public init(indexType: PhysicalType, valueType: PhysicalType, entryCount: Int) {
        self.indexType = indexType
        self.valueType = valueType
        self.entryCount = entryCount
    }

    /// The most entries a dictionary with indices of `indexType` may have (Specification.md §8):
    /// 128 for Int8, 32,768 for Int16, 2^31 − 1 for Int32; 0 for a type that cannot be an index.
    public static func maxEntryCount(indexType: PhysicalType) -> Int {
        switch indexType {
        case .int8: 128
        case .int16: 32_768
        case .int32: Int(Int32.max)
        default: 0
        }
    }

    /// The narrowest index type whose dictionaries may hold `entryCount` entries (the writers'
    /// choice when none is given); nil above 2^31 − 1.
    public static func narrowestIndexType(forEntryCount entryCount: Int) -> PhysicalType? {
        [PhysicalType.int8, .int16, .int32].first { entryCount <= maxEntryCount(indexType: $0) }
    }

    /// `dictionary(String, Int16 indices, 105 entries)`.
    public var description: String { "dictionary(\(valueType), \(indexType) indices, \(entryCount) entries)" }
}
