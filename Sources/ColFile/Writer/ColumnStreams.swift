/// The appends of a fixed-width column stream as a value, not an object: ``FixedWidthColumnStream``
/// wraps one (an import holds ``TableColumnAppender``s instead: ``ColumnTable``).
@usableFromInline package struct FixedWidthAppender<Element: FixedWidthElement> {
    @usableFromInline let core: StreamCore
    @usableFromInline let valuesPerRow: Int

    init(core: StreamCore) {
        self.core = core
        self.valuesPerRow = core.declaration.valuesPerRow
    }

    /// Appends whole rows from a span, as the stream's `append(contentsOf:)` does.
    package func append(contentsOf values: Span<Element>) throws {
        guard values.count % valuesPerRow == 0 else {
            throw ColFileError(.invalidArgument, path: core.path, column: core.declaration.name,
                               message: "appended values are not whole rows",
                               expected: "a multiple of \(valuesPerRow)", found: values.count)
        }
        try unsafe values.withUnsafeBytes { try unsafe core.appendValueBytes($0) }
        try core.appendRows(values.count / valuesPerRow, valid: true)
    }

    /// Appends whole rows from an array, as the stream's `append(contentsOf:)` does.
    package func append(contentsOf values: [Element]) throws {
        try append(contentsOf: values.span)
    }

    /// Appends one row or a null row, as ``FixedWidthColumnStream/append(_:)`` does.
    @inlinable package func append(_ value: Element?) throws {
        precondition(valuesPerRow == 1, "append(_:) is for scalar columns; use append(contentsOf:) for tensor rows")
        var stored = value ?? .zero
        try unsafe withUnsafeBytes(of: &stored) { try unsafe core.appendValueBytes($0) }
        try core.appendRows(1, valid: value != nil)
    }

    /// Appends `count` null rows, as ``FixedWidthColumnStream/appendNulls(_:)`` does.
    package func appendNulls(_ count: Int = 1) throws {
        let zeros = [Element](repeating: .zero, count: count * valuesPerRow)
        try unsafe zeros.withUnsafeBytes { try unsafe core.appendValueBytes($0) }
        try core.appendRows(count, valid: false)
    }

    /// Places the column in the file now, as ``FixedWidthColumnStream/finish()`` does.
    package func finish() throws { try core.finish() }
}

/// Appends the values of a fixed-width column (scalar or tensor) piece by piece; made by
/// ``ColFileWriter/streamColumn(_:of:shape:logicalType:metadata:)``.
///
/// Memory stays bounded whatever the column's length. Call ``finish()`` to place the column in
/// the file now, or let ``ColFileWriter/finish()`` do it.
public final class FixedWidthColumnStream<Element: FixedWidthElement> {
    @usableFromInline let appender: FixedWidthAppender<Element>

    init(core: StreamCore) {
        self.appender = FixedWidthAppender(core: core)
    }

