import ColFile
import Dispatch

/// Converting a block of CSV records column by column into the writer's streams.
extension CSVImporter {
    /// What converting one column of a block found.
    struct ColumnOutcome {
        /// Null values.
        var nulls = 0
        /// The rare findings, boxed: an outcome is two words, and ``ImportColumns`` holds two per
        /// column (50,000 columns: 2.4 MB rather than about 10 MB of pages to touch, and
        /// less to copy for every column of every block).
        private var findings: Findings?

        /// The first value that does not fit the type the column is written as.
        var misfit: (row: Int, value: String)? {
            get { findings?.misfit }
            set { findings = Findings(misfit: newValue, invalid: findings?.invalid) }
        }

        /// The first value that is not of the type the schema gave.
        var invalid: (row: Int, failure: CSVError)? {
            get { findings?.invalid }
            set { findings = Findings(misfit: findings?.misfit, invalid: newValue) }
        }

        /// What a column's conversion rarely finds.
        private final class Findings: Sendable {
            let misfit: (row: Int, value: String)?
            let invalid: (row: Int, failure: CSVError)?

            init(misfit: (row: Int, value: String)?, invalid: (row: Int, failure: CSVError)?) {
                self.misfit = misfit
                self.invalid = invalid
            }
        }
    }

    /// Converts the first `records` records (all when nil) of every column of `block` on up to
    /// `threads` threads at once (one column each at a time) and meanwhile, when `reading` is
    /// given, reads the source's next block of at most `maxRows` records into `next`: the input is
    /// read while the last block is converted.
    ///
    /// - Parameters:
    ///   - convertedAhead: The columns of `block` the step before converted ahead (empty: none),
    ///     which are not converted again; on return, the columns of `next` converted ahead.
    ///   - worksAhead: Whether columns of `next` may be converted ahead (``BlockStep``): only
    ///     when `next` is converted whole, into the same streams.
    /// - Returns: the error reading threw (for the caller to throw after the problems of
    ///   `block`, which come first in the file); each column's outcome is in `columns`
    ///   (``ImportColumns/outcome(_:)``).
    func convert(_ block: CSVBlock, records: Int? = nil, columns: ImportColumns, threads: Int,
                 reading source: CSVRecordSource?, into next: inout CSVBlock, maxRows: Int,
                 convertedAhead: inout [Bool], worksAhead: Bool) -> (any Error)? {
        columns.takeAheadOutcomes(convertedAhead)
        let step = BlockStep(importer: self, block: block, records: min(records ?? block.rows, block.rows),
                             columns: columns, source: source, next: next, maxRows: maxRows,
                             worksAhead: worksAhead && threads > 1, convertedAhead: convertedAhead)
        next = CSVBlock()  // the step holds the only reference to its arrays while it reads into them
        if threads <= 1 {
            step.convertColumns()
            step.read()
        } else {
            // One more iteration than converters: the first reads, then helps convert.
            DispatchQueue.concurrentPerform(iterations: min(threads, columns.count) + 1) { iteration in
                if iteration == 0 { step.read() }
                step.convertColumns()
            }
        }
        next = step.takeNext()
        convertedAhead = step.convertedAhead()
        return step.readError
    }

