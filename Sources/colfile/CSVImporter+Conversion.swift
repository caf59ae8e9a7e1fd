import ColFile
import Foundation

/// One column of an import pass: its inference, its stream while the file is written, and what
/// converting the current block found.
///
/// A class, so that the threads converting a block's columns at once each change their own
/// column only (``CSVImporter/convert(_:rows:columns:threads:)``); the block and the importer's
/// settings are read-only meanwhile.
final class CSVImportColumn {
    /// The inference so far.
    var state: CSVColumnInference
    /// The column's stream, nil when the pass does not write (or stopped writing).
    var sink: ColumnSink?
    /// The type the column is written as in this pass.
    let writtenAs: CSVColumnType
    /// What converting the current block found, or the error it threw.
    var outcome: Result<CSVImporter.ColumnOutcome, any Error> = .success(.init())

    /// A column inferred as `state`, written to `sink` as `writtenAs`.
    init(state: CSVColumnInference, sink: ColumnSink?, writtenAs: CSVColumnType) {
        self.state = state
        self.sink = sink
        self.writtenAs = writtenAs
    }
}

/// Converting a block of CSV records column by column into the writer's streams.
extension CSVImporter {
    /// What converting one column of a block found.
    struct ColumnOutcome {
        /// Null values.
        var nulls = 0
        /// The first value that does not fit the type the column is written as.
        var misfit: (row: Int, value: String)?
        /// The first value that is not of the type `--schema` gave.
        var invalid: (row: Int, failure: ToolFailure)?
    }