    /// Appends whole rows from memory the caller owns (no copy is kept): for a tensor column,
    /// `values.count` must be a multiple of the row size.
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` when the values are not whole rows; `io`
    ///   errors.
    public func append(contentsOf values: Span<Element>) throws {
        try appender.append(contentsOf: values)
    }

    /// Appends whole rows from an array; see the span form.
    public func append(contentsOf values: [Element]) throws {
        try appender.append(contentsOf: values.span)
    }

    /// Appends one row of a scalar column, or nil for a null row (stored as zero).
    ///
    /// `@inlinable` so that callers in other modules get it specialized for `Element`: unspecialized,
    /// the generic byte copy made a CSV import much slower (measured with perf).
    @inlinable public func append(_ value: Element?) throws {
        try appender.append(value)
    }

    /// Appends `count` null rows (stored as zeros).
    public func appendNulls(_ count: Int = 1) throws {
        try appender.appendNulls(count)
    }

    /// Places the column in the file now; no appends may follow.
    public func finish() throws { try appender.finish() }
}

/// Appends the values of a Bool column piece by piece; made by ``ColFileWriter/streamBoolColumn(_:metadata:)``.
public final class BoolColumnStream {
    private let core: StreamCore

    init(core: StreamCore) {
        self.core = core
    }

    /// Appends one row, or nil for a null row.
    public func append(_ value: Bool?) throws {
        try core.appendValueBit(value ?? false)
        try core.appendRows(1, valid: value != nil)
    }

    /// Appends rows.
    public func append(contentsOf values: some Sequence<Bool>) throws {
        var count = 0
        for value in values {
            try core.appendValueBit(value)
            count += 1
        }
        try core.appendRows(count, valid: true)
    }

    /// Appends rows from an array: its bits packed in one loop (the generic form above is not
    /// specialized for callers in other modules and paid an iterator call per value).
    public func append(contentsOf values: [Bool]) throws {
        try core.appendValueBits(values.span)
        try core.appendRows(values.count, valid: true)
    }

    /// Appends rows from a span, as the array form does.
    package func append(contentsOf values: Span<Bool>) throws {
        try core.appendValueBits(values)
        try core.appendRows(values.count, valid: true)
    }

    /// Appends `count` null rows.
    public func appendNulls(_ count: Int = 1) throws {
        for _ in 0..<count { try core.appendValueBit(false) }
        try core.appendRows(count, valid: false)
    }

    /// Places the column in the file now; no appends may follow.
    public func finish() throws { try core.finish() }
}

/// Appends the values of a String or Binary column piece by piece; made by
/// ``ColFileWriter/streamStringColumn(_:dictionary:metadata:)`` or
/// ``ColFileWriter/streamBinaryColumn(_:dictionary:metadata:)``. With a ``DictionaryPolicy`` other
/// than ``DictionaryPolicy/never`` the column may be stored dictionary-encoded (Specification.md
/// §6.4); what is appended is the same.
public final class VariableLengthColumnStream {
    private let core: StreamCore

    init(core: StreamCore) {
        self.core = core
    }

    /// Appends one string, or nil for a null row.
    public func append(_ value: String?) throws {
        guard var text = value else { return try core.appendVariableLengthNulls(1) }
        try text.withUTF8 { try unsafe core.appendVariableLengthValue(UnsafeRawBufferPointer($0)) }
    }

    /// Appends one byte string, or nil for a null row.
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` when the column is a String column and
    ///   the bytes are not UTF-8.
    public func append(bytes value: [UInt8]?) throws {
        guard let value else { return try core.appendVariableLengthNulls(1) }
        try append(bytes: value.span)
    }

    /// Appends one byte string from memory the caller owns (no copy is kept).
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` when the column is a String column and
    ///   the bytes are not UTF-8.
    public func append(bytes value: Span<UInt8>) throws {
        if core.declaration.physicalType == .string, (try? UTF8Span(validating: value)) == nil {
            throw ColFileError(.invalidArgument, path: core.path, column: core.declaration.name,
                               message: "the bytes appended to a String column are not UTF-8")
        }
        try unsafe value.withUnsafeBytes { try unsafe core.appendVariableLengthValue($0) }
    }

    /// Appends one value per element of `ends`, stored one after another in `bytes`: value `i`
    /// is `bytes` from `ends[i - 1]` (0 for the first) to `ends[i]`. One call for many short
    /// values instead of one each (a CSV import appends a block of a column's fields at once).
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` when the ends do not ascend from 0 to
    ///   `bytes.count`, or the column is a String column and a value is not UTF-8; nothing is
    ///   appended then.
    public func append(contentsOf bytes: Span<UInt8>, ends: Span<Int>) throws {
        var start = 0
        for index in ends.indices {
            guard ends[index] >= start, ends[index] <= bytes.count else {
                throw ColFileError(.invalidArgument, path: core.path, column: core.declaration.name,
                                   message: "the ends of the values appended do not ascend within the bytes",
                                   expected: "\(start)...\(bytes.count)", found: ends[index])
            }
            start = ends[index]
        }
        guard start == bytes.count else {
            throw ColFileError(.invalidArgument, path: core.path, column: core.declaration.name,
                               message: "the ends of the values appended stop before the end of the bytes",
                               expected: bytes.count, found: start)
        }
        // Every value is UTF-8 when all the bytes are and no value starts inside a sequence.
        if core.declaration.physicalType == .string {
            let isUTF8 = (try? UTF8Span(validating: bytes)) != nil
            guard isUTF8, !ends.indices.contains(where: { ends[$0] < bytes.count && bytes[ends[$0]] & 0xC0 == 0x80 }) else {
                throw ColFileError(.invalidArgument, path: core.path, column: core.declaration.name,
                                   message: "the bytes appended to a String column are not UTF-8")
            }
        }
        try unsafe bytes.withUnsafeBytes { try unsafe core.appendVariableLengthValues($0, ends: ends) }
    }

