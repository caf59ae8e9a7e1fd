import ColFileCSV
import Testing

/// Inference's word-at-a-time check for a plain integer must answer what the digit-by-digit
/// reader answers, for every field of random text: digits, signs, leading zeros, the bytes next
/// to the digits (`/` and `:`), bytes whose added 6 carries (0xFA and up), at every start and
/// end, including fields that end less than a word before the end of the text.
@Suite struct PlainIntegerTests {
    private static let alphabet: [UInt8] = Array("0123456789".utf8) + Array("00-+/: ,a".utf8) + [0x2A, 0x3A, 0x3F, 0xFA, 0xFF]

    /// Random texts from a small seeded generator (deterministic, no global state).
    private static func texts() -> [[UInt8]] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<400).map { _ in
            let digitsOnly = next() % 2 == 0
            return (0..<Int(next() % 24)).map { _ in
                let pick = Int(next() % UInt64(digitsOnly && next() % 6 != 0 ? 10 : alphabet.count))
                return alphabet[pick]
            }
        }
    }

    @Test func wordCheckMatchesDigitByDigit() {
        for text in Self.texts() {
            let span = text.span
            for start in 0...text.count {
                for end in start...text.count {
                    let expected = CSVValueParser.plainInteger(span.extracting(start..<end)) != nil
                    #expect(CSVValueParser.isPlainInteger(in: span, at: start..<end) == expected,
                            "field \(Array(text[start..<end])) of \(text)")
                }
            }
        }
    }
}
