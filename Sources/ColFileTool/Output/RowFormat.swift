import ArgumentParser

/// The formats rows are printed in.
package enum RowFormat: String, ExpressibleByArgument, CaseIterable {
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON object per line.
    case jsonl
}
