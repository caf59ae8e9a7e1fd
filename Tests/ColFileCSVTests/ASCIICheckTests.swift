@testable import ColFileCSV
import Testing

/// The record source's ASCII check (32 bytes, then 8, then 1 at a time) finds a byte of 0x80 or
/// more at every place of texts of every length up to 100 bytes, and passes texts without one.
@Suite struct ASCIICheckTests {
    @Test func everyNonASCIIByteIsFound() {
        for length in 0...100 {
            let text = (0..<length).map { UInt8(0x20 + $0 % 0x5F) }
            let passes = CSVRecordSource.isASCII(text.span)
            #expect(passes, "length \(length)")
            for place in 0..<length {
                for byte: UInt8 in [0x80, 0xC3, 0xFF] {
                    var bad = text
                    bad[place] = byte
                    let found = !CSVRecordSource.isASCII(bad.span)
                    #expect(found, "length \(length), byte \(byte) at \(place)")
                }
            }
        }
    }
}
