import ColFile
import ColFileTestSupport
import Testing

/// The block appends a CSV import uses (``VariableLengthColumnStream/append(contentsOf:ends:)``
/// into a dictionary, ``BoolColumnStream/append(contentsOf:)`` of an array) write what one
/// append per row writes, whatever the split into blocks.
@Suite struct BatchedAppendTests {
    /// Values of 0 to 40 bytes (across the dictionary hash's 8-byte words and its in-place
    /// comparison of up to 16 bytes) from a pool of 5,000, so the table grows several times, in
    /// blocks of random sizes between nulls: each row reads back as written, and the entries are
    /// the distinct values in order of first appearance.
    @Test func dictionaryBlocksReadBackInFirstAppearanceOrder() throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let pool: [[UInt8]] = (0..<5_000).map { index in
            let count = Int(rng.next() % 41)
            return (0..<count).map { offset in UInt8(ascii: "a") + UInt8((index &+ offset &* 7) % 26) }
        }
        let folder = try TemporaryFolder("batched-dictionary")
        let path = folder.file("d.col")
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamStringColumn("s", dictionary: .always)
        var expected: [String?] = []
        while expected.count < 40_000 {
            if rng.next() % 5 == 0 {
                let nulls = Int(rng.next() % 3) + 1
                try stream.appendNulls(nulls)
                expected += Array(repeating: nil, count: nulls)
                continue
            }
            var bytes: [UInt8] = []
            var ends: [Int] = []
            for _ in 0..<Int(rng.next() % 700) + 1 {
                // Skewed towards the pool's start, so values repeat.
                let value = pool[Int(rng.next() % UInt64(1 + rng.next() % 5_000))]
                bytes += value
                ends.append(bytes.count)
                expected.append(String(decoding: value, as: UTF8.self))
            }
            try stream.append(contentsOf: bytes.span, ends: ends.span)
        }
        try writer.finish()
        let column = try ColFileReader.open(path).dictionaryColumn("s")
        var order: [String: Int] = [:]
        for (row, value) in expected.enumerated() {
            #expect(column.string(at: row) == value, "row \(row), seed \(seed)")
            if let value {
                let first = order[value] ?? order.count
                order[value] = first
                #expect(column.index(at: row) == first, "row \(row), seed \(seed)")
            }
        }
    }

    /// Bool rows appended as arrays of every length from 0 to 20 between single rows and nulls
    /// (so blocks start at every bit of a byte) read back as written.
    @Test func boolArraysReadBackAsWritten() throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("batched-bool")
        let path = folder.file("b.col")
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamBoolColumn("b")
        var expected: [ExpectedValue] = []
        for round in 0..<2_000 {
            let values = (0..<(round % 21)).map { _ in rng.next() & 1 == 1 }
            try stream.append(contentsOf: values)
            expected += values.map(ExpectedValue.bool)
            switch rng.next() % 3 {
            case 0:
                try stream.append(nil)
                expected.append(.null)
            case 1:
                let value = rng.next() & 1 == 1
                try stream.append(value)
                expected.append(.bool(value))
            default: break
            }
        }
        try writer.finish()
        let read = try ExpectedFile(reading: ColFileReader.open(path)).columns[0].values
        #expect(read == expected, "seed \(seed)")
    }
}
