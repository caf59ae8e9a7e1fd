import ColFile
import Foundation

/// Imports a CSV file into a colfile file with bounded memory, inferring column types.
///
/// 1. A sample pass reads the first ``sampleRows`` records and infers each column's type.
/// 2. A write pass reads the file from the start and streams every column into the writer
///    (``ColFileWriter/streamColumn(_:of:shape:logicalType:metadata:)`` and friends, all open at
///    once), inferring as it goes. If a record does not fit a column's type, the writer is
///    abandoned, the rest of the file is read to infer final types, and a last pass writes the
///    file with them. So a file is read at most three times (the first only in part) and no value
///    is ever converted with loss; the output file is published only when complete.
final class CSVImporter {
    /// Records the sample pass reads.
    static let sampleRows = 10_000

    /// What the import is told.
    struct Settings {
        var input: String
        var output: String
        var delimiter: UnicodeScalar = ","
        var hasHeader = true
        var nullValues: Set<String> = ["", "NA", "NULL", "null"]
        var schema: [String: CSVColumnType] = [:]
        var compression: CompressionChoice = .none
        var quiet = false
    }

    /// The `--compress` choice.
    enum CompressionChoice: Equatable {
        /// Every column plain.
        case none
        /// zlib for the columns whose sample compresses to 80 % or less.
        case auto
        /// zlib for the named columns.
        case columns([String])
    }

    /// What an import did.
    struct Summary {
        /// Column names and stored types.
        var columns: [(name: String, type: CSVColumnType, nulls: Int)]
        /// Data rows.
        var rows: Int
        /// The first value that did not fit the type inferred so far, if any (it made the import
        /// read the file again).
        var widening: (row: Int, column: String, value: String, from: CSVColumnType)?
    }

    private let settings: Settings
    private let progress: Progress

    /// Prepares an import.
    init(_ settings: Settings) {
        self.settings = settings
        progress = Progress("import", quiet: settings.quiet)
    }

    /// Runs the import.
    ///
    /// - Throws: ``ToolFailure`` for bad CSV or options, ``ColFileError`` when writing fails.
    func run() throws -> Summary {
        defer { progress.finish() }
        let header = try CSVRecordSource(path: settings.input, delimiter: settings.delimiter,
                                         hasHeader: settings.hasHeader).names
        for name in settings.schema.keys where !header.contains(name) {
            throw ToolFailure.usage("--schema: \(settings.input) has no column '\(name)' (columns: "
                                    + header.joined(separator: ", ") + ")")
        }
        if case .columns(let names) = settings.compression {
            for name in names where !header.contains(name) {
                throw ToolFailure.usage("--compress: \(settings.input) has no column '\(name)'")
            }
        }
        var states = header.map { CSVColumnInference(forced: settings.schema[$0]) }
        _ = try pass(states: &states, writing: false, rowLimit: Self.sampleRows)
        var widening: (row: Int, column: String, value: String, from: CSVColumnType)?
        while true {
            let types = states.map(\.type)
            let result = try pass(states: &states, writing: true, rowLimit: nil)
            if let misfit = result.misfit {
                // A pass after a full inference cannot meet a misfit unless the file changed.
                guard widening == nil else {
                    throw ToolFailure.data("\(settings.input): the file changed while it was imported")
                }
                widening = (misfit.row, header[misfit.column], misfit.value, types[misfit.column])
                continue
            }
            return Summary(columns: zip(header, zip(types, result.nulls)).map { ($0.0, $0.1.0, $0.1.1) },
                           rows: result.rows, widening: widening)
        }
    }

    /// The outcome of one pass.
    private struct PassResult {
        var rows = 0
        var nulls: [Int] = []
        var misfit: (row: Int, column: Int, value: String)?
    }

    /// Reads the file once: infers into `states`, and when `writing`, streams values into a new
    /// file typed as `states` were at the start. Stops writing (abandoning the file) at the first
    /// value that does not fit, but reads on to the end to finish inferring.
    private func pass(states: inout [CSVColumnInference], writing: Bool, rowLimit: Int?) throws -> PassResult {
        let source = try CSVRecordSource(path: settings.input, delimiter: settings.delimiter,
                                         hasHeader: settings.hasHeader)
        let types = states.map(\.type)
        var writer: ColFileWriter?
        var sinks: [ColumnSink] = []
        if writing {
            let newWriter = try ColFileWriter(path: settings.output)
            switch settings.compression {
            case .none: break
            case .auto: newWriter.defaultCompression = .auto()
            case .columns(let names): for name in names { newWriter.compression[name] = .zlib() }
            }
            sinks = try zip(source.names, types).map { try ColumnSink(writer: newWriter, name: $0.0, type: $0.1) }
            writer = newWriter
        }
        var result = PassResult(nulls: Array(repeating: 0, count: types.count))
        let forced = source.names.map { settings.schema[$0] }
        while let record = try source.next() {
            let row = source.rowNumber
            for (column, field) in record.enumerated() {
                if settings.nullValues.contains(field) {
                    result.nulls[column] += 1
                    if writer != nil { try sinks[column].appendNull() }
                    continue
                }
                if states[column].isString {
                    if writer != nil { try sinks[column].append(text: field) }
                    continue
                }
                let token: CSVToken
                if let type = forced[column] {
                    token = try forcedToken(field, type, row: row, column: source.names[column])
                    if case .timestamp = type { states[column].observe(token) }
                } else {
                    token = CSVValueParser.classify(field)
                    states[column].observe(token)
                }
                guard writer != nil else { continue }
                if states[column].type != types[column] {
                    result.misfit = (row, column, field)
                    writer?.abandon()
                    writer = nil
                    sinks = []
                    continue
                }
                try sinks[column].append(token, field: field)
            }
            if row % 4096 == 0 { progress.update(rows: row, bytes: source.bytesRead) }
            if let rowLimit, row >= rowLimit { break }
        }
        result.rows = source.rowNumber
        if let writer {
            try writer.finish()
        }
        return result
    }

