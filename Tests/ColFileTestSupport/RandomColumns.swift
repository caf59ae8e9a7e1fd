import ColFile

/// The kinds of column the round-trip and random tests make: every physical type a writer picks
/// for small data, tensors, and the logical types.
public enum ColumnKind: String, CaseIterable, Sendable {
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64
    case bool, string, binary, tensorFloat32, tensorInt16, timestamp, date
    /// Dictionary-encoded (Specification.md §6.4): strings drawn from a pool of up to 300 (so
    /// Int8 or Int16 indices), written with ``FixtureColumn/dictionaryEncoding(_:_:metadata:)``.
    case dictionaryString
    /// Dictionary-encoded Float64 values given as a dictionary and indices of a random index type.
    case dictionaryFloat64
}

/// Which rows of a generated column are null.
public enum NullPattern: String, CaseIterable, Sendable {
    /// No row is null (the column has no validity buffer).
    case none
    /// About one row in three is null.
    case some
    /// Every row is null.
    case all
}

/// Columns of random values drawn from a ``SplitMix64``, so a test replays from its seed.
///
/// Integers cover their whole range, floating-point values are random bit patterns (NaNs with
/// payloads, infinities, subnormals and signed zeros included), strings mix 1- to 4-byte UTF-8
/// characters and NUL, binary values are random bytes, tensor shapes have rank 1 to 3.
public enum RandomColumns {
    /// A column of `kind` named `name` with `rows` rows whose nulls follow `nulls`.
    package static func make(_ kind: ColumnKind, name: String, rows: Int, nulls: NullPattern,
                            using rng: inout SplitMix64) -> FixtureColumn {
        switch kind {
        case .int8: .fixed(name, integers(Int8.self, rows, nulls, &rng))
        case .int16: .fixed(name, integers(Int16.self, rows, nulls, &rng))
        case .int32: .fixed(name, integers(Int32.self, rows, nulls, &rng))
        case .int64: .fixed(name, integers(Int64.self, rows, nulls, &rng))
        case .uint8: .fixed(name, integers(UInt8.self, rows, nulls, &rng))
        case .uint16: .fixed(name, integers(UInt16.self, rows, nulls, &rng))
        case .uint32: .fixed(name, integers(UInt32.self, rows, nulls, &rng))
        case .uint64: .fixed(name, integers(UInt64.self, rows, nulls, &rng))
        case .float16: .fixed(name, values(rows, nulls, &rng) { Float16(bitPattern: UInt16(truncatingIfNeeded: $0.next())) })
        case .float32: .fixed(name, values(rows, nulls, &rng) { Float(bitPattern: UInt32(truncatingIfNeeded: $0.next())) })
        case .float64: .fixed(name, values(rows, nulls, &rng) { Double(bitPattern: $0.next()) })
        case .bool: .bool(name, values(rows, nulls, &rng) { $0.next() & 1 == 1 })
        case .string: .string(name, values(rows, nulls, &rng) { text(&$0) })
        case .binary:
            .binary(name, values(rows, nulls, &rng) { rng in
                (0..<Int(rng.next() % 12)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            })
        case .tensorFloat32:
            tensor(name, Float.self, rows, nulls, &rng) { Float(bitPattern: UInt32(truncatingIfNeeded: $0.next())) }
        case .tensorInt16:
            tensor(name, Int16.self, rows, nulls, &rng) { Int16(truncatingIfNeeded: $0.next()) }
        case .timestamp:
            .fixed(name, integers(Int64.self, rows, nulls, &rng),
                   logicalType: .timestamp(unit: TimeUnit.allCases.randomElement(using: &rng)!,
                                           timeZone: [nil, "UTC", "Asia/Tokyo", "+05:30"].randomElement(using: &rng)!))
        case .date: .fixed(name, integers(Int32.self, rows, nulls, &rng), logicalType: .date)
        case .dictionaryString:
            dictionaryStrings(name, rows, nulls, &rng)
        case .dictionaryFloat64:
            dictionaryFloats(name, rows, nulls, &rng)
        }
    }

    private static func dictionaryStrings(_ name: String, _ rows: Int, _ nulls: NullPattern,
                                          _ rng: inout SplitMix64) -> FixtureColumn {
        let pool = (0..<Int(1 + rng.next() % 300)).map { _ in text(&rng) }
        return .dictionaryEncoding(name, values(rows, nulls, &rng) { pool[Int($0.next() % UInt64(pool.count))] })
    }

    private static func dictionaryFloats(_ name: String, _ rows: Int, _ nulls: NullPattern,
                                         _ rng: inout SplitMix64) -> FixtureColumn {
        let entries = (0..<Int(rng.next() % 40)).map { _ in Double(bitPattern: rng.next()) }
        let indexType = [PhysicalType.int8, .int16, .int32].randomElement(using: &rng)!
        let indices: [Int?] = values(rows, entries.isEmpty ? .all : nulls, &rng) {
            Int($0.next() % UInt64(max(entries.count, 1)))
        }
        return .dictionary(name, indices: indices, values: entries, indexType: indexType)
    }

    /// `rows` values made by `make`, with nulls as `nulls` says.
    private static func values<Value>(_ rows: Int, _ nulls: NullPattern, _ rng: inout SplitMix64,
                                      _ make: (inout SplitMix64) -> Value) -> [Value?] {
        (0..<rows).map { _ in
            switch nulls {
            case .none: make(&rng)
            case .all: nil
            case .some: rng.next() % 3 == 0 ? nil : make(&rng)
            }
        }
    }

    private static func integers<Element: FixedWidthInteger & FixedWidthElement>(
        _ type: Element.Type, _ rows: Int, _ nulls: NullPattern, _ rng: inout SplitMix64
    ) -> [Element?] {
        values(rows, nulls, &rng) { rng in
            switch rng.next() % 8 {
            case 0: Element.min
            case 1: Element.max
            default: Element.random(in: Element.min...Element.max, using: &rng)
            }
        }
    }

    private static func tensor<Element: FixedWidthElement>(
        _ name: String, _ type: Element.Type, _ rows: Int, _ nulls: NullPattern, _ rng: inout SplitMix64,
        _ make: @escaping (inout SplitMix64) -> Element
    ) -> FixtureColumn {
        let shape = (0..<Int(1 + rng.next() % 3)).map { _ in Int(1 + rng.next() % 4) }
        let perRow = shape.reduce(1, *)
        return .tensor(name, shape: shape, values(rows, nulls, &rng) { rng in (0..<perRow).map { _ in make(&rng) } })
    }

    private static let characters: [String] = ["a", "Z", " ", "é", "ß", "日", "本", "😀", "🇫🇷", "\u{0}", "\n"]

    private static func text(_ rng: inout SplitMix64) -> String {
        (0..<Int(rng.next() % 9)).map { _ in characters.randomElement(using: &rng)! }.joined()
    }
}
