/// Why a CSV import could not be done, apart from failures of the colfile writer (those are
/// ``ColFile/ColFileError``s): the CSV text, the options, or reading the input.
///
/// ``description`` is one sentence that names the input, and the row and column where known, for
/// example `trades.csv: row 12 has 3 fields, expected 4`.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: Sendable, Equatable, CaseIterable {
        /// The CSV text is not valid: bad quoting, a record with another number of fields, text
        /// that is not UTF-8, an empty input, a field that is not a value of the type a schema
        /// gives, or an input that changed while it was read.
        case invalidCSV
        /// A colfile column has no CSV form (a schema cannot be written for it).
        case noCSVForm
        /// An option or a schema is malformed, or names a column the input does not have.
        case invalidOption
        /// Reading the input, or copying it to a temporary file, failed.
        case io
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// One sentence naming the input and what is wrong.
    public var description: String

    /// An error of `kind` that says `description`.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
