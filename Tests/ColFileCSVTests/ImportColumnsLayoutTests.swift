@testable import ColFileCSV
import Testing

/// What an import keeps per column stays small: a wide import (50,000 columns) touches its
/// per-column arrays' pages once per column.
@Suite struct ImportColumnsLayoutTests {
    /// Outcomes ahead are kept only for blocks whose steps may convert ahead (taking columns one
    /// at a time: up to 127 columns).
    @Test(arguments: [1, 10, 127, 128, 10_000, 50_000])
    func stepsWorkAheadOnlyOnNarrowBlocks(_ count: Int) {
        #expect(BlockStep.mayWorkAhead(columns: count) == (count < 128))
    }

    /// A column's inference state takes 48 bytes (its widest fields first: 64 in declaration
    /// order), of which a wide import keeps one a column.
    @Test func aColumnsInferenceIsSmall() {
        #expect(MemoryLayout<CSVColumnInference>.stride == 48)
    }
}
