import ArgumentParser
import ColFile
import ColFileCSV
import FoundationEssentials

/// `colfile import INPUT.csv OUTPUT`: a CSV file into a colfile file, types inferred.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file into a colfile file, inferring column types.",
        discussion: """
            Reads RFC 4180 CSV in a stream, so files larger than memory work: quoted fields may \
            hold delimiters, newlines and quotes (written ""); lines end in LF, CRLF or CR; a \
            UTF-8 byte-order mark is skipped; a quote inside an unquoted field is text, and \
            text between a closing quote and the next delimiter is an error. INPUT - \
            reads standard input (a pipe is first copied to an unnamed file in $TMPDIR, as \
            inference may read the input more than once). A record may be up to 256 MiB long.

            Types are inferred from the values: int64, float64, bool (true/false in any case), \
            date (YYYY-MM-DD), timestamp (ISO 8601, e.g. 2024-01-02T14:30:00.250Z, with a zone \
            Z/+HH:MM or without one, read as UTC; unit ms, us or ns as the fractions need), and \
            string for anything else. A string column is stored dictionary-encoded (each distinct \
            value once, each row a 1-, 2- or 4-byte index: format 1.2) when that makes it at most \
            half as large, which columns of few distinct values (codes, categories) do; at most \
            65,536 distinct values are tracked, so memory stays bounded (--dictionary never keeps \
            every column plain). A column widens when a later value needs it (int64 → \
            float64 → string, date → timestamp → string), reading the file again if it must: no \
            value is ever changed or dropped. Integers with leading zeros (007) stay strings, as \
            do integers too large for float64 in a float column. A column of nulls only is a string column.

            --schema fixes types instead; it also knows types inference never picks: int8, \
            int16, int32, uint8 ... uint64, float16, float32, timestamp(s|ms|us|ns), \
            timestamptz(UNIT) (time zone UTC), binary (base64), tensors such as float32[8] \
            or int64[2x3] (fields like [1,2,3,4,5,6], row-major), and dictionary(string) and \
            dictionary(binary) (always dictionary-encoded; a column given as string or binary is \
            never encoded). `colfile inspect --schema \
            FILE` prints the --schema of an existing file, so an export imports back with the \
            same types.

            Null values: the unquoted empty field and unquoted NA, NULL, null (change with \
            --null-values). A quoted field is never null: "" is the empty string (in a column \
            that is not string or binary, where no empty value exists, it is null), and "NA" \
            is the text NA. NaN, inf and -inf are float64 values, not nulls.

            The input is read in blocks of 4,096 records; their columns are converted on \
            --threads threads at once (one per column at most), so wide files use every core.

            Rows are counted from 1 after the header in messages. Blank lines are skipped when \
            there are two or more columns; a row with another number of fields is an error.

            --shard-rows N writes a dataset instead of one file (see `colfile dataset`): OUTPUT \
            is its folder, and every N rows go into a new shard file, so memory stays bounded \
            and each shard is a size readers and workers can take one at a time; all shards have \
            the same columns and types, inferred from the whole input (each shard decides on \
            its own rows whether to dictionary-encode a string column). Version 1 is published \
            when the import succeeds (--append publishes the next version of the dataset \
            already in OUTPUT instead); a failed import leaves no shard behind.

            Examples:
              colfile import trades.csv trades.col
              colfile import --schema zip:string,amount:float32 sales.csv sales.col
              colfile import --schema carrier:dictionary(string),tailnum:string flights.csv flights.col
              colfile import --delimiter ';' --no-header --null-values 'NA,-' data.csv data.col
              zcat logs.csv.gz | colfile import --compress auto - logs.col
              colfile import --compress message,url logs.csv logs.col
              colfile export a.col > a.csv && colfile import --schema "$(colfile inspect --schema a.col)" a.csv b.col
              colfile import --shard-rows 1000000 big.csv big.ds
              colfile import --shard-rows 1000000 --append day2.csv big.ds

            Exit status: 0 imported; 1 the CSV has a problem (named with its row and column); \
            2 usage or I/O error (or, with --shard-rows, OUTPUT already holds a dataset and \
            --append is not given). OUTPUT is replaced atomically, only when the import succeeds.
            """
    )

    @Option(help: ArgumentHelp("Column types to use instead of inferring them: NAME:TYPE,... with TYPE one of bool, int8 ... int64, uint8 ... uint64, float16, float32, float64, date, timestamp[(UNIT)], timestamptz[(UNIT)], string, binary, dictionary(string), dictionary(binary), or a tensor like float32[8]. Quote an entry whose name holds a comma: '\"a,b:int64\",c:date'.",
                               valueName: "name:type,..."))
    var schema: String?

    @Option(help: "The field delimiter: one ASCII character, or 'tab'.")
    var delimiter = ","

    @Flag(help: "The first row is data; columns are named column_1, column_2, ...")
    var noHeader = false

    @Option(help: ArgumentHelp("The unquoted fields that mean null, comma-separated (default: ',NA,NULL,null', i.e. the empty field, NA, NULL and null). Give '' for the empty field only.",
                               valueName: "values"))
    var nullValues: String?

    @Option(help: ArgumentHelp("Cold (compressed) columns: 'none' (default); 'auto' (zstd for the columns whose first 256 KiB compress to 80 % or less); 'zstd' or 'zlib' (every column); or column names, each optionally with ':zstd' or ':zlib' (default zstd; quote a name holding a comma).",
                               valueName: "none|auto|zstd|zlib|col[:codec],..."))
    var compress = "none"

    @Option(help: ArgumentHelp("The codec's level for --compress: zstd -7 to 22 (default 3), zlib 0 to 9 (default 6).",
                               valueName: "n"))
    var compressionLevel: Int?

    @Option(help: ArgumentHelp("Dictionary encoding of inferred string columns: 'auto' (default: when it makes the column at most half as large) or 'never'. Columns named in --schema get exactly their type.",
                               valueName: "auto|never"))
    var dictionary = "auto"

    @Option(help: ArgumentHelp("Threads that convert the columns of each block of records (default: the number of processors).",
                               valueName: "n"))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Write a dataset (OUTPUT is its folder) with a new shard file every N rows, instead of one file.",
                               valueName: "n"))
    var shardRows: Int?

    @Flag(help: "With --shard-rows: add the shards to the dataset already in OUTPUT (as its next version).")
    var append = false

    @OptionGroup var quietOption: QuietOption

    @Argument(help: "The CSV file to read; - for standard input.")
    var input: String

    @Argument(help: "The colfile file to write.")
    var output: String

    func validate() throws {
        guard delimiterByte != nil else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or newline, or 'tab'")
        }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1 to 256") }
        if let shardRows, shardRows < 1 { throw ValidationError("--shard-rows must be at least 1") }
        if append && shardRows == nil { throw ValidationError("--append needs --shard-rows") }
        guard ["auto", "never"].contains(dictionary) else { throw ValidationError("--dictionary must be auto or never") }
    }

    private var delimiterByte: UInt8? {
        if delimiter == "tab" || delimiter == "\\t" { return UInt8(ascii: "\t") }
        let bytes = Array(delimiter.utf8)
        guard bytes.count == 1, bytes[0] < 0x80, ![UInt8(ascii: "\""), 10, 13].contains(bytes[0]) else { return nil }
        return bytes[0]
    }

    func run() throws {
        FreedMemoryReuse.enable()
        var settings = CSVImporter.Settings(input: input, output: output)
        settings.delimiter = delimiterByte!
        settings.hasHeader = !noHeader
        settings.threads = threads
        settings.shardRows = shardRows
        settings.appendsToDataset = append
        settings.dictionary = dictionary == "never" ? .never : .automatic
        if let nullValues {
            settings.nullValues = Set(nullValues.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        }
        if let schema { settings.schema = try CSVSchema.parse(schema) }
        settings.compression = try CompressOption.parse(compress, level: compressionLevel)
        let progress = Progress("import", quiet: quietOption.quiet)
        let importer = CSVImporter(settings) { progress.update(rows: $0, bytes: $1) }
        let (summary, duration) = try timed {
            defer { progress.finish() }
            return try importer.run()
        }
        guard !quietOption.quiet else { return }
        print(Self.report(summary, settings: settings, duration: duration))
    }

    /// The summary printed after an import.
    static func report(_ summary: CSVImporter.Summary, settings: CSVImporter.Settings, duration: Duration) -> String {
        let into: String
        if let dataset = summary.dataset {
            into = "\(settings.output) (dataset version \(dataset.version), \(TextFormatting.grouped(summary.shards)) new shards, "
                + "\(TextFormatting.bytes(dataset.fileBytes)) in all)"
        } else {
            let size = (try? FileManager.default.attributesOfItem(atPath: settings.output)[.size] as? Int) ?? 0
            into = "\(settings.output) (\(TextFormatting.bytes(size)))"
        }
        var lines = ["imported \(TextFormatting.grouped(summary.rows)) rows × \(summary.columns.count) columns "
            + "from \(settings.input == "-" ? "stdin" : settings.input) (\(TextFormatting.bytes(summary.inputBytes))) into \(into) "
            + "in \(TextFormatting.duration(duration))"]
        var table = TextTable([("column", .left), ("type", .left), ("nulls", .right)])
        // Which inferred string columns the writer stored dictionary-encoded, read from the file.
        // By name (O(log columns) each), so a wide import's report stays linear in its columns.
        let written = try? ColFileReader.open(settings.output)
        for column in summary.columns {
            var type = column.type.description
            if settings.schema[column.name] != nil {
                type += " (--schema)"
            } else if let dictionary = (try? written?.info(column.name))?.dictionary {
                type = "dictionary(\(type)), \(TextFormatting.grouped(dictionary.entryCount)) entries"
            }
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
