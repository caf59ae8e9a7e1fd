/// An instant read from ISO 8601 text.
struct CSVTimestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (the zone's offset applied; no zone means UTC).
    var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1e9.
    var nanoseconds: Int64
    /// The number of digits of the fraction of a second written (0 to 9).
    var fractionDigits: Int
    /// Whether the text gave a zone (`Z` or an offset).
    var zoned: Bool
}
