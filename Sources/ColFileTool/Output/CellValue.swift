/// One value of a table cell, ready to print as CSV, JSON or in a table.
package enum CellValue {
    /// A null row.
    case null
    /// A number, in its shortest exact decimal form (a JSON number).
    case number(String)
    /// A Bool.
    case bool(Bool)
    /// Text: strings, dates, timestamps, base64 of binary values, and the non-finite floats
    /// `nan`, `inf`, `-inf` (JSON has no numbers for them, so they are JSON strings).
    case text(String)
    /// The values of a tensor row, flattened, as numbers.
    case list([String])
}