    /// Converts every column of the block's `rows` records, on up to `threads` threads at once
    /// (one column each at a time); returns each column's outcome.
    ///
    /// - Throws: the first column's error (by column order) when writing failed.
    func convert(_ source: CSVRecordSource, rows: Int, columns: [CSVImportColumn], threads: Int) throws
        -> [ColumnOutcome] {
        let block = BlockConversion(importer: self, source: source, rows: rows, columns: columns)
        let workers = min(threads, columns.count)
        if workers <= 1 {
            block.convertColumns()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in block.convertColumns() }
        }
        return try columns.map { try $0.outcome.get() }
    }

    /// Reads field `column` of the block's `rows` records: infers into `state`, and when `sink` is
    /// given, appends each value to it, up to the first that does not fit `type` (the type the
    /// column is written as) or is not a value of the type `--schema` gave.
    func convert(_ source: CSVRecordSource, rows: Int, column: Int, state: inout CSVColumnInference,
                 sink: ColumnSink?, writtenAs type: CSVColumnType) throws -> ColumnOutcome {
        if case .string(let stream) = sink, state.isString {
            return try convertText(source, rows: rows, column: column, stream: stream)
        }
        guard let sink, state.forced == nil else {
            return try convert(source, rows: 0..<rows, column: column, state: &state, sink: sink, writtenAs: type)
        }
        func typed<Element>(_ append: ([Element]) throws -> Void, nulls: (Int) throws -> Void,
                            _ value: (CSVToken) -> Element?) throws -> ColumnOutcome {
            try convertTyped(source, rows: rows, column: column, state: &state, writtenAs: type,
                             appendValues: append, appendNulls: nulls, value: value)
        }
        switch sink {
        case .int64(let stream):
            return try typed(stream.append(contentsOf:), nulls: stream.appendNulls) {
                if case .int(let value) = $0 { value } else { nil }
            }
        case .float64(let stream):
            return try typed(stream.append(contentsOf:), nulls: stream.appendNulls) {
                switch $0 {
                case .int(let value): Double(value)
                case .float(let value): value
                default: nil
                }
            }
        case .bool(let stream):
            return try typed(stream.append(contentsOf:), nulls: stream.appendNulls) {
                if case .bool(let value) = $0 { value } else { nil }
            }
        case .date(let stream):
            return try typed(stream.append(contentsOf:), nulls: stream.appendNulls) {
                if case .date(let days) = $0 { days } else { nil }
            }
        case .timestamp(let stream, let unit):
            return try typed(stream.append(contentsOf:), nulls: stream.appendNulls) { ColumnSink.timestamp($0, unit: unit) }
        case .string, .schema:
            return try convert(source, rows: 0..<rows, column: column, state: &state, sink: sink, writtenAs: type)
        }
    }

    /// ``convert(_:rows:column:state:sink:writtenAs:)`` for an inferred column of a fixed-width
    /// type: the block's values are gathered and appended as runs of values and of nulls,
    /// instead of one call per field. `value` gives the stored value of a token that fits the
    /// column's type, or nil when the value is out of the type's range.
    private func convertTyped<Element>(
        _ source: CSVRecordSource, rows: Int, column: Int, state: inout CSVColumnInference, writtenAs type: CSVColumnType,
        appendValues: ([Element]) throws -> Void, appendNulls: (Int) throws -> Void, value: (CSVToken) -> Element?
    ) throws -> ColumnOutcome {
        let fields = CSVBlockFields(source, column: column)
        let textArray = fields.text
        let text = textArray.span
        var outcome = ColumnOutcome()
        var values: [Element] = []
        values.reserveCapacity(rows)
        var nulls = 0
        func flush() throws {
            if !values.isEmpty {
                try appendValues(values)
                values.removeAll(keepingCapacity: true)
            }
            if nulls > 0 {
                try appendNulls(nulls)
                outcome.nulls += nulls
                nulls = 0
            }
        }
        for row in 0..<rows {
            let field = text.extracting(fields.range(row))
            // A quoted empty field is null in a typed column.
            if fields.isQuoted(row) ? field.isEmpty : isNull(field) {
                if !values.isEmpty { try flush() }
                nulls += 1
                continue
            }
            let token = CSVValueParser.classify(field)
            state.observe(token)
            guard state.type == type else {
                try flush()
                outcome.misfit = (source.firstRowOfBlock + row, CSVValueParser.text(field))
                // Inference goes on to the block's end; nothing more is written.
                let rest = try convert(source, rows: (row + 1)..<rows, column: column, state: &state, sink: nil,
                                       writtenAs: type)
                outcome.invalid = rest.invalid
                return outcome
            }
            guard let stored = value(token) else {
                let row = source.firstRowOfBlock + row
                outcome.invalid = (row, invalid(field, type, row: row, column: source.names[column]))
                return outcome
            }
            if nulls > 0 { try flush() }
            values.append(stored)
        }
        try flush()
        return outcome
    }

    /// ``convert(_:rows:column:state:sink:writtenAs:)`` for a String column: the block's values
    /// are gathered one after another and appended in runs of values and of nulls.
    private func convertText(_ source: CSVRecordSource, rows: Int, column: Int,
                             stream: VariableLengthColumnStream) throws -> ColumnOutcome {
        let fields = CSVBlockFields(source, column: column)
        let textArray = fields.text
        let text = textArray.span
        var outcome = ColumnOutcome()
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(rows)
        var nulls = 0
        func flush() throws {
            if !ends.isEmpty {
                try stream.append(contentsOf: bytes.span, ends: ends.span)
                bytes.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
            }
            if nulls > 0 {
                try stream.appendNulls(nulls)
                outcome.nulls += nulls
                nulls = 0
            }
        }
        for row in 0..<rows {
            let range = fields.range(row)
            // A quoted empty field is the empty string.
            if !fields.isQuoted(row), isNull(text.extracting(range)) {
                if !ends.isEmpty { try flush() }
                nulls += 1
                continue
            }
            if nulls > 0 { try flush() }
            bytes.append(contentsOf: textArray[range])
            ends.append(bytes.count)
        }
        try flush()
        return outcome
    }

    /// Converts `rows` of the block one field at a time; see ``convert(_:rows:column:state:sink:writtenAs:)``.
    private func convert(_ source: CSVRecordSource, rows: Range<Int>, column: Int, state: inout CSVColumnInference,
                         sink: ColumnSink?, writtenAs type: CSVColumnType) throws -> ColumnOutcome {
        var outcome = ColumnOutcome()
        let fields = CSVBlockFields(source, column: column)
        let textArray = fields.text
        let text = textArray.span
        var sink = sink
        func failing(_ field: Span<UInt8>, _ type: CSVColumnType, row: Int) -> ColumnOutcome {
            let row = source.firstRowOfBlock + row
            outcome.invalid = (row, invalid(field, type, row: row, column: source.names[column]))
            return outcome
        }
        for row in rows {
            let field = text.extracting(fields.range(row))
            let quoted = fields.isQuoted(row)
            if quoted ? field.isEmpty : isNull(field) {
                // A quoted empty field is an empty value in a String or Binary column and null
                // in others; it says nothing about the column's type.
                guard let sink else { continue }
                if quoted, sink.holdsEmptyValues {
                    try sink.appendEmpty()
                } else {
                    outcome.nulls += 1
                    try sink.appendNull()
                }
                continue
            }
            if state.isString {
                try sink?.append(text: field)
                continue
            }
            let token: CSVToken
            if let forced = state.forced {
                if case .schema(let fieldSink) = sink {
                    if try !fieldSink.append(field: field) { return failing(field, forced, row: row) }
                    continue
                }
                guard let forcedToken = Self.token(field, forced: forced) else { return failing(field, forced, row: row) }
                token = forcedToken
                if state.observes { state.observe(token) }
            } else {
                token = CSVValueParser.classify(field)
                state.observe(token)
            }
            guard let writing = sink else { continue }
            if state.type != type {
                outcome.misfit = (source.firstRowOfBlock + row, CSVValueParser.text(field))
                sink = nil
                continue
            }
            guard try writing.append(token, field: field) else { return failing(field, type, row: row) }
        }
        return outcome
    }
}