    /// Reads field `column` of the block's first `records` records: infers into `state`, and when
    /// `sink` is given, appends each value to it, up to the first that does not fit `type` (the
    /// type the column is written as) or is not a value of the type the schema gave.
    ///
    /// Fewer records than the block's are read only to infer (the sample pass, whose last block
    /// the writing pass converts again whole): `sink` is then nil.
    func convert(_ block: CSVBlock, records: Int, column: Int, state: inout CSVColumnInference,
                 sink: ColumnSink?, writtenAs type: CSVColumnType) throws -> ColumnOutcome {
        guard records == block.rows else {
            assert(sink == nil, "part of a block is only inferred from")
            guard state.forced == nil else {
                return try convert(block, rows: 0..<records, column: column, state: &state, sink: nil, writtenAs: type)
            }
            infer(block, rows: 0..<records, column: column, state: &state)
            return ColumnOutcome()
        }
        if case .string(let stream) = sink, state.isString {
            return try convertText(block, column: column, stream: stream)
        }
        guard let sink, state.forced == nil else {
            return try convert(block, rows: 0..<block.rows, column: column, state: &state, sink: sink, writtenAs: type)
        }
        switch sink {
        case .int64(let stream):
            return try convertTyped(block, column: column, state: &state, writtenAs: type, into: stream,
                                    reader: Int64FieldReader())
        case .float64(let stream):
            return try convertTyped(block, column: column, state: &state, writtenAs: type, into: stream,
                                    reader: Float64FieldReader())
        case .bool(let stream):
            return try convertTyped(block, column: column, state: &state, writtenAs: type, into: stream,
                                    reader: BoolFieldReader())
        case .date(let stream):
            return try convertTyped(block, column: column, state: &state, writtenAs: type, into: stream,
                                    reader: DateFieldReader())
        case .timestamp(let stream, let unit):
            return try convertTyped(block, column: column, state: &state, writtenAs: type, into: stream,
                                    reader: TimestampFieldReader(unit: unit))
        case .string, .schema:
            return try convert(block, rows: 0..<block.rows, column: column, state: &state, sink: sink, writtenAs: type)
        }
    }

    /// The most values ``convertTyped(_:column:state:writtenAs:into:reader:)`` gathers before it
    /// appends them: 1 KiB of Int64 values, gathered on the stack (no allocation per column of
    /// each block).
    static let valueRun = 128

    /// ``convert(_:rows:column:state:sink:writtenAs:)`` for an inferred column of a fixed-width
    /// type, into `sink`: the block's values are gathered and appended as runs of values (up to
    /// ``valueRun`` at a time) and of nulls, instead of one call per field. While the column's
    /// inference is of the type written, `reader` reads a plain field straight to its stored value
    /// (``TypedFieldReader/plain(_:in:at:_:)``); other fields are classified, observed and converted
    /// by ``TypedFieldReader/value(_:)``.
    private func convertTyped<Reader: TypedFieldReader, Sink: ValueRunSink>(
        _ block: CSVBlock, column: Int, state: inout CSVColumnInference, writtenAs type: CSVColumnType,
        into sink: Sink, reader: Reader
    ) throws -> ColumnOutcome where Sink.Element == Reader.Element {
        try unsafe withUnsafeTemporaryAllocation(of: Reader.Element.self, capacity: Self.valueRun) { run in
            try unsafe convertTyped(block, column: column, state: &state, writtenAs: type, run: run, into: sink,
                                    reader: reader)
        }
    }

