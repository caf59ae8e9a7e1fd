import ColFile

/// One column of a test table: its expected description and values, and how to write it to a
/// ``ColFileWriter`` either whole (`addColumn`…) or row by row through a stream (`stream…Column`).
///
/// The golden fixtures, the round-trip tests and the random tests all describe their columns with
/// these, so the value of a column is written down once and both written and checked from it.
public struct FixtureColumn: Sendable {
    /// What a reader must report for the column.
    public let expected: ExpectedColumn
    private let writeWhole: @Sendable (ColFileWriter) throws -> Void
    private let openStream: @Sendable (ColFileWriter) throws -> RowStream

    /// The column's name.
    public var name: String { expected.name }
    /// The number of rows.
    public var rowCount: Int { expected.values.count }

    fileprivate init(_ expected: ExpectedColumn, whole: @escaping @Sendable (ColFileWriter) throws -> Void,
                 stream: @escaping @Sendable (ColFileWriter) throws -> RowStream) {
        self.expected = expected
        self.writeWhole = whole
        self.openStream = stream
    }

    /// Adds the whole column to `writer` with one `addColumn`-family call.
    public func write(to writer: ColFileWriter) throws {
        try writeWhole(writer)
    }

    /// Starts a stream for the column on `writer`; the caller appends rows in order, then may finish it.
    public func stream(on writer: ColFileWriter) throws -> RowStream {
        try openStream(writer)
    }

    private static func expected(_ name: String, _ type: PhysicalType, _ logicalType: LogicalType = .none,
                                 shape: [Int] = [], metadata: [String: String], values: [ExpectedValue])
        -> ExpectedColumn {
        ExpectedColumn(name: name, physicalType: type.description, logicalType: logicalType.description, shape: shape,
                       nullCount: values.filter { $0 == .null }.count, metadata: metadata, values: values)
    }

    /// A scalar fixed-width column (integers, floats, timestamps, dates); nil values are null rows.
    public static func fixed<Element: FixedWidthElement>(
        _ name: String, _ values: [Element?], logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) -> FixtureColumn {
        FixtureColumn(
            expected(name, Element.physicalType, logicalType, metadata: metadata,
                     values: values.map { $0.map(ExpectedValue.of) ?? .null }),
            whole: { writer in
                if values.contains(nil) {
                    try writer.addColumn(name, values, logicalType: logicalType, metadata: metadata)
                } else {
                    try writer.addColumn(name, values.map { $0 ?? .zero }, logicalType: logicalType, metadata: metadata)
                }
            },
            stream: { writer in
                let stream = try writer.streamColumn(name, of: Element.self, logicalType: logicalType, metadata: metadata)
                return RowStream(append: { try stream.append(values[$0]) }, finish: stream.finish)
            })
    }

    /// A tensor column whose rows have `shape`; nil rows are null.
    public static func tensor<Element: FixedWidthElement>(
        _ name: String, shape: [Int], _ rows: [[Element]?], metadata: [String: String] = [:]
    ) -> FixtureColumn {
        let perRow = shape.reduce(1, *)
        precondition(rows.allSatisfy { $0 == nil || $0!.count == perRow }, "tensor rows must have shape \(shape)")
        return FixtureColumn(
            expected(name, Element.physicalType, shape: shape, metadata: metadata,
                     values: rows.map { $0.map { .array($0.map(ExpectedValue.of)) } ?? .null }),
            whole: { writer in
                let flat = rows.flatMap { $0 ?? Array(repeating: .zero, count: perRow) }
                try writer.addTensorColumn(name, shape: shape, flat, validity: rows.contains { $0 == nil }
                                           ? rows.map { $0 != nil } : nil, metadata: metadata)
            },
            stream: { writer in
                let stream = try writer.streamColumn(name, of: Element.self, shape: shape, metadata: metadata)
                return RowStream(append: { row in
                    if let values = rows[row] { try stream.append(contentsOf: values) } else { try stream.appendNulls() }
                }, finish: stream.finish)
            })
    }