    /// Appends one value per element of `ranges`, value `i` being `text[ranges[i]]`, read in
    /// place (a dictionary the column keeps hashes and compares them there; no gathering copy).
    ///
    /// For a caller that has checked the text already (the CSV importer: its records are
    /// UTF-8 and its fields end at ASCII separators): the bytes are not checked for UTF-8 again.
    /// Ranges outside `text` are a programming error (a precondition).
    package func append(fieldsOf text: Span<UInt8>, ranges: [Range<Int>]) throws {
        for index in ranges.indices {
            precondition(ranges[index].lowerBound >= 0 && ranges[index].upperBound <= text.count,
                         "a field's range lies outside the text")
        }
        try unsafe text.withUnsafeBytes { try unsafe core.appendVariableLengthFields($0, ranges: ranges) }
    }

    /// Appends `count` null rows.
    public func appendNulls(_ count: Int = 1) throws {
        try core.appendVariableLengthNulls(count)
    }

    /// Places the column in the file now; no appends may follow.
    public func finish() throws { try core.finish() }
}

/// Appends the indices of a dictionary-encoded column whose dictionary was given up front, piece
/// by piece; made by ``ColFileWriter/streamDictionaryColumn(_:dictionary:indexType:logicalType:metadata:)``.
public final class DictionaryColumnStream {
    private let core: StreamCore
    private let dictionary: DictionaryValues
    private let encoding: DictionaryEncoding

    init(core: StreamCore, dictionary: DictionaryValues, encoding: DictionaryEncoding) {
        self.core = core
        self.dictionary = dictionary
        self.encoding = encoding
    }

    /// Appends one row: its index into the dictionary, or nil for a null row (stored as −1).
    ///
    /// - Throws: ``ColFileError/Code/invalidArgument`` for an index outside the dictionary,
    ///   appending nothing; `io` errors.
    public func append(_ index: Int?) throws {
        if let index, !(0..<encoding.entryCount).contains(index) {
            throw ColFileWriter.indexOutsideDictionary(index, row: core.rowCount, dictionary,
                                                       ErrorContext(path: core.path, column: core.declaration.name))
        }
        let stored = index ?? -1
        switch encoding.indexType {
        case .int8: try append(Int8(truncatingIfNeeded: stored))
        case .int16: try append(Int16(truncatingIfNeeded: stored).littleEndian)
        default: try append(Int32(truncatingIfNeeded: stored).littleEndian)
        }
        try core.appendRows(1, valid: index != nil)
    }

    /// Appends `count` null rows.
    public func appendNulls(_ count: Int = 1) throws {
        for _ in 0..<count { try append(nil) }
    }

    /// Places the column in the file now; no appends may follow.
    public func finish() throws { try core.finish() }

    private func append<Index: FixedWidthInteger>(_ stored: Index) throws {
        var value = stored
        try unsafe withUnsafeBytes(of: &value) { try unsafe core.appendValueBytes($0) }
    }
}