    /// The token for `field` of a column whose type `--schema` fixed.
    private func forcedToken(_ field: String, _ type: CSVColumnType, row: Int, column: String) throws -> CSVToken {
        let bytes = field.utf8.span
        let token: CSVToken? = switch type {
        case .bool: CSVValueParser.bool(bytes).map(CSVToken.bool)
        case .int64: CSVValueParser.integer(bytes, strict: false).map(CSVToken.int)
        case .float64: CSVValueParser.float(field, strict: false).map(CSVToken.float)
        case .date: CSVValueParser.date(bytes).map(CSVToken.date)
        case .timestamp: CSVValueParser.timestamp(bytes).map(CSVToken.timestamp)
            ?? CSVValueParser.date(bytes).map(CSVToken.date)
        case .string: .text
        }
        guard let token else {
            throw ToolFailure.data("\(settings.input): row \(row), column '\(column)': '\(Self.excerpt(field))' "
                                   + "is not a valid \(type) (the type given by --schema)")
        }
        return token
    }

    /// `text`, cut to 60 characters, for messages.
    static func excerpt(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }
}

/// The writer's stream for one imported column, converting tokens to the stored type.
enum ColumnSink {
    case bool(BoolColumnStream)
    case int64(FixedWidthColumnStream<Int64>)
    case float64(FixedWidthColumnStream<Double>)
    case date(FixedWidthColumnStream<Int32>)
    case timestamp(FixedWidthColumnStream<Int64>, unit: TimeUnit)
    case string(VariableLengthColumnStream)

    /// Opens the stream for column `name` of `type`.
    init(writer: ColFileWriter, name: String, type: CSVColumnType) throws {
        switch type {
        case .bool: self = .bool(try writer.streamBoolColumn(name))
        case .int64: self = .int64(try writer.streamColumn(name, of: Int64.self))
        case .float64: self = .float64(try writer.streamColumn(name, of: Double.self))
        case .date: self = .date(try writer.streamColumn(name, of: Int32.self, logicalType: .date))
        case .timestamp(let unit, let zoned):
            self = .timestamp(try writer.streamColumn(name, of: Int64.self,
                                                      logicalType: .timestamp(unit: unit, timeZone: zoned ? "UTC" : nil)),
                              unit: unit)
        case .string: self = .string(try writer.streamStringColumn(name))
        }
    }

    /// Appends a null row.
    func appendNull() throws {
        switch self {
        case .bool(let stream): try stream.append(nil)
        case .int64(let stream): try stream.append(nil)
        case .float64(let stream): try stream.append(nil)
        case .date(let stream): try stream.append(nil)
        case .timestamp(let stream, _): try stream.append(nil)
        case .string(let stream): try stream.append(nil as String?)
        }
    }

    /// Appends a field of a String column.
    func append(text: String) throws {
        guard case .string(let stream) = self else { preconditionFailure("text appended to a typed column") }
        try stream.append(text)
    }

    /// Appends a parsed value; the token fits the column's type (the importer checked).
    func append(_ token: CSVToken, field: String) throws {
        switch (self, token) {
        case (.bool(let stream), .bool(let value)): try stream.append(value)
        case (.int64(let stream), .int(let value)): try stream.append(value)
        case (.float64(let stream), .int(let value)): try stream.append(Double(value))
        case (.float64(let stream), .float(let value)): try stream.append(value)
        case (.date(let stream), .date(let days)): try stream.append(days)
        case (.timestamp(let stream, let unit), .date(let days)):
            try stream.append(Self.scaled(seconds: Int64(days) * 86_400, nanoseconds: 0, unit: unit))
        case (.timestamp(let stream, let unit), .timestamp(let instant)):
            try stream.append(Self.scaled(seconds: instant.seconds, nanoseconds: instant.nanoseconds, unit: unit))
        case (.string(let stream), _): try stream.append(field)
        default: preconditionFailure("a value of another type reached column stream \(self)")
        }
    }

    /// Seconds and nanoseconds in `unit` (the inference checked the range for nanoseconds).
    private static func scaled(seconds: Int64, nanoseconds: Int64, unit: TimeUnit) -> Int64 {
        switch unit {
        case .seconds: seconds
        case .milliseconds: seconds * 1_000 + nanoseconds / 1_000_000
        case .microseconds: seconds * 1_000_000 + nanoseconds / 1_000
        case .nanoseconds: seconds * 1_000_000_000 + nanoseconds
        }
    }
}
