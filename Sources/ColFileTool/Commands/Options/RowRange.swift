
/// A `--rows START..END` range: half-open, rows counted from 0; either end may be left out.
enum RowRange {
    /// The rows of a table of `count` rows that `text` selects (clamped to the table).
    static func parse(_ text: String?, count: Int) throws -> Range<Int> {
        guard let text else { return 0..<count }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, parts[0].isEmpty || Int(parts[0]) != nil, parts[1].isEmpty || Int(parts[1]) != nil,
              !text.contains("...") else {
            throw ToolFailure.usage("--rows takes START..END (rows START to END-1, from 0), START.. or ..END")
        }
        let start = parts[0].isEmpty ? 0 : Int(parts[0])!
        let end = parts[1].isEmpty ? count : Int(parts[1])!
        guard start >= 0, end >= start else {
            throw ToolFailure.usage("--rows \(text): START must be at least 0 and END at least START")
        }
        return min(start, count)..<min(end, count)
    }
}
