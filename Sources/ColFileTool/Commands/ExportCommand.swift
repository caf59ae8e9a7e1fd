import ArgumentParser
import ColFile

/// `colfile export FILE`: rows to stdout as CSV or JSON lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the rows of a colfile file as CSV or JSON lines.",
        discussion: """
            Streams to standard output. CSV is RFC 4180 with a header row; nulls are empty fields \
            (in JSON, null). Floats are printed in the shortest form that reads back exactly, \
            timestamps in ISO 8601 (UTC, with Z when the column has a time zone), dates as \
            YYYY-MM-DD, binary values in base64, tensor rows as [a,b,...] (flattened, row-major); \
            nan, inf and -inf are JSON strings. Text that would read back as null (empty, NA, \
            NULL, null) is quoted. `colfile import` of a CSV export gives back the same values; \
            with --schema "$(colfile inspect --schema FILE)" also the same types (binary and \
            tensor columns, integer and float widths, timestamp units). A cold (compressed) \
            column is decoded whole, through the shared cache of decoded columns, unless --rows \
            picks at most 1/64 of its rows: then only the chunks holding them are decoded, in \
            this process's memory.

            A dataset's folder (`colfile dataset`) is read as one table: its newest version's \
            shards in order, each checked against the manifest before any row is printed; a column a shard \
            stores dictionary-encoded prints its values.

            Examples:
              colfile export trades.col > trades.csv
              colfile export --rows 0..1000 trades.ds
              colfile export --format jsonl --columns symbol,price trades.col
              colfile export --rows 1000..2000 trades.col | less
              colfile export big.col | head
              colfile export a.col | colfile import --schema "$(colfile inspect --schema a.col)" - b.col

            Exit status: 0 done (also when the reader of a pipe stops early); 1 the file is bad; \
            2 usage or I/O error (including an unknown column).
            """
    )

    @Option(help: "Output format.")
    var format: RowFormat = .csv

    @Option(help: ArgumentHelp("Columns to print, in this order (default: all). Quote a name holding a comma: '\"a,b\",c'.", valueName: "a,b,..."))
    var columns: String?

    @Option(help: ArgumentHelp("Rows START to END-1, counted from 0; START.. and ..END also work.",
                               valueName: "start..end"))
    var rows: String?

    @OptionGroup var quietOption: QuietOption

    @Option(help: "Of a dataset's folder, the version to read (default: the newest).")
    var version: Int?

    @Argument(help: "The colfile file to read, or a dataset's folder (its newest version, shard after shard).")
    var file: String

    func run() throws {
        let source = try RowSource.open(file, columns: columns, version: version)
        let range = try RowRange.parse(rows, count: source.rowCount)
        let progress = Progress("export", quiet: quietOption.quiet)
        defer { progress.finish() }
        let parts = try source.parts(of: range)
        var output = try RowOutput(names: source.names, format: format, to: StandardOutput(), progress: progress)
        for part in parts {
            try output.write(try part.columns.map { try ColumnCells(part.reader, $0, rows: part.rows) }, rows: part.rows)
        }
        try output.finish()
    }
}
