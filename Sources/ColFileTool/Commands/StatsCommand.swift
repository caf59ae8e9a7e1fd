import ArgumentParser
import ColFile
import Glibc

/// `colfile stats FILE`: per-column statistics computed at memory speed.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show per-column statistics: nulls, min, max, sum, mean, true count, string lengths.",
        discussion: """
            Scans the columns in place through the file's mapping (see ColFileReader.statistics), \
            with several independent SIMD accumulators, so a warm file is read at memory speed. \
            Null rows count only as nulls. For numbers: min, max, sum (exact for integers) and mean \
            (for tensor columns, over every element of the non-null rows); \
            NaNs are left out of min and max. For dates and timestamps: min and max. For bools: the \
            number of true rows. For strings and binary: the shortest and longest value in bytes \
            (UTF-8 bytes for strings) and the total length of the non-null values. For \
            dictionary-encoded columns: the figures of their values, and how many distinct \
            dictionary entries the rows use. On a terminal, \
            a last line tells how many bytes were scanned and how fast.

            Of a dataset's folder (`colfile dataset`), the figures of its newest version: each \
            shard's, merged (distinct entries only when there is one shard).

            Examples:
              colfile stats trades.col
              colfile stats trades.ds
              colfile stats --columns price,qty trades.col
              colfile stats --json trades.col | jq '.columns[] | {name, mean}'

            Exit status: 0 done; 1 the file is bad; 2 usage or I/O error (including an unknown column).
            """
    )

    @Option(help: ArgumentHelp("Columns to describe, in this order (default: all). Quote a name holding a comma: '\"a,b\",c'.", valueName: "a,b,..."))
    var columns: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Of a dataset's folder, the version to read (default: the newest).")
    var version: Int?

    @Argument(help: "The colfile file to read, or a dataset's folder (its newest version, every shard).")
    var file: String

    func run() throws {
        let output = StandardOutput()
        let (figures, table, bytes, duration) = try Self.figures(file, columns: columns, version: version)
        try output.write(json ? Self.json(figures, table: table) : Self.table(figures, table: table))
        if !json, isatty(1) == 1 {
            // On a terminal only (scripts and tests get the same text every time): how fast it was.
            try output.write("(scanned \(TextFormatting.bytes(bytes)) in place in \(TextFormatting.duration(duration)): "
                             + "\(TextFormatting.throughput(bytes: bytes, in: duration)))\n")
        }
        try output.flush()
    }

    /// What the first line of the output names: the file or dataset, and its size.
    struct Table {
        /// The path given.
        var path: String
        /// For a dataset, its version and number of shards.
        var dataset: (version: Int, shards: Int)?
        /// Its rows.
        var rowCount: Int
        /// Its columns.
        var columnCount: Int
    }

    /// The figures of the chosen columns of the file or dataset (version `version`, or its newest)
    /// at `path`, what it is, the bytes scanned and the time taken.
    static func figures(_ path: String, columns list: String?, version: Int?) throws
        -> (figures: [ColumnFigures], table: Table, bytes: Int, duration: Duration) {
        switch try RowSource.open(path, columns: list, version: version).origin {
        case .dataset(let dataset, let chosen):
            let (figures, duration) = try timed {
                try chosen.map { ColumnFigures(column: $0, statistics: try dataset.statistics($0.name)) }
            }
            let bytes = try dataset.shards.indices.reduce(0) { total, index in
                let reader = try dataset.shard(at: index)
                return try chosen.reduce(total) { $0 + Int(try reader.info($1.name).storedBytes) }
            }
            let table = Table(path: path, dataset: (dataset.version, dataset.shards.count), rowCount: dataset.rowCount,
                              columnCount: dataset.schema.count)
            return (figures, table, bytes, duration)
        case .file(let reader, let selected):
            let (figures, duration) = try timed {
                try selected.map { info in ColumnFigures(info: info, statistics: try reader.statistics(info.name)) }
            }
            let table = Table(path: reader.path, rowCount: reader.rowCount, columnCount: reader.columnCount)
            return (figures, table, selected.reduce(0) { $0 + Int($1.storedBytes) }, duration)
        }
    }

    /// `PATH: R rows, C columns`, with the version and shards of a dataset.
    static func heading(_ table: Table) -> String {
        let dataset = table.dataset.map { version, shards in
            "dataset version \(version), \(TextFormatting.grouped(shards)) shard\(shards == 1 ? "" : "s"), "
        } ?? ""
        return "\(table.path): \(dataset)\(TextFormatting.grouped(table.rowCount)) rows, "
            + "\(table.columnCount) column\(table.columnCount == 1 ? "" : "s")"
    }

    /// The readable table.
    static func table(_ figures: [ColumnFigures], table source: Table) -> String {
        // A `distinct` column only when a dictionary-encoded column is shown.
        let hasDictionaries = figures.contains { $0.statistics.distinctEntries != nil }
        var table = TextTable([("column", .left), ("type", .left), ("nulls", .right), ("min", .right), ("max", .right),
                               ("sum", .right), ("mean", .right), ("true", .right), ("min len", .right),
                               ("max len", .right), ("total len", .right)]
                              + (hasDictionaries ? [("distinct", .right)] : []))
        for figure in figures {
            let text = figure.texts
            table.rows.append([TextFormatting.escapingControls(figure.name), figure.typeName, TextFormatting.grouped(figure.statistics.nullCount),
                               text.min ?? "", text.max ?? "", text.sum ?? "", text.mean ?? "",
                               text.trueCount ?? "", text.minLength ?? "", text.maxLength ?? "",
                               text.totalLength ?? ""] + (hasDictionaries ? [figure.distinct ?? ""] : []))
        }
        var lines = [heading(source)]
        if !figures.isEmpty { lines += table.lines().map(\.trimmingTrailingSpaces) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON object: the path, rows, and one object per column (numbers as JSON numbers,
    /// dates, timestamps and non-finite floats as strings; absent figures left out).
    static func json(_ figures: [ColumnFigures], table: Table) -> String {
        let columns = figures.map { figure -> String in
            let text = figure.texts
            var fields = [("name", CellText.jsonString(figure.name)), ("type", CellText.jsonString(figure.typeName)),
                          ("rows", String(figure.statistics.rowCount)), ("nulls", String(figure.statistics.nullCount))]
            let optional: [(String, String?)] = [("min", text.min), ("max", text.max), ("sum", text.sum),
                                                 ("mean", text.mean), ("trueCount", text.trueCount),
                                                 ("minLength", text.minLength), ("maxLength", text.maxLength),
                                                 ("totalLength", text.totalLength), ("distinct", figure.distinct)]
            for (key, value) in optional {
                guard let value else { continue }
                let isNumber = Double(value)?.isFinite == true && !text.quoted
                fields.append((key, isNumber ? value : CellText.jsonString(value)))
            }
            return "    {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        let datasetFields = table.dataset.map { "\n  \"datasetVersion\": \($0.version),\n  \"shards\": \($0.shards)," } ?? ""
        return """
            {
              "path": \(CellText.jsonString(table.path)),\(datasetFields)
              "rows": \(table.rowCount),
              "columns": [
            \(columns.joined(separator: ",\n"))
              ]
            }

            """
    }
}