/// One column's fields in the current block of a ``CSVRecordSource``.
///
/// Holds the block's arrays (retained, not copied), so reading a field makes no exclusivity
/// check on the scanner's properties.
struct CSVBlockFields {
    /// The text of the block's fields.
    let text: [UInt8]
    private let fieldEnds: [Int]
    private let fieldQuoted: [Bool]
    private let columns: Int
    private let column: Int

    /// Field `column` of the records of `source`'s current block.
    init(_ source: CSVRecordSource, column: Int) {
        let record = source.record
        text = record.text
        fieldEnds = record.fieldEnds
        fieldQuoted = record.fieldQuoted
        columns = source.names.count
        self.column = column
    }

    /// Where the field of the block's record `row` lies in ``text``.
    func range(_ row: Int) -> Range<Int> {
        let index = row * columns + column
        return (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// Whether the field of record `row` was quoted.
    func isQuoted(_ row: Int) -> Bool {
        fieldQuoted[row * columns + column]
    }
}

/// One block's conversion, shared by the threads that convert its columns: each takes the next
/// column not yet taken (columns differ in cost, text against numbers, so a fixed split would
/// leave a thread idle) and converts it.
///
/// `@unchecked Sendable`: a column is handed to one thread only (``next`` is read and advanced
/// under ``lock``), a column's conversion touches only that column's ``CSVImportColumn`` and
/// stream, and the block and the importer are not changed until every thread is done
/// (`DispatchQueue.concurrentPerform` returns after all of them).
private final class BlockConversion: @unchecked Sendable {
    private let importer: CSVImporter
    private let source: CSVRecordSource
    private let rows: Int
    private let columns: [CSVImportColumn]
    private let lock = NSLock()
    /// The next column to hand out; guarded by ``lock``.
    private var next = 0

    init(importer: CSVImporter, source: CSVRecordSource, rows: Int, columns: [CSVImportColumn]) {
        self.importer = importer
        self.source = source
        self.rows = rows
        self.columns = columns
    }

    /// Converts columns until none is left, setting each one's outcome.
    func convertColumns() {
        while let index = takeColumn() {
            let column = columns[index]
            column.outcome = Result {
                try importer.convert(source, rows: rows, column: index, state: &column.state, sink: column.sink,
                                     writtenAs: column.writtenAs)
            }
        }
    }

    private func takeColumn() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < columns.count else { return nil }
        next += 1
        return next - 1
    }
}
