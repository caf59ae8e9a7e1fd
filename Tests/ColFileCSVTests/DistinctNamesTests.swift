import ColFileCSV
import Testing

/// The header check's table of names (`DistinctNames`) must find exactly the repeats a
/// `[String: Int]` finds: byte-equal ASCII names, and names equal only by Unicode canonical
/// equivalence (an ASCII letter and the Kelvin sign, a precomposed and a decomposed `é`), at
/// whatever place in the header, with the earlier name's index.
@Suite struct DistinctNamesTests {
    /// The first repeat in `names` as a dictionary finds it: (earlier, later) indices.
    private static func expected(_ names: [String]) -> (Int, Int)? {
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let earlier = seen.updateValue(index, forKey: name) { return (earlier, index) }
        }
        return nil
    }

    private static func found(_ names: [String]) -> (Int, Int)? {
        var table = DistinctNames(capacity: names.count)
        var noted: [String] = []
        for (index, name) in names.enumerated() {
            if let earlier = table.insert(name, at: index, of: noted) { return (earlier, index) }
            noted.append(name)
        }
        return nil
    }

    @Test func findsWhatADictionaryFinds() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let spellings = ["K", "\u{212A}", "é", "e\u{301}", "a", "b", "column_2", ""]
        for _ in 0..<2_000 {
            let count = 1 + next() % 40
            let names = (0..<count).map { _ in
                (0..<(1 + next() % 3)).map { _ in spellings[next() % spellings.count] }.joined() + "\(next() % 50)"
            }
            let want = Self.expected(names)
            let got = Self.found(names)
            #expect(want?.0 == got?.0 && want?.1 == got?.1, "\(names)")
        }
    }

    @Test func canonicallyEqualNamesAreRepeats() {
        #expect(Self.found(["x", "K", "y", "\u{212A}"])! == (1, 3))
        #expect(Self.found(["e\u{301}", "é"])! == (0, 1))
        #expect(Self.found(["a", "b", "a"])! == (0, 2))
        #expect(Self.found((0..<5_000).map { "c\($0)" }) == nil)
        #expect(Self.found((0..<5_000).map { "c\($0)" } + ["c4321"])! == (4_321, 5_000))
    }
}