    /// ``convertTyped(_:column:state:writtenAs:into:reader:)`` gathering values in `run`.
    private func convertTyped<Reader: TypedFieldReader, Sink: ValueRunSink>(
        _ block: CSVBlock, column: Int, state: inout CSVColumnInference, writtenAs type: CSVColumnType,
        run: UnsafeMutableBufferPointer<Reader.Element>, into sink: Sink, reader: Reader
    ) throws -> ColumnOutcome where Sink.Element == Reader.Element {
        let text = block.text.span
        var outcome = ColumnOutcome()
        // The values gathered in `run` (its first `gathered` elements, of a trivial type).
        var gathered = 0
        var nulls = 0
        // Whether the inferred type is `type`, computed again only when a value may change it.
        var fits = state.type == type
        func flush() throws {
            if gathered > 0 {
                try unsafe sink.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<gathered]).span)
                gathered = 0
            }
            if nulls > 0 {
                try sink.appendNulls(nulls)
                outcome.nulls += nulls
                nulls = 0
            }
        }
        func gather(_ value: Reader.Element) throws {
            unsafe run.initializeElement(at: gathered, to: value)
            gathered += 1
            if gathered == run.count { try flush() }
        }
        let nullFilter = nullValues.filter
        let places = CSVColumnFields(block, column: column)
        let ends = block.fieldEnds.span
        let rows = places.rows
        // The run's length, a constant.
        let runCount = Self.valueRun
        assert(run.count == runCount, "a run of valueRun values")
        // The row whose field the run loop below found not plain (not read plain again).
        var notPlain = -1
        var row = 0
        while row < rows {
            // The common case, in a loop of its own: plain fields while the inference is of the type
            // written and no nulls wait, each read and gathered with nothing else to do, until a
            // field that is not (quoted, null, not plain: taken below) or a full run.
            if Reader.readsPlain, fits, nulls == 0 {
                plain: while true {
                    // Up to the run's end: one bound a field, and the value's place in the run
                    // is its row's, shifted (no count of its own).
                    let stop = min(rows, row &+ (runCount &- gathered))
                    let shift = gathered &- row
                    while row < stop {
                        let place = places.place(row, in: ends)
                        if CSVFieldPlace.isQuoted(place) { break plain }
                        let range = CSVFieldPlace.range(place)
                        let field = text.extracting(range)
                        if nullFilter.mayContain(field) && isNull(field) { break plain }
                        guard let stored = reader.plain(field, in: text, at: range, &state) else {
                            notPlain = row
                            break plain
                        }
                        unsafe run.initializeElement(at: row &+ shift, to: stored)
                        gathered = row &+ shift &+ 1
                        row &+= 1
                    }
                    if gathered == runCount { try flush() }
                    if row == rows { break }
                }
                if row == rows { break }
            }
            defer { row &+= 1 }
            let place = places.place(row, in: ends)
            let range = CSVFieldPlace.range(place)
            let field = text.extracting(range)
            // A quoted empty field is null in a typed column.
            if CSVFieldPlace.isQuoted(place) ? field.isEmpty : nullFilter.mayContain(field) && isNull(field) {
                if gathered > 0 { try flush() }
                nulls += 1
                continue
            }
            if Reader.readsPlain, fits, row != notPlain,
               let stored = reader.plain(field, in: text, at: range, &state) {
                if nulls > 0 { try flush() }
                try gather(stored)
                continue
            }
            let token = CSVValueParser.classify(field)
            if state.observe(token) { fits = state.type == type }
            guard fits else {
                try flush()
                outcome.misfit = (block.firstRow + row, CSVValueParser.text(field))
                // Inference goes on to the block's end; nothing more is written.
                let rest = try convert(block, rows: (row + 1)..<block.rows, column: column, state: &state, sink: nil,
                                       writtenAs: type)
                outcome.invalid = rest.invalid
                return outcome
            }
            guard let stored = reader.value(token) else {
                let row = block.firstRow + row
                outcome.invalid = (row, invalid(field, type, row: row, column: block.names[column]))
                return outcome
            }
            if nulls > 0 { try flush() }
            try gather(stored)
        }
        try flush()
        return outcome
    }

    /// ``convert(_:rows:column:state:sink:writtenAs:)`` for a String column: the ranges of the
    /// block's values are gathered and appended in runs of values and of nulls, read from the
    /// block's text by the stream (its records were checked to be UTF-8 when read).
    private func convertText(_ block: CSVBlock, column: Int, stream: VariableLengthColumnStream) throws
        -> ColumnOutcome {
        let text = block.text.span
        var outcome = ColumnOutcome()
        let nullFilter = nullValues.filter
        let places = CSVColumnFields(block, column: column)
        let ends = block.fieldEnds.span
        let rows = block.rows
        // Most blocks of a String column hold no null: their ranges are written into the array
        // in place (no uniqueness check and no capacity check an element, as `append` makes) and
        // appended at once. Audited unsafe scope: the buffer holds `rows` elements, each
        // initialized once, and `count` is set to `rows` after all are.
        var hasNull = false
        let all = unsafe [Range<Int>](unsafeUninitializedCapacity: rows) { buffer, count in
            let text = block.text.span
            let ends = block.fieldEnds.span
            for row in 0..<rows {
                let place = places.place(row, in: ends)
                let range = CSVFieldPlace.range(place)
                if !CSVFieldPlace.isQuoted(place), nullFilter.mayContain(text.extracting(range)),
                   isNull(text.extracting(range)) { hasNull = true }
                unsafe buffer.initializeElement(at: row, to: range)
            }
            count = rows
        }
        if !hasNull {
            if rows > 0 { try stream.append(fieldsOf: text, ranges: all) }
            return outcome
        }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(block.rows)
        var nulls = 0
        func flush() throws {
            if !ranges.isEmpty {
                try stream.append(fieldsOf: text, ranges: ranges)
                ranges.removeAll(keepingCapacity: true)
            }
            if nulls > 0 {
                try stream.appendNulls(nulls)
                outcome.nulls += nulls
                nulls = 0
            }
        }
        for row in 0..<block.rows {
            let place = places.place(row, in: ends)
            let range = CSVFieldPlace.range(place)
            // A quoted empty field is the empty string.
            if !CSVFieldPlace.isQuoted(place), nullFilter.mayContain(text.extracting(range)), isNull(text.extracting(range)) {
                if !ranges.isEmpty { try flush() }
                nulls += 1
                continue
            }
            if nulls > 0 { try flush() }
            ranges.append(range)
        }
        try flush()
        return outcome
    }

    /// Infers the type of an inferred column (no schema type) from `rows` of the block, writing
    /// nothing: what ``convert(_:rows:column:state:sink:writtenAs:)`` does without a sink, with
    /// nothing decided per field that a column's inference fixes for the whole loop (a sample
    /// pass of 50,000 columns infers from 800,000 fields), and stopping once the column is String.
    private func infer(_ block: CSVBlock, rows: Range<Int>, column: Int, state: inout CSVColumnInference) {
        let text = block.text.span
        guard !state.isString else { return }
        let nullFilter = nullValues.filter
        let places = CSVColumnFields(block, column: column)
        let ends = block.fieldEnds.span
        for row in rows {
            let place = places.place(row, in: ends)
            let range = CSVFieldPlace.range(place)
            // Nulls, and quoted empty fields, say nothing about the type.
            if CSVFieldPlace.isQuoted(place) ? range.isEmpty
                : nullFilter.mayContain(text.extracting(range)) && isNull(text.extracting(range)) { continue }
            guard state.observe(fieldAt: range, of: text) else { return }
        }
    }

    /// Converts `rows` of the block one field at a time; see ``convert(_:rows:column:state:sink:writtenAs:)``.
    private func convert(_ block: CSVBlock, rows: Range<Int>, column: Int, state: inout CSVColumnInference,
                         sink: ColumnSink?, writtenAs type: CSVColumnType) throws -> ColumnOutcome {
        var outcome = ColumnOutcome()
        let text = block.text.span
        var sink = sink
        func failing(_ field: Span<UInt8>, _ type: CSVColumnType, row: Int) -> ColumnOutcome {
            let row = block.firstRow + row
            outcome.invalid = (row, invalid(field, type, row: row, column: block.names[column]))
            return outcome
        }
        let places = CSVColumnFields(block, column: column)
        let ends = block.fieldEnds.span
        for row in rows {
            let place = places.place(row, in: ends)
            let field = text.extracting(CSVFieldPlace.range(place))
            let quoted = CSVFieldPlace.isQuoted(place)
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
                // Only inferring: a field that changes nothing need not be classified.
                if sink == nil, state.isUnchanged(byPlain: field) { continue }
                token = CSVValueParser.classify(field)
                state.observe(token)
            }
            guard let writing = sink else { continue }
            if state.type != type {
                outcome.misfit = (block.firstRow + row, CSVValueParser.text(field))
                sink = nil
                continue
            }
            guard try writing.append(token, field: field) else { return failing(field, type, row: row) }
        }
        return outcome
    }
}
