import ColFile

/// The job of the draft-fill scenario (``HarnessScenario/draftFill(_:)``): a draft with a
/// Float64 result column `value` (rows start null) and an Int64 counter column `count` (rows start
/// zero); row `i` gets `value = i × 0.25 + 1` and one atomic increment of `count`.
enum FillJob {
    /// The draft's columns.
    static let columns = [
        DraftColumn("value", of: Double.self),
        DraftColumn("count", of: Int64.self, initialRows: .zero),
    ]

    /// The result of row `row` (exact in binary floating point, the same in every language).
    static func value(_ row: Int) -> Double { Double(row) * 0.25 + 1 }

    /// Bytes one row takes in the draft: both values and a bit of validity.
    static let bytesPerRow = 8.0 + 8.0 + 1.0 / 8.0
}
