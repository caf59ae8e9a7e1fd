import ColFile

/// Imports a CSV file into a colfile file with bounded memory, inferring column types.
///
/// 1. A sample pass reads the first ``sampleRows`` records (fewer of very wide ones,
///    ``sampleRowLimit(headerBytes:)``) and infers each column's type.
/// 2. A write pass reads the file from the start and streams every column into the writer
///    (``ColFileWriter/streamColumn(_:of:shape:logicalType:metadata:)`` and friends, all open at
///    once), inferring as it goes. If a record does not fit a column's type, the writer is
///    abandoned, the rest of the file is read to infer final types, and a last pass writes the
///    file with them. So a file is read at most three times (the first only in part) and no value
///    is ever converted with loss; the output file is published only when complete.
///
/// With ``Settings/shardRows`` the output is a dataset (Specification.md §14): the writing pass
/// starts a new shard every that many rows, so memory stays bounded whatever the input's size,
/// and one dataset version is published at the end; a pass that must widen a type removes the
/// shards it wrote.
///
/// ```swift
/// var settings = CSVImporter.Settings(input: "trades.csv", output: "trades.col")
/// settings.schema = try CSVSchema.parse("zip:string")
/// let summary = try CSVImporter(settings).run()
/// print(summary.rows, summary.columns.map(\.type))
/// ```
public final class CSVImporter {
    /// Records the sample pass reads, at most.
    public static let sampleRows = 10_000
    /// Bytes of input the sample pass aims to read at most, as rows of the header's width.
    static let sampleBytes = 2 << 20
    /// Records the sample pass reads at least.
    static let minimumSampleRows = 16

    /// The records the sample pass reads: ``sampleRows``, fewer for rows so wide (taking the
    /// header's width for theirs) that 10,000 of them would be most of a large file (a
    /// 10,000-column CSV of 200 rows was read twice whole), never fewer than
    /// ``minimumSampleRows``. A type the sample misses still comes out right: a value that does not
    /// fit widens its column in a further pass.
    static func sampleRowLimit(headerBytes: Int) -> Int {
        guard headerBytes > 0 else { return sampleRows }
        return max(minimumSampleRows, min(sampleRows, sampleBytes / headerBytes))
    }

    private let settings: Settings
    private let progress: (_ rows: Int, _ bytes: Int) -> Void
    let nullValues: NullValues

    /// Prepares an import.
    ///
    /// - Parameters:
    ///   - settings: What to import, and how.
    ///   - progress: Called now and then with the data rows and bytes read so far in the current
    ///     pass (and, while standard input is copied to a temporary file, with 0 rows).
    public init(_ settings: Settings, progress: @escaping (_ rows: Int, _ bytes: Int) -> Void = { _, _ in }) {
        self.settings = settings
        self.progress = progress
        nullValues = NullValues(settings.nullValues)
    }

    /// Runs the import. Every column streams into the writer's one scratch file until the import
    /// ends (``ColFile/ColFileWriter`` holds two file descriptors and at most 64 MiB of staged
    /// bytes whatever the number of columns), so a wide input needs no high limit of open files.
    ///
    /// - Returns: The columns written, their types and null counts, and the rows read.
    /// - Throws: ``CSVError`` for bad CSV, options or input, ``ColFile/ColFileError`` when writing fails.
    public func run() throws -> Summary {
        let delimiter = settings.delimiter
        guard delimiter < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(delimiter) else {
            throw CSVError(.invalidOption, "the delimiter must be an ASCII byte other than a quote, CR or LF")
        }
        let input = try CSVInput(path: settings.input) { [progress] in progress(0, $0) }
        guard !input.isSameFile(as: settings.output) else {
            throw CSVError(.invalidOption, "\(settings.output): is the input file; give another OUTPUT")
        }
        let headerSource = try CSVRecordSource(input, delimiter: settings.delimiter, hasHeader: settings.hasHeader)
        let header = headerSource.names
        let forced = try datasetTypes(header: header, input: input).merging(settings.schema) { $1 }
        for name in settings.schema.keys where !header.contains(name) {
            throw CSVError(.invalidOption, "--schema: \(input.name) has no column '\(name)' (columns: "
                                    + header.joined(separator: ", ") + ")")
        }
        if case .columns(let choices) = settings.compression {
            for name in choices.keys.sorted() where !header.contains(name) {
                throw CSVError(.invalidOption, "--compress: \(input.name) has no column '\(name)'")
            }
        }
        let columns = ImportColumns(count: header.count) { CSVColumnInference(forced: forced[header[$0]]) }
        var carried = try pass(input, from: headerSource, header: header, columns: columns, writing: false,
                               rowLimit: Self.sampleRowLimit(headerBytes: headerSource.bytesRead)).carried
        var widening: Summary.Widening?
        while true {
            let types = columns.types
            // The carried block handed over, not held here too: the pass drops it before the finish.
            let result = try pass(input, from: carried.take(), header: header, columns: columns, types: types,
                                  writing: true, rowLimit: nil)
            if let misfit = result.misfit {
                // A pass after a full inference cannot meet a misfit unless the file changed.
                guard widening == nil else {
                    throw CSVError(.invalidCSV, "\(input.name): the file changed while it was imported")
                }
                widening = Summary.Widening(row: misfit.row, column: header[misfit.column], value: misfit.value,
                                            from: types[misfit.column])
                continue
            }
            let columns = header.indices.map {
                Summary.Column(name: header[$0], type: types[$0], nulls: result.nulls[$0])
            }
            return Summary(columns: columns, rows: result.rows, inputBytes: input.size, widening: widening,
                           shards: result.shards, dataset: result.dataset)
        }
    }

