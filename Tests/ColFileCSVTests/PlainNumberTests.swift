@testable import ColFileCSV
import Testing

/// The word-at-a-time readers of short integers and decimals (fields of up to 8 bytes) must read
/// what the byte-at-a-time readers they stand in front of read, for every field of random text
/// (digits, points, signs, leading zeros, the bytes next to the digits, bytes whose added 6
/// carries) and for every one- and two-byte corruption of some plain numbers.
@Suite struct PlainNumberTests {
    private static let alphabet: [UInt8] = Array("0123456789".utf8) + Array("00..-+/: e".utf8) + [0x2A, 0x2F, 0x3A, 0xAE, 0xFA, 0xFF, 0x00]

    /// ``CSVValueParser/plainInteger(_:)`` before its short-field path, kept as the reference.
    private static func integerByteAtATime(_ bytes: Span<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        let signed = bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+")
        let digitsStart = signed ? 1 : 0
        let digits = bytes.count - digitsStart
        guard digits >= 1, digits <= 18, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        var magnitude: Int64 = 0
        for index in digitsStart..<bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ Int64(digit)
        }
        guard magnitude <= 1 << 53 else { return nil }
        return bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// ``CSVValueParser/plainNumber(_:)`` before its short-field path, kept as the reference.
    private static func numberByteAtATime(_ bytes: Span<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        let digitsStart = bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") ? 1 : 0
        var point = digitsStart
        var integerPart: Int64 = 0
        while point < bytes.count {
            let digit = bytes[point] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            integerPart = integerPart &* 10 &+ Int64(digit)
            point += 1
        }
        if point == bytes.count { return integerByteAtATime(bytes).map(Double.init) }
        let integerDigits = point - digitsStart
        guard bytes[point] == UInt8(ascii: "."), integerDigits <= 15,
              integerDigits <= 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        var significand = UInt64(integerPart)
        var index = point + 1
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10, integerDigits + (index - point) <= 19 else { return nil }
            significand = significand * 10 + UInt64(digit)
            index += 1
        }
        let fractionDigits = index - point - 1
        guard integerDigits + fractionDigits > 0, significand <= 1 << 53 else { return nil }
        let magnitude = Double(significand) / CSVValueParser.powersOfTen[fractionDigits]
        return bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// Whether both readers agree on `text` (doubles compared by their bits: -0.0 is not 0.0).
    private static func agree(_ text: [UInt8]) -> Bool {
        let span = text.span
        return CSVValueParser.plainInteger(span) == integerByteAtATime(span)
            && CSVValueParser.plainNumber(span)?.bitPattern == numberByteAtATime(span)?.bitPattern
    }

    /// Random texts from a small seeded generator (deterministic, no global state).
    private static func texts() -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<3000).map { _ in
            let mostlyDigits = next() % 2 == 0
            return (0..<Int(next() % 11)).map { _ in
                let pick = Int(next() % UInt64(mostlyDigits && next() % 5 != 0 ? 10 : alphabet.count))
                return alphabet[pick]
            }
        }
    }

    @Test func randomFieldsReadAsBefore() {
        var differing: [[UInt8]] = []
        for text in Self.texts() {
            for start in 0...text.count {
                for end in start...text.count where !Self.agree(Array(text[start..<end])) {
                    differing.append(Array(text[start..<end]))
                }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) fields read differently, first \(differing.first ?? [])")
    }

    @Test(arguments: ["0", "7", "42", "135", "9999", "10000", "599999", "12345678", "99999999",
                      "0.5", ".5", "5.", "1.25", "94.7657", "135.2299", "0.000001", "1234567.", ".1234567", "00.1"])
    func everyCorruptionReadsAsBefore(valid: String) {
        let text = Array(valid.utf8)
        #expect(CSVValueParser.plainNumber(text.span) != nil || valid == "00.1", "\(valid) reads")
        var differing: [[UInt8]] = []
        for position in text.indices {
            for replacement in Self.alphabet {
                var once = text
                once[position] = replacement
                if !Self.agree(once) { differing.append(once) }
                for second in (position + 1)..<text.count {
                    var twice = once
                    twice[second] = replacement
                    if !Self.agree(twice) { differing.append(twice) }
                }
            }
        }
        #expect(Self.agree(text))
        #expect(differing.isEmpty, "\(differing.count) fields read differently, first \(differing.first ?? [])")
    }

    @Test func shortNumbersHaveTheirValues() {
        #expect(CSVValueParser.plainInteger(Array("12345678".utf8).span) == 12_345_678)
        #expect(CSVValueParser.plainInteger(Array("7".utf8).span) == 7)
        #expect(CSVValueParser.plainInteger(Array("07".utf8).span) == nil)
        #expect(CSVValueParser.plainNumber(Array("135.2299".utf8).span) == 135.2299)
        #expect(CSVValueParser.plainNumber(Array("94.7657".utf8).span) == 94.7657)
        #expect(CSVValueParser.plainNumber(Array(".5".utf8).span) == 0.5)
        #expect(CSVValueParser.plainNumber(Array("5.".utf8).span) == 5)
        #expect(CSVValueParser.plainNumber(Array("1.2.3".utf8).span) == nil)
    }
}