    /// A Bool column; nil values are null rows.
    public static func bool(_ name: String, _ values: [Bool?], metadata: [String: String] = [:]) -> FixtureColumn {
        FixtureColumn(
            expected(name, .bool, metadata: metadata, values: values.map { $0.map(ExpectedValue.bool) ?? .null }),
            whole: { writer in
                if values.contains(nil) {
                    try writer.addColumn(name, values, metadata: metadata)
                } else {
                    try writer.addColumn(name, values.map { $0 ?? false }, metadata: metadata)
                }
            },
            stream: { writer in
                let stream = try writer.streamBoolColumn(name, metadata: metadata)
                return RowStream(append: { try stream.append(values[$0]) }, finish: stream.finish)
            })
    }

    /// A String column; nil values are null rows.
    public static func string(_ name: String, _ values: [String?], metadata: [String: String] = [:]) -> FixtureColumn {
        FixtureColumn(
            expected(name, .string, metadata: metadata, values: values.map { $0.map(ExpectedValue.text) ?? .null }),
            whole: { writer in
                if values.contains(nil) {
                    try writer.addColumn(name, values, metadata: metadata)
                } else {
                    try writer.addColumn(name, values.map { $0 ?? "" }, metadata: metadata)
                }
            },
            stream: { writer in
                let stream = try writer.streamStringColumn(name, metadata: metadata)
                return RowStream(append: { try stream.append(values[$0]) }, finish: stream.finish)
            })
    }

    /// A Binary column; nil values are null rows.
    public static func binary(_ name: String, _ values: [[UInt8]?], metadata: [String: String] = [:]) -> FixtureColumn {
        FixtureColumn(
            expected(name, .binary, metadata: metadata, values: values.map { $0.map(ExpectedValue.hex) ?? .null }),
            whole: { writer in
                if values.contains(nil) {
                    try writer.addBinaryColumn(name, values, metadata: metadata)
                } else {
                    try writer.addBinaryColumn(name, values.map { $0 ?? [] }, metadata: metadata)
                }
            },
            stream: { writer in
                let stream = try writer.streamBinaryColumn(name, metadata: metadata)
                return RowStream(append: { try stream.append(bytes: values[$0]) }, finish: stream.finish)
            })
    }
}

extension FixtureColumn {
    /// A String column stored dictionary-encoded (Specification.md §6.4): its distinct strings in
    /// order of first appearance, with the narrowest index type; written whole with
    /// ``ColFileWriter/addDictionaryColumn(_:encoding:metadata:)`` or streamed with
    /// ``DictionaryPolicy/always``, which give the same bytes. Nil values are null rows.
    public static func dictionaryEncoding(_ name: String, _ values: [String?], metadata: [String: String] = [:])
        -> FixtureColumn {
        var seen: [[UInt8]: Int] = [:]
        var entries: [String] = []
        for case let value? in values where seen[Array(value.utf8)] == nil {
            seen[Array(value.utf8)] = entries.count
            entries.append(value)
        }
        let indexType = DictionaryEncoding.narrowestIndexType(forEntryCount: entries.count)!
        return FixtureColumn(
            dictionaryExpected(name, indexType: indexType, valueType: .string, logicalType: .none, metadata: metadata,
                               entries: entries.map(ExpectedValue.text),
                               indices: values.map { $0.map { seen[Array($0.utf8)]! } }),
            whole: { writer in try writer.addDictionaryColumn(name, encoding: values, metadata: metadata) },
            stream: { writer in
                let stream = try writer.streamStringColumn(name, dictionary: .always, metadata: metadata)
                return RowStream(append: { try stream.append(values[$0]) }, finish: stream.finish)
            })
    }

    /// A dictionary-encoded column of strings given as a dictionary and each row's index (nil for
    /// a null row), with `indexType` (the narrowest when nil).
    public static func dictionary(_ name: String, indices: [Int?], strings: [String], indexType: PhysicalType? = nil,
                                  metadata: [String: String] = [:]) -> FixtureColumn {
        dictionary(name, indices: indices, .strings(strings), entries: strings.map(ExpectedValue.text),
                   indexType: indexType, logicalType: .none, metadata: metadata)
    }

