import ColFile
import ColFileTestSupport
import Testing

/// The writer's name index (Specification.md §5.3) sorts the names by their bytes, comparing
/// their first 8 bytes as one number first: names that share 8 or more bytes, names that are
/// prefixes of others, names holding NUL or bytes of 0x80 and up must come out in the bytes'
/// order, which the reader checks for every name (`columnNames`) and every lookup relies on.
@Suite struct NameIndexOrderTests {
    /// Random names over a small alphabet (NUL, `a`, `b`, `é`'s bytes, 0xFF is not UTF-8 so not
    /// used) of 1 to 20 bytes, many sharing long prefixes.
    private static func names(count: Int, using rng: inout SplitMix64) -> [String] {
        let pieces = ["\u{0}", "a", "b", "é", "ab", "abcdefgh", "日"]
        var names = Set<String>()
        while names.count < count {
            var name = ""
            for _ in 0..<(1 + Int(rng.next() % 6)) { name += pieces[Int(rng.next() % UInt64(pieces.count))] }
            names.insert(name)
        }
        return names.shuffled(using: &rng)
    }

    @Test func namesAreIndexedInTheirBytesOrder() throws {
        let seed = TestSeed.value
        var rng = SplitMix64(seed: seed)
        let folder = try TemporaryFolder("name-index-order")
        for round in 0..<4 {
            let names = Self.names(count: [3, 40, 300, 1_500][round], using: &rng)
            let path = folder.file("\(round).col")
            let writer = try ColFileWriter(path: path)
            for (index, name) in names.enumerated() { try writer.addColumn(name, [Int64(index)]) }
            try writer.finish()
            let reader = try ColFileReader.open(path)
            #expect(try reader.columnNames == names, "seed \(seed) round \(round)")
            for (index, name) in names.enumerated() {
                #expect(try reader.column(name, as: Int64.self).value(at: 0) == Int64(index),
                        "seed \(seed) round \(round) name \(Array(name.utf8))")
            }
        }
    }
}
