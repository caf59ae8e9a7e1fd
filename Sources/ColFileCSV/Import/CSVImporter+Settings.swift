import ColFile

extension CSVImporter {
    /// What an import is told: the input and output, how to read the CSV, which types to use
    /// instead of inferring them, and which columns to compress.
    public struct Settings: Sendable {
        /// The CSV file's path, or `-` for standard input (copied to an unnamed temporary file in
        /// `$TMPDIR` first, as inference may read the input more than once).
        public var input: String
        /// The colfile file to write; it is replaced atomically, only when the import succeeds.
        /// With ``shardRows``, the folder of the dataset to write instead.
        public var output: String
        /// The field delimiter: an ASCII byte other than a quote, CR or LF.
        public var delimiter = UInt8(ascii: ",")
        /// Whether the first record names the columns; without a header (or for an empty header
        /// field) columns are named `column_1`, `column_2`, …
        public var hasHeader = true
        /// The unquoted fields that mean null (a quoted field is never null).
        public var nullValues: Set<String> = ["", "NA", "NULL", "null"]
        /// The types of the columns it names, instead of inferred ones.
        public var schema: [String: CSVSchemaType] = [:]
        /// Which columns to store compressed (cold).
        public var compression: CompressionChoice = .none
        /// The threads that convert a block's columns at once (1: the calling thread only).
        public var threads = 1
        /// When set, ``output`` is a dataset's folder (Specification.md §14) and the rows go into
        /// shards of this many rows (the last may have fewer), each a colfile file written with
        /// bounded memory; the dataset version holding them all is published when the import
        /// succeeds, else the shards are removed. Nil writes one file.
        public var shardRows: Int?
        /// With ``shardRows``: publish the shards as the next version of the dataset already in
        /// ``output`` (its columns must be the same) instead of creating a new dataset there.
        public var appendsToDataset = false
        /// Whether inferred String columns may be stored dictionary-encoded (Specification.md §6.4):
        /// ``DictionaryPolicy/automatic`` (the default) encodes a column when its indices and
        /// dictionary take at most half the bytes of its plain form (few distinct values, as
        /// airport codes or categories), ``DictionaryPolicy/never`` keeps every one plain. Columns
        /// the schema names get exactly their type (`string` plain, `dictionary(string)` encoded).
        /// A sharded import (``shardRows``) decides for each shard on its own rows: a dataset's
        /// schema does not say the encoding (Specification.md §14.3).
        public var dictionary: DictionaryPolicy = .automatic

        /// An import of `input` into `output` with the default choices.
        public init(input: String, output: String) {
            self.input = input
            self.output = output
        }
    }

    /// Which columns an import stores compressed (Specification.md §13), and how.
    public enum CompressionChoice: Sendable, Equatable {
        /// Every column plain.
        case none
        /// Every column as `compression` says (``Compression/auto(maxRatio:)`` compresses only the
        /// columns whose sample compresses to 80 % or less).
        case all(Compression)
        /// The named columns as given; the others plain.
        case columns([String: Compression])
    }
}
