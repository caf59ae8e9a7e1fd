/// A CSV field read as the narrowest colfile value it can be stored as without losing anything.
enum CSVToken {
    /// `true` or `false` in any letter case.
    case bool(Bool)
    /// A decimal integer that fits Int64, without redundant leading zeros.
    case int(Int64)
    /// A decimal floating-point number (or `inf`, `-inf`, `nan` in any case) that Float64 holds
    /// without overflowing to infinity or underflowing to zero.
    case float(Double)
    /// `YYYY-MM-DD`: days since 1970-01-01.
    case date(Int32)
    /// An ISO 8601 date and time, with or without a zone.
    case timestamp(CSVTimestamp)
    /// Anything else: only a String column holds it.
    case text
}
