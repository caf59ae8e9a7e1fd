/// The fields of a key/value metadata block in the heap (Specification.md §5.4): an entry count,
/// then the entries (``MetadataEntryLayout``) back to back.
package enum MetadataBlockLayout {
    /// The entry count N.
    package static let entryCount = Field<UInt32>(0)
    /// Where the first entry starts.
    package static let entries = 4
}

/// The fields of one metadata entry: two lengths, then the key's and the value's bytes.
package enum MetadataEntryLayout {
    /// The key's length in bytes.
    package static let keyLength = Field<UInt32>(0)
    /// The value's length in bytes.
    package static let valueLength = Field<UInt32>(4)
    /// Where the key's bytes start (the value's follow them).
    package static let key = 8
}
