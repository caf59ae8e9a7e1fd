import ArgumentParser
import ColFile
import Foundation

/// `colfile import INPUT.csv OUTPUT`: a CSV file into a colfile file, types inferred.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file into a colfile file, inferring column types.",
        discussion: """
            Reads RFC 4180 CSV (quoted fields with delimiters, quotes and newlines; LF or CRLF; a \
            UTF-8 byte-order mark is skipped) in a stream, so files larger than memory work.

            Types are inferred from the values: int64, float64, bool (true/false in any case), \
            date (YYYY-MM-DD), timestamp (ISO 8601, e.g. 2024-01-02T14:30:00.250Z, with a zone \
            Z/+HH:MM or without one, read as UTC; unit ms, us or ns as the fractions need), and \
            string for anything else. A column widens when a later value needs it (int64 → \
            float64 → string, date → timestamp → string), reading the file again if it must: no \
            value is ever changed or dropped. Integers with leading zeros (007) stay strings, as \
            do integers too large for float64 in a float column. A column of nulls only is a string column.

            Null values: the empty field and NA, NULL, null (change with --null-values). NaN, inf \
            and -inf are float64 values, not nulls. An empty string cannot be told from a null: \
            both import as null.

            Rows are counted from 1 after the header in messages. Blank lines are skipped when \
            there are two or more columns; a row with another number of fields is an error.

            Examples:
              colfile import trades.csv trades.col
              colfile import --schema zip:string,amount:float64 sales.csv sales.col
              colfile import --delimiter ';' --no-header --null-values 'NA,-' data.csv data.col
              colfile import --compress auto logs.csv logs.col
              colfile import --compress message,url logs.csv logs.col

            Exit status: 0 imported; 1 the CSV has a problem (named with its row and column); \
            2 usage or I/O error. OUTPUT is replaced atomically, only when the import succeeds.
            """
    )

    @Option(help: ArgumentHelp("Column types to use instead of inferring them: NAME:TYPE,... with TYPE one of int64, float64, bool, timestamp, date, string.",
                               valueName: "name:type,..."))
    var schema: String?

    @Option(help: "The field delimiter: one character, or 'tab'.")
    var delimiter = ","

    @Flag(help: "The first row is data; columns are named column_1, column_2, ...")
    var noHeader = false

    @Option(help: ArgumentHelp("The fields that mean null, comma-separated (default: ',NA,NULL,null', i.e. the empty field, NA, NULL and null). Give '' for the empty field only.",
                               valueName: "values"))
    var nullValues: String?

    @Option(help: ArgumentHelp("Cold (zlib-compressed) columns: 'none' (default), 'auto' (columns whose first 256 KiB compress to 80 % or less), or column names.",
                               valueName: "auto|none|col,..."))
    var compress = "none"

    @OptionGroup var quietOption: QuietOption

    @Argument(help: "The CSV file to read.")
    var input: String

    @Argument(help: "The colfile file to write.")
    var output: String

    func validate() throws {
        guard delimiterScalar != nil else {
            throw ValidationError("--delimiter must be one character other than a quote or newline, or 'tab'")
        }
    }

    private var delimiterScalar: UnicodeScalar? {
        if delimiter == "tab" || delimiter == "\\t" { return "\t" }
        let scalars = delimiter.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first, !["\"", "\n", "\r"].contains(scalar) else { return nil }
        return scalar
    }

    func run() throws {
        try reportingFailures {
            var settings = CSVImporter.Settings(input: input, output: output)
            settings.delimiter = delimiterScalar!
            settings.hasHeader = !noHeader
            settings.quiet = quietOption.quiet
            if let nullValues {
                settings.nullValues = Set(nullValues.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
            }
            if let schema { settings.schema = try CSVSchemaOption.parse(schema) }
            switch compress {
            case "none": settings.compression = .none
            case "auto": settings.compression = .auto
            default:
                let names = compress.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !names.contains(where: \.isEmpty) else {
                    throw ToolFailure.usage("--compress takes auto, none, or column names separated by commas")
                }
                settings.compression = .columns(names)
            }
            let (summary, duration) = try timed { try CSVImporter(settings).run() }
            guard !quietOption.quiet else { return }
            print(Self.report(summary, settings: settings, duration: duration))
        }
    }

    /// The summary printed after an import.
    static func report(_ summary: CSVImporter.Summary, settings: CSVImporter.Settings, duration: Duration) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: settings.output)[.size] as? Int) ?? 0
        let inputSize = (try? FileManager.default.attributesOfItem(atPath: settings.input)[.size] as? Int) ?? 0
        var lines = ["imported \(TextFormatting.grouped(summary.rows)) rows × \(summary.columns.count) columns "
            + "from \(settings.input) (\(TextFormatting.bytes(inputSize))) into \(settings.output) "
            + "(\(TextFormatting.bytes(size))) in \(TextFormatting.duration(duration))"]
        var table = TextTable([("column", .left), ("type", .left), ("nulls", .right)])
        for column in summary.columns {
            var type = column.type.description
            if case .timestamp(let unit, let zoned) = column.type { type += "(\(unit)\(zoned ? ", UTC" : ""))" }
            if settings.schema[column.name] != nil { type += " (--schema)" }
            table.rows.append([column.name, type, TextFormatting.grouped(column.nulls)])
        }
        lines += table.lines(indent: "  ")
        if let widening = summary.widening {
            lines.append("note: row \(widening.row), column '\(widening.column)': '\(CSVImporter.excerpt(widening.value))' "
                         + "did not fit \(widening.from), so the file was read again with wider types")
        }
        return lines.joined(separator: "\n")
    }
}
