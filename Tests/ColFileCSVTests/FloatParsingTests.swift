import ColFile
import ColFileCSV
import ColFileTestSupport
import Foundation
import Testing

/// The import's float parser reads most decimals without `strtod` (Clinger's fast path); it must
/// give exactly what `strtod` gives, bit for bit, for every input.
@Suite struct FloatParsingTests {
    private static func parsed(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return CSVValueParser.float(bytes.span, strict: false)
    }

    private static func reference(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    @Test(arguments: [
        "0", "-0", "0.0", "-0.0", "1", "-1", "135.2299", "0.1", "0.3", "1e22", "1e23", "9007199254740992",
        "9007199254740993", "123456789012345678", "1234567890123456789012", "0.000001", "1e-22", "1e-23",
        "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "12345.678e-3", "-98765.4321E+5",
        "00012.5", ".5", "5.", "+7.25", "0.1e1", "123456789.123456789",
    ])
    func edgeCasesMatchStrtod(text: String) {
        let value = Self.parsed(text)
        let expected = Self.reference(text)
        #expect(value?.bitPattern == expected?.bitPattern, "\(text): \(String(describing: value)) vs \(String(describing: expected))")
    }

    /// 200,000 random decimals of up to 19 significant digits and exponents around the fast
    /// path's limits, from a fixed seed.
    @Test func randomDecimalsMatchStrtod() {
        var generator = SplitMix64(seed: 20_261_125)
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let digits = Int(generator.next() % 19) + 1
            var text = generator.next() % 2 == 0 ? "-" : ""
            let point = Int(generator.next() % UInt64(digits + 1))
            for index in 0..<digits {
                if index == point, index > 0 { text += "." }
                text += String(generator.next() % 10)
            }
            if generator.next() % 3 == 0 { text += "e\(Int(generator.next() % 61) - 30)" }
            let value = Self.parsed(text)
            let expected = Self.reference(text)
            if value?.bitPattern != expected?.bitPattern, expected != 0 || value != nil { mismatches.append(text) }
        }
        let count = mismatches.count
        #expect(count == 0, "first mismatches: \(Array(mismatches.prefix(10)))")
    }

    /// Type inference reads a plain decimal (`[-+]digits.digits`, no exponent) in the same pass
    /// that tells it from an integer or a date, with its own copy of the fast path: 20,000 random
    /// ones of 1–19 digits (`.5`, `5.` and `0.x` forms included), imported from a CSV from a fixed
    /// seed, must read back exactly as `strtod` reads them.
    @Test func importedPlainDecimalsMatchStrtod() throws {
        var generator = SplitMix64(seed: 20_261_130)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = Int(generator.next() % 19) + 1
            let integerDigits = Int(generator.next() % UInt64(digits + 1))
            var text = ["", "-", "+"][Int(generator.next() % 3)]
            for index in 0..<integerDigits {
                // No redundant leading zero: "0" alone, or a first digit from 1 to 9.
                text += String(index == 0 && integerDigits > 1 ? generator.next() % 9 + 1 : generator.next() % 10)
            }
            text += "."
            for _ in integerDigits..<digits { text += String(generator.next() % 10) }
            texts.append(text)
        }
        let folder = try TemporaryFolder("csv-plain-decimals")
        let input = folder.file("decimals.csv")
        try Files.write(Array(("value\n" + texts.joined(separator: "\n") + "\n").utf8), to: input)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.columns.map(\.type) == [.float64])
        let values = Array(try ColFileReader.open(folder.file("out.col")).column("value", as: Double.self))
        let mismatches = zip(texts, values).filter { text, value in Self.reference(text).map(\.bitPattern) != value?.bitPattern }
        #expect(values.count == texts.count && mismatches.isEmpty, "first mismatches: \(Array(mismatches.prefix(10)))")
    }
}
