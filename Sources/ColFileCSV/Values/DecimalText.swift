/// Decimal digits appended to UTF-8 text without making a `String` (the CSV and JSON text of
/// integers, dates and timestamps).
package enum DecimalText {
    /// Appends the decimal digits of `value`, zero-padded to at least `minimumDigits`.
    package static func append(_ value: UInt64, minimumDigits: Int = 1, to text: inout [UInt8]) {
        var count = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            count += 1
        }
        text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(count, minimumDigits)))
        var rest = value
        var index = text.count - 1
        while rest > 0 {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
