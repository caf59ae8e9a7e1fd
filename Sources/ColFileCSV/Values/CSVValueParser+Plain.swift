/// Fixed-layout readers for the importer's typed loop: each takes the common spelling of a
/// value at fixed places and gives what ``CSVValueParser/classify(_:)`` would read from it,
/// without a token; any other field gives nil and goes the long way.
extension CSVValueParser {
    /// The value of a field that ``classify(_:)`` reads as `.bool(value)`: `true` or `false` in
    /// any letter case (exactly what ``bool(_:)`` takes), compared in place.
    @inline(__always)
    static func plainBool(_ bytes: Span<UInt8>) -> Bool? {
        switch bytes.count {
        case 4:
            guard bytes[0] | 0x20 == UInt8(ascii: "t"), bytes[1] | 0x20 == UInt8(ascii: "r"),
                  bytes[2] | 0x20 == UInt8(ascii: "u"), bytes[3] | 0x20 == UInt8(ascii: "e") else { return nil }
            return true
        case 5:
            guard bytes[0] | 0x20 == UInt8(ascii: "f"), bytes[1] | 0x20 == UInt8(ascii: "a"),
                  bytes[2] | 0x20 == UInt8(ascii: "l"), bytes[3] | 0x20 == UInt8(ascii: "s"),
                  bytes[4] | 0x20 == UInt8(ascii: "e") else { return nil }
            return false
        default:
            return nil
        }
    }

    /// Whether the field at `range` of `text` is one that ``plainInteger(_:)`` reads (exactly
    /// `plainInteger(text.extracting(range)) != nil`), for inference, which needs no value: a
    /// field of up to 8 digits after its sign is checked in one 8-byte word of `text` (the
    /// bytes past the field masked off), not a digit at a time, whose loop's exit at a length
    /// that varies from field to field is a mispredicted branch each (a sample pass over 50,000
    /// columns infers from 800,000 fields).
    @inline(__always)
    package static func isPlainInteger(in text: Span<UInt8>, at range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let signed = text[range.lowerBound] == UInt8(ascii: "-") || text[range.lowerBound] == UInt8(ascii: "+")
        let digitsStart = range.lowerBound + (signed ? 1 : 0)
        let digits = range.upperBound - digitsStart
        guard digits >= 1, digits <= 8, digitsStart + 8 <= text.count else {
            return plainInteger(text.extracting(range)) != nil
        }
        // Bytes in memory order from the low end; `mask` keeps the field's `digits` bytes.
        let word = UInt64(littleEndian: unsafe text.bytes.unsafeLoadUnaligned(fromByteOffset: digitsStart, as: UInt64.self))
        let mask = ~UInt64(0) >> (64 - 8 * digits)
        let threes: UInt64 = 0x3030_3030_3030_3030 & mask
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0 & mask
        // A digit is 0x30...0x39: its high nibble is 3, and stays 3 when 6 is added to it (a
        // byte that carries into the next one fails the first test itself).
        let isDigits = word & highNibbles == threes && (word &+ 0x0606_0606_0606_0606) & highNibbles == threes
        // No redundant leading zero (8 digits are at most 99,999,999: within 2⁵³).
        return isDigits && (digits == 1 || word & 0xFF != UInt64(UInt8(ascii: "0")))
    }

    /// The instant of a field that ``classify(_:)`` reads as `.timestamp(instant)`, for the
    /// common layout `YYYY-MM-DD[T t space]HH:MM:SS[.fraction][Z z]` (a four-digit year, a
    /// fraction of 1 to 9 digits after `.` or `,`), read at fixed places; nil for every other
    /// field (a zone offset, no seconds, an expanded year), which `classify` then reads.
    @inline(__always)
    static func plainTimestamp(_ bytes: Span<UInt8>) -> CSVTimestamp? {
        let count = bytes.count
        guard count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] | 0x20 == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = fixedDigits(bytes, 0, 4), let month = fixedDigits(bytes, 5, 2),
              let day = fixedDigits(bytes, 8, 2), let hour = fixedDigits(bytes, 11, 2),
              let minute = fixedDigits(bytes, 14, 2), let second = fixedDigits(bytes, 17, 2),
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
            nanoseconds *= Self.nanosecondScale[digits]
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

    /// What a fraction of `i` digits is multiplied by to give nanoseconds.
    private static let nanosecondScale: [Int64] = [
        1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1,
    ]

    /// The `count` decimal digits at `start` (the caller checked that they are within the field), or nil.
    @inline(__always)
    static func fixedDigits(_ bytes: Span<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