    /// A dictionary-encoded column of byte strings; see ``dictionary(_:indices:strings:indexType:metadata:)``.
    public static func dictionary(_ name: String, indices: [Int?], binary: [[UInt8]], indexType: PhysicalType? = nil,
                                  metadata: [String: String] = [:]) -> FixtureColumn {
        dictionary(name, indices: indices, .binary(binary), entries: binary.map(ExpectedValue.hex),
                   indexType: indexType, logicalType: .none, metadata: metadata)
    }

    /// A dictionary-encoded column of fixed-width values (timestamps and dates with `logicalType`);
    /// see ``dictionary(_:indices:strings:indexType:metadata:)``.
    public static func dictionary<Element: FixedWidthElement>(
        _ name: String, indices: [Int?], values: [Element], indexType: PhysicalType? = nil,
        logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) -> FixtureColumn {
        dictionary(name, indices: indices, .values(values), entries: values.map(ExpectedValue.of),
                   indexType: indexType, logicalType: logicalType, metadata: metadata)
    }

    private static func dictionary(
        _ name: String, indices: [Int?], _ dictionary: DictionaryValues, entries: [ExpectedValue],
        indexType: PhysicalType?, logicalType: LogicalType, metadata: [String: String]
    ) -> FixtureColumn {
        let stored = indexType ?? DictionaryEncoding.narrowestIndexType(forEntryCount: dictionary.count)!
        return FixtureColumn(
            dictionaryExpected(name, indexType: stored, valueType: dictionary.valueType, logicalType: logicalType,
                               metadata: metadata, entries: entries, indices: indices),
            whole: { writer in
                try writer.addDictionaryColumn(name, indices: indices, dictionary: dictionary, indexType: indexType,
                                               logicalType: logicalType, metadata: metadata)
            },
            stream: { writer in
                let stream = try writer.streamDictionaryColumn(name, dictionary: dictionary, indexType: indexType,
                                                               logicalType: logicalType, metadata: metadata)
                return RowStream(append: { try stream.append(indices[$0]) }, finish: stream.finish)
            })
    }

    private static func dictionaryExpected(
        _ name: String, indexType: PhysicalType, valueType: PhysicalType, logicalType: LogicalType,
        metadata: [String: String], entries: [ExpectedValue], indices: [Int?]
    ) -> ExpectedColumn {
        ExpectedColumn(name: name, physicalType: PhysicalType.dictionary.description,
                       logicalType: logicalType.description, shape: [],
                       nullCount: indices.filter { $0 == nil }.count, metadata: metadata,
                       values: indices.map { $0.map { entries[$0] } ?? .null },
                       dictionary: ExpectedDictionary(indexType: indexType.description,
                                                      valueType: valueType.description, entries: entries))
    }
}

/// An open column stream of a ``FixtureColumn``: append its rows in order, then finish it (or let
/// ``ColFileWriter/finish()`` do so).
public struct RowStream {
    /// Appends the column's row `row`; rows must be appended in order, from 0.
    public let append: (_ row: Int) throws -> Void
    /// Places the column in the file now.
    public let finish: () throws -> Void
}

/// How a test table's columns reach the writer.
public enum WriteMode: String, Sendable, CaseIterable {
    /// Every column with one `addColumn`-family call.
    case whole
    /// Every column through a stream, all streams open at once and fed row by row, like a
    /// producer that emits rows; the writer's `finish()` completes the streams.
    case streamed

    /// Writes `columns` (all of the same row count) and `metadata` to `path` and publishes the file,
    /// storing every column as `compression` says, except those `columnCompression` names.
    public func write(_ columns: [FixtureColumn], metadata: [String: String] = [:], to path: String,
                      options: ColFileWriter.Options = .init(), compression: Compression = .none,
                      columnCompression: [String: Compression] = [:]) throws {
        let writer = try ColFileWriter(path: path, options: options)
        writer.metadata = metadata
        writer.defaultCompression = compression
        writer.compression = columnCompression
        switch self {
        case .whole:
            for column in columns { try column.write(to: writer) }
        case .streamed:
            let streams = try columns.map { try $0.stream(on: writer) }
            for row in 0..<(columns.first?.rowCount ?? 0) {
                for stream in streams { try stream.append(row) }
            }
        }
        try writer.finish()
    }
}
