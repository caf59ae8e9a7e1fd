import ArgumentParser
import ColFile

/// `colfile head FILE`: the first rows, as an aligned table by default.
struct HeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Show the first rows of a colfile file as a table.",
        discussion: """
            The table has the column names, then their types, then the rows. Nulls show as ∅, \
            long values are cut with …, and newlines, tabs and backslashes in strings are shown \
            as \\n, \\t and \\\\. With --format csv or jsonl the rows are printed as `colfile \
            export` prints them. Of a cold (compressed) column only the chunks holding the rows \
            shown are decoded, in this process's memory, when they are at most 1/64 of its rows \
            (else it is decoded whole, through the shared cache of decoded columns).

            A dataset's folder (`colfile dataset`) shows the first rows of its newest version, \
            whichever shards hold them, with the schema's types.

            Examples:
              colfile head trades.col
              colfile head trades.ds
              colfile head -n 3 --columns symbol,price trades.col
              colfile head --format jsonl trades.col

            Exit status: 0 done; 1 the file is bad; 2 usage or I/O error (including an unknown column).
            """
    )

    /// The formats `head` prints.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// An aligned table.
        case table
        /// CSV with a header row.
        case csv
        /// JSON lines.
        case jsonl
    }

    @Option(name: .customShort("n"), help: "The number of rows to show.")
    var count = 10

    @Option(help: ArgumentHelp("Columns to show, in this order (default: all). Quote a name holding a comma: '\"a,b\",c'.", valueName: "a,b,..."))
    var columns: String?

    @Option(help: "Output format.")
    var format: Format = .table

    @Option(help: "The widest a table cell may be, in characters.")
    var width = 30

    @Option(help: "Of a dataset's folder, the version to read (default: the newest).")
    var version: Int?

    @Argument(help: "The colfile file to read, or a dataset's folder (its newest version).")
    var file: String

    func validate() throws {
        guard count >= 0 else { throw ValidationError("-n must be 0 or more") }
        guard width >= 4 else { throw ValidationError("--width must be at least 4") }
    }

    func run() throws {
        let source = try RowSource.open(file, columns: columns, version: version)
        let rows = 0..<min(count, source.rowCount)
        let parts = try source.parts(of: rows)
        switch format {
        case .csv, .jsonl:
            var output = try RowOutput(names: source.names, format: format == .csv ? .csv : .jsonl, to: StandardOutput())
            for part in parts {
                try output.write(try part.columns.map { try ColumnCells(part.reader, $0, rows: part.rows) }, rows: part.rows)
            }
            try output.finish()
        case .table:
            var table = TextTable(zip(source.names, source.numeric).map { (TextFormatting.escapingControls($0), $1 ? .right : .left) })
            table.rows.append(source.typeNames)
            for part in parts {
                let cells = try part.columns.map { try ColumnCells(part.reader, $0, rows: part.rows) }
                for row in part.rows {
                    table.rows.append(try cells.map { CellText.table(try $0.cell(row), width: width) })
                }
            }
            let output = StandardOutput()
            try output.write(Self.text(table, rows: rows.count, total: source.rowCount, columns: source.names.count))
            try output.flush()
        }
    }

    /// The table's text: names, types, rows, then a line saying how many rows there are.
    static func text(_ table: TextTable, rows: Int, total: Int, columns: Int) -> String {
        let footer = rows == total ? "\(TextFormatting.grouped(total)) row\(total == 1 ? "" : "s")"
            : "\(TextFormatting.grouped(rows)) of \(TextFormatting.grouped(total)) rows"
        let lines = columns == 0 ? [] : table.lines().map(\.trimmingTrailingSpaces)
        return (lines + ["(\(footer), \(columns) column\(columns == 1 ? "" : "s"))"]).joined(separator: "\n") + "\n"
    }
}
