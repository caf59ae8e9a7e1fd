/// The two forms a Timestamp column's time zone may take (Specification.md §6.2): an offset
/// `+HH:MM` / `-HH:MM`, or a name in the style of the IANA database (`UTC`, `Europe/Paris`,
/// `Etc/GMT+5`). Readers check the form, not that the zone exists.
enum TimeZoneSyntax {
    /// Whether `text` (1 to 64 bytes, checked by the caller) has one of the two forms.
    static func isValid(_ text: ByteView) -> Bool {
        let bytes = text.array()
        return isOffset(bytes) || isName(bytes)
    }

    /// `±HH:MM` with HH 00–23 and MM 00–59.
    private static func isOffset(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
              bytes[3] == UInt8(ascii: ":"), let hours = twoDigits(bytes[1], bytes[2]),
              let minutes = twoDigits(bytes[4], bytes[5]) else { return false }
        return hours <= 23 && minutes <= 59
    }

    /// ASCII letters, digits and `/ _ + -`, starting with a letter, no empty part between
    /// slashes and no slash at the end.
    private static func isName(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, isLetter(first), bytes.last != UInt8(ascii: "/") else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            let allowed = isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-")
            guard allowed, !(byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/")) else { return false }
            previous = byte
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func twoDigits(_ high: UInt8, _ low: UInt8) -> Int? {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard digits.contains(high), digits.contains(low) else { return nil }
        return Int(high - UInt8(ascii: "0")) * 10 + Int(low - UInt8(ascii: "0"))
    }
}