    /// For an import that appends to a dataset, the dataset's column types, which the input's
    /// columns must have (an import never widens a dataset's types); else none.
    ///
    /// - Throws: ``CSVError/Kind/invalidOption`` when the input's columns are not the dataset's,
    ///   ``CSVError/Kind/noCSVForm`` for a dataset column CSV cannot carry; the errors of opening
    ///   the dataset.
    private func datasetTypes(header: [String], input: CSVInput) throws -> [String: CSVSchemaType] {
        guard settings.shardRows != nil, settings.appendsToDataset else { return [:] }
        let dataset = try ColFileDataset.open(settings.output)
        guard dataset.schema.map(\.name) == header else {
            throw CSVError(.invalidOption, "\(input.name): its columns (\(header.joined(separator: ", "))) are not the "
                                + "dataset's (\(dataset.schema.map(\.name).joined(separator: ", ")))")
        }
        var types: [String: CSVSchemaType] = [:]
        for column in dataset.schema {
            guard let type = CSVColumnType(column) else {
                throw CSVError(.noCSVForm, "\(settings.output): column '\(column.name)' (\(column.typeDescription)) has no CSV form")
            }
            types[column.name] = CSVSchemaType(type)
        }
        return types
    }

    /// The outcome of one pass.
    private struct PassResult {
        var rows = 0
        var nulls: [Int] = []
        var misfit: (row: Int, column: Int, value: String)?
        var dataset: ColFileDataset?
        var shards = 0
        /// For a sample pass that read one block holding its records and more, or the whole
        /// input: that block and its source, for the writing pass to start from.
        var carried: Carried?
    }

    /// A block read and the source that read it, positioned after it: where a writing pass
    /// starts instead of reading the input's first records again (at 10,000 or 50,000 columns
    /// the sample's records are a sixth to a half of a 12 MB file).
    private struct Carried {
        var source: CSVRecordSource
        var block: CSVBlock
    }

    /// Reads the input once: infers into `columns`, and when `writing`, streams values into a new
    /// file typed as their inferences were at the start. Stops writing (abandoning the file) at the first
    /// value that does not fit, but reads on to the end to finish inferring.
    ///
    /// The pass reads from `started`, a source that has read nothing past the header (the
    /// sample pass reuses the one that read the header: at 50,000 columns the header's names
    /// cost as much as a few records), or from `carried`, the sample pass's block and source;
    /// or else from a new source, which checks that the input's header is still `header` rather
    /// than making its names again.
    ///
    /// A sample pass (`rowLimit` given, no shards) reads its first block as a writing pass
    /// would, up to a block's bounds rather than `rowLimit` records, and infers from its first
    /// `rowLimit` records only; when that block ends the sample, it is returned in
    /// ``PassResult/carried`` and the writing pass converts it without reading it again.
    private func pass(_ input: CSVInput, from started: CSVRecordSource, header: [String],
                      columns: ImportColumns, writing: Bool, rowLimit: Int?) throws -> PassResult {
        try pass(input, from: Carried(source: started, block: CSVBlock()), header: header, columns: columns,
                 types: columns.types, writing: writing, rowLimit: rowLimit)
    }

