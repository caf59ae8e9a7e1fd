@testable import ColFileCSV
import Testing

/// The timestamp reader's word-at-a-time check of its 19 fixed bytes must read what the
/// byte-at-a-time reader it replaced read, for valid timestamps and for every one- and two-byte
/// corruption of them: digits out of range, separators swapped, bytes whose added 6 carries
/// (0xFA and up), `t`/`T`/space between date and time, fractions and zones.
@Suite struct PlainTimestampTests {
    private static let replacements: [UInt8] = Array("0123456789-:/ tTzZ.,+".utf8) + [0x2F, 0x3A, 0x3F, 0xFA, 0xFF, 0x00]

    /// The reader before the word-at-a-time check, kept as the reference.
    private static func byteAtATime(_ bytes: Span<UInt8>) -> CSVTimestamp? {
        let count = bytes.count
        guard count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] | 0x20 == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = CSVValueParser.fixedDigits(bytes, 0, 4), let month = CSVValueParser.fixedDigits(bytes, 5, 2),
              let day = CSVValueParser.fixedDigits(bytes, 8, 2), let hour = CSVValueParser.fixedDigits(bytes, 11, 2),
              let minute = CSVValueParser.fixedDigits(bytes, 14, 2), let second = CSVValueParser.fixedDigits(bytes, 17, 2),
              month >= 1, month <= 12, day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var nanoseconds: Int64 = 0
        var digits = 0
        if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                digits += 1
                guard digits <= 9 else { return nil }
                nanoseconds = nanoseconds * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            guard digits > 0 else { return nil }
            let scale: [Int64] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1]
            nanoseconds *= scale[digits]
        }
        var zoned = false
        if index < count {
            guard bytes[index] | 0x20 == UInt8(ascii: "z"), index + 1 == count else { return nil }
            zoned = true
        }
        let days = CivilTime.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return CSVTimestamp(seconds: seconds, nanoseconds: nanoseconds, fractionDigits: digits, zoned: zoned)
    }

    private static func agree(_ text: [UInt8]) -> Bool {
        let span = text.span
        let new = CSVValueParser.plainTimestamp(span)
        let old = byteAtATime(span)
        return new?.seconds == old?.seconds && new?.nanoseconds == old?.nanoseconds
            && new?.fractionDigits == old?.fractionDigits && new?.zoned == old?.zoned
    }

    @Test(arguments: ["2024-01-02T03:04:05", "1999-12-31 23:59:59.5Z", "2000-02-29t00:00:00,123456789z",
                      "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999999999", "2023-02-28T12:30:45.12Z"])
    func everyCorruptionOfATimestampReadsAsBefore(valid: String) {
        let text = Array(valid.utf8)
        #expect(CSVValueParser.plainTimestamp(text.span) != nil, "\(valid) reads")
        #expect(Self.agree(text))
        var disagreements: [[UInt8]] = []
        for position in text.indices {
            for replacement in Self.replacements {
                var once = text
                once[position] = replacement
                if !Self.agree(once) { disagreements.append(once) }
                for second in Swift.stride(from: position + 1, to: text.count, by: 3) {
                    var twice = once
                    twice[second] = replacement
                    if !Self.agree(twice) { disagreements.append(twice) }
                }
            }
        }
        let differing = disagreements.count
        #expect(differing == 0, "\(differing) texts read differently, first \(disagreements.first ?? [])")
    }

    @Test func shortAndLongFieldsReadAsBefore() {
        let valid = Array("2024-01-02T03:04:05.123Z".utf8)
        for length in 0...valid.count {
            #expect(Self.agree(Array(valid[..<length])))
        }
        #expect(Self.agree(valid + Array("0".utf8)))
        #expect(Self.agree(Array("2024-01-02T03:04:05.1234567890".utf8)))
    }
}
