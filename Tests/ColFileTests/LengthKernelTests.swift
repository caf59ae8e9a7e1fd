import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `totalByteCount(in:)` and the length statistics (SIMD kernels over the offsets, nulls masked
/// with the bitmap) against plain loops over the rows: written columns with 32-bit offsets, and
/// offsets in memory at both widths through `LengthKernelProbe` (a file with 64-bit offsets needs
/// 2 GiB of values). Failures name `COLFILE_TEST_SEED`.
@Suite struct LengthKernelTests {
    /// How often a row is null.
    enum Nulls: String, CaseIterable, Sendable {
        case none, sparse, half, dense, all

        func isValid(_ rng: inout SplitMix64) -> Bool {
            switch self {
            case .none: true
            case .sparse: rng.next() % 50 != 0
            case .half: rng.next() % 2 == 0
            case .dense: rng.next() % 10 == 0
            case .all: false
            }
        }
    }

    /// Row counts around the 8-row lanes and 64-row bitmap words.
    static let rowCounts = [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1_000, 4_099]

    /// Ranges that start and end inside bitmap bytes and words, plus the whole column.
    static func ranges(rows: Int, _ rng: inout SplitMix64) -> [Range<Int>] {
        var result = [0..<rows, 0..<0, rows..<rows]
        for (start, end) in [(1, 130), (3, 64), (63, 65), (64, 128), (7, rows - 5), (9, rows), (0, rows - 1)]
            where start <= end && end <= rows {
            result.append(start..<end)
        }
        for _ in 0..<20 {
            let a = Int(rng.next() % UInt64(rows + 1)), b = Int(rng.next() % UInt64(rows + 1))
            result.append(min(a, b)..<max(a, b))
        }
        return result
    }

    @Test(arguments: Nulls.allCases)
    func writtenColumnsMatchALoop(nulls: Nulls) throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed &+ UInt64(Nulls.allCases.firstIndex(of: nulls)!))
        let folder = try TemporaryFolder("length-kernel-\(nulls.rawValue)")
        for rows in Self.rowCounts {
            let path = folder.file("l\(rows).col")
            let strings: [String?] = (0..<rows).map { _ in
                nulls.isValid(&rng) ? String(repeating: "é", count: Int(rng.next() % 40)) + "x" : nil
            }
            let binary: [[UInt8]?] = (0..<rows).map { _ in
                nulls.isValid(&rng) ? [UInt8](repeating: 7, count: Int(rng.next() % 300)) : nil
            }
            let writer = try ColFileWriter(path: path)
            if nulls == .none {
                try writer.addColumn("s", strings.map { $0! })
                try writer.addBinaryColumn("b", binary.map { $0! })
            } else {
                try writer.addColumn("s", strings)
                try writer.addBinaryColumn("b", binary)
            }
            try writer.finish()
            let reader = try ColFileReader.open(path)
            let text = try reader.stringColumn("s")
            let bytes = try reader.binaryColumn("b")
            for range in Self.ranges(rows: rows, &rng) {
                let expectedText = range.reduce(0) { $0 + (strings[$1]?.utf8.count ?? 0) }
                let expectedBytes = range.reduce(0) { $0 + (binary[$1]?.count ?? 0) }
                #expect(text.totalByteCount(in: range) == expectedText, "rows \(rows) range \(range) seed \(seed)")
                #expect(bytes.totalByteCount(in: range) == expectedBytes, "rows \(rows) range \(range) seed \(seed)")
            }
            #expect(text.totalByteCount() == strings.reduce(0) { $0 + ($1?.utf8.count ?? 0) }, "seed \(seed)")
            let stringLengths = strings.compactMap { $0?.utf8.count }
            #expect(try reader.statistics("s").values == .lengths(min: stringLengths.min(), max: stringLengths.max(),
                                                                  total: stringLengths.reduce(0, +)),
                    "rows \(rows) seed \(seed)")
            let binaryLengths = binary.compactMap { $0?.count }
            #expect(try reader.statistics("b").values == .lengths(min: binaryLengths.min(), max: binaryLengths.max(),
                                                                  total: binaryLengths.reduce(0, +)),
                    "rows \(rows) seed \(seed)")
        }
    }

    /// Offsets at both widths, lengths up to 2^40 bytes at width 8 (sums beyond 32 bits), random
    /// bitmaps whose bits past the last row are garbage.
    @Test(arguments: [4, 8], Nulls.allCases)
    func kernelsMatchALoopAtBothWidths(width: Int, nulls: Nulls) {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed &+ UInt64(width) &* 31 &+ UInt64(Nulls.allCases.firstIndex(of: nulls)!))
        for rows in Self.rowCounts + [513, 2_047] {
            let longest: UInt64 = width == 4 ? 1_000 : 1 << 40
            var offsets: [Int64] = [0]
            for _ in 0..<rows {
                let length = rng.next() % 5 == 0 ? 0 : Int64(rng.next() % longest)
                offsets.append(offsets.last! + length)
            }
            var valid = (0..<rows).map { _ in nulls.isValid(&rng) }
            // Bits past the last row are set at random: the kernels must not read them as rows.
            valid += (0..<(7 - (rows + 7) % 8)).map { _ in rng.next() & 1 == 1 }
            var bitmap = [UInt8](repeating: 0, count: valid.count / 8)
            for (row, isValid) in valid.enumerated() where isValid { bitmap[row / 8] |= 1 << UInt8(row % 8) }
            let validity = nulls == .none ? nil : bitmap
            func length(_ row: Int) -> Int { Int(offsets[row + 1] - offsets[row]) }
            func isValid(_ row: Int) -> Bool { validity == nil || valid[row] }
            for range in Self.ranges(rows: rows, &rng) {
                let expected = range.filter(isValid).reduce(0) { $0 + length($1) }
                #expect(LengthKernelProbe.totalByteCount(offsets: offsets, width: width, validity: validity, rows: range)
                        == expected, "width \(width) rows \(rows) range \(range) seed \(seed)")
            }
            let lengths = (0..<rows).filter(isValid).map(length)
            let figures = LengthKernelProbe.lengthStatistics(offsets: offsets, width: width, validity: validity)
            #expect(figures.min == lengths.min() && figures.max == lengths.max()
                    && figures.total == lengths.reduce(0, +), "width \(width) rows \(rows) seed \(seed)")
        }
    }

    @Test func emptyColumn() throws {
        let folder = try TemporaryFolder("length-kernel-empty")
        let path = folder.file("empty.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("s", [String?]())
        try writer.addBinaryColumn("b", [[UInt8]]())
        try writer.finish()
        let reader = try ColFileReader.open(path)
        #expect(try reader.stringColumn("s").totalByteCount() == 0)
        #expect(try reader.binaryColumn("b").totalByteCount(in: 0..<0) == 0)
        #expect(try reader.statistics("s").values == .lengths(min: nil, max: nil, total: 0))
    }

    @Test func rangePastTheEndStops() async throws {
        await #expect(processExitsWith: .failure) {
            let folder = try TemporaryFolder("length-kernel-misuse")
            let path = folder.file("s.col")
            let writer = try ColFileWriter(path: path)
            try writer.addColumn("s", ["a", nil, "bc"])
            try writer.finish()
            let column = try ColFileReader.open(path).stringColumn("s")
            try FileManager.default.removeItem(atPath: folder.path)  // the trap below skips the folder's cleanup
            _ = column.totalByteCount(in: 1..<4)
        }
    }
}