    /// `types` are `columns.types` as the pass starts (the caller's array: no second copy of
    /// 50,000 types).
    private func pass(_ input: CSVInput, from carried: consuming Carried?, header: [String],
                      columns: ImportColumns, types: [CSVColumnType], writing: Bool, rowLimit: Int?) throws -> PassResult {
        // The carried block is moved into `block`, so the pass holds its arrays once.
        var block = CSVBlock()
        let source: CSVRecordSource
        if let carried = consume carried {
            source = carried.source
            block = carried.block
        } else {
            source = try CSVRecordSource(input, delimiter: settings.delimiter, hasHeader: settings.hasHeader, names: header)
        }
        var output: ImportOutput?
        var sinks: [ColumnSink?] = []  // none written
        if writing {
            let newOutput = try ImportOutput(settings: settings, names: source.names, types: types)
            do {
                sinks = try newOutput.openSinks()
            } catch {
                newOutput.abandon()
                throw error
            }
            output = newOutput
        }
        var result = PassResult(nulls: Array(repeating: 0, count: types.count))
        columns.startPass(sinks: sinks, writtenAs: types)
        defer { columns.stopWriting() }  // the streams go when the pass ends
        // A block never spans two shards: the next block starts at row `source.rowNumber`.
        func rowsToRead() -> Int {
            min(CSVRecordSource.blockRows, rowLimit.map { $0 - source.rowNumber } ?? .max,
                settings.shardRows.map { $0 - source.rowNumber % $0 } ?? .max)
        }
        var written = 0
        var next = CSVBlock()
        // The sample pass's first block may hold more records than it infers from, to be carried.
        let carries = rowLimit != nil && settings.shardRows == nil
        // The next block's columns may be converted while the last of a block's are: not in the
        // sample pass (its last block is converted in part) nor across a shard's end.
        let worksAhead = rowLimit == nil && settings.shardRows == nil
        var convertedAhead: [Bool] = []
        if block.rows == 0 {
            let maxRows = carries ? CSVRecordSource.blockRows : rowsToRead()
            if maxRows > 0 { try source.nextImportBlock(into: &block, maxRows: maxRows) }
        }
        while block.rows > 0 {
            // Column by column through the block, while the next block is read; of the problems
            // met, the first in the file's order counts (for a misfit: the first value that did
            // not fit, as a row-by-row reading would have met it).
            var invalid: (row: Int, failure: CSVError)?
            var misfit: (row: Int, column: Int, value: String)?
            let records = rowLimit.map { $0 - (block.firstRow - 1) }
            let readError = convert(block, records: records, columns: columns, threads: settings.threads,
                                    reading: source, into: &next, maxRows: rowsToRead(),
                                    convertedAhead: &convertedAhead, worksAhead: worksAhead)
            for column in 0..<columns.count {
                // The first column's error (by column order) when writing failed.
                let outcome = try columns.outcome(column)
                result.nulls[column] += outcome.nulls
                if let found = outcome.invalid, found.row < invalid?.row ?? .max { invalid = found }
                if let found = outcome.misfit, found.row < misfit?.row ?? .max {
                    misfit = (found.row, column, found.value)
                }
            }
            if let invalid { throw invalid.failure }
            if let misfit, let abandoned = output {
                result.misfit = misfit
                abandoned.abandon()
                output = nil
                columns.stopWriting()
            }
            if let readError { throw readError }
            progress(source.rowNumber, source.bytesRead)
            written += block.rows
            if let output, let shardRows = settings.shardRows, written % shardRows == 0, next.rows > 0 {
                columns.sinks = try output.nextShard()
            }
            if carries, next.rows == 0, written == block.rows {
                // The sample's only block: it ended the sample (or the input) and is converted
                // whole by the writing pass, which reads on from here.
                result.carried = Carried(source: source, block: block)
            }
            swap(&block, &next)
        }
        result.rows = source.rowNumber
        if let output {
            // The blocks' text and field ends are not needed by the finish (at 50,000 columns
            // some 27 MB of the import's peak): released before it, the source's with them.
            block = CSVBlock()
            next = CSVBlock()
            source.releaseBlockMemory()
            result.dataset = try output.finish()
            result.shards = output.shards
        }
        return result
    }

    /// Whether an unquoted `field` is one of the null values.
    @inline(__always)
    func isNull(_ field: Span<UInt8>) -> Bool {
        nullValues.contains(field)
    }

    /// The token for `field` of a column whose type the schema fixed, if it is a value of that type.
    static func token(_ bytes: Span<UInt8>, forced type: CSVColumnType) -> CSVToken? {
        switch type {
        case .bool: CSVValueParser.bool(bytes).map(CSVToken.bool)
        case .int64: CSVValueParser.integer(bytes, strict: false).map(CSVToken.int)
        case .float64: CSVValueParser.float(bytes, strict: false).map(CSVToken.float)
        case .date: CSVValueParser.date(bytes).map(CSVToken.date)
        case .timestamp: CSVValueParser.timestamp(bytes).map(CSVToken.timestamp)
            ?? CSVValueParser.date(bytes).map(CSVToken.date)
        case .string, .number, .binary, .tensor, .dictionaryString, .dictionaryBinary: .text
        }
    }

    /// The error for a field that is not a value of `type`, which the schema gave.
    func invalid(_ field: Span<UInt8>, _ type: CSVColumnType, row: Int, column: String) -> CSVError {
        var reason = "is not a valid \(type)"
        if case .timestamp(let unit, _) = type, let instant = CSVValueParser.timestamp(field) {
            reason = instant.fractionDigits > CivilTime.fractionDigits(unit)
                ? "has more digits of a second than \(type) holds" : "is out of the range of \(type)"
        }
        return CSVError(.invalidCSV, "\(settings.input == "-" ? "stdin" : settings.input): row \(row), column '\(column)': "
                                + "'\(Self.excerpt(CSVValueParser.text(field)))' \(reason) (the type given by --schema)")
    }

    /// `text`, cut to 60 characters, for messages.
    package static func excerpt(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}
