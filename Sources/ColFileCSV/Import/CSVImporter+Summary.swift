import ColFile

extension CSVImporter {
    /// What an import did.
    public struct Summary: Sendable {
        /// One column of the file written.
        public struct Column: Sendable, Equatable {
            /// The column's name.
            public var name: String
            /// The type it was stored as.
            public var type: CSVColumnType
            /// Its null rows.
            public var nulls: Int
        }

        /// The first value that did not fit the type inferred from the rows before it, which made
        /// the import read the file again with wider types.
        public struct Widening: Sendable, Equatable {
            /// Its data row (from 1).
            public var row: Int
            /// Its column.
            public var column: String
            /// The field's text.
            public var value: String
            /// The type it did not fit.
            public var from: CSVColumnType
        }

        /// The columns, in the input's order.
        public var columns: [Column]
        /// Data rows.
        public var rows: Int
        /// The bytes of CSV read.
        public var inputBytes: Int
        /// The first value that did not fit the type inferred so far, if any.
        public var widening: Widening?
        /// The shards written, for an import into a dataset (0 otherwise).
        public var shards = 0
        /// The dataset version published, for an import into a dataset.
        public var dataset: ColFileDataset?
    }
}
