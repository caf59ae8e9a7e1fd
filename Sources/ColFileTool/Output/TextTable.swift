/// A plain-text table with a header row and aligned columns, for terminal output.
struct TextTable {
    /// Whether a column's cells line up on the left (text) or on the right (numbers).
    enum Alignment {
        /// Pad on the right.
        case left
        /// Pad on the left.
        case right
    }

    /// The column titles.
    let headers: [String]
    /// How each column is aligned; as many as `headers`.
    let alignments: [Alignment]
    /// The rows, each with one cell per column.
    var rows: [[String]] = []

    /// Creates an empty table with the given columns.
    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// The table as lines, each starting with `indent`, columns two spaces apart, no trailing
    /// spaces; the header row first unless `header` is false.
    func lines(indent: String = "", header: Bool = true) -> [String] {
        let all = (header ? [headers] : []) + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            var line = indent
            for (column, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let isLast = column == cells.count - 1
                switch alignments[column] {
                case .left: line += cell + (isLast ? "" : padding)
                case .right: line += padding + cell
                }
                if !isLast { line += "  " }
            }
            return line
        }
    }
}
