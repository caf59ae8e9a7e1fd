import ColFileCSV
import Testing

/// The scanner's word-at-a-time byte search must find what a byte-by-byte search finds, for any
/// start, end and bytes, including the bytes that make its zero-byte trick borrow (0x00, 0x01,
/// 0x80 and up next to a match).
@Suite struct ByteSearchTests {
    private static let alphabet: [UInt8] = [0x00, 0x01, 0x02, 0x0A, 0x0B, 0x0D, 0x22, 0x2C, 0x3B, 0x61, 0x7F, 0x80, 0xAC, 0xFF]

    /// Random buffers from a small seeded generator (deterministic, no global state).
    private static func buffers() -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<300).map { _ in
            let sparse = next() % 2 == 0
            return (0..<Int(next() % 40)).map { _ in
                sparse && next() % 8 != 0 ? 0x61 : alphabet[Int(next() % UInt64(alphabet.count))]
            }
        }
    }

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), 0x01, 0x7F])
    func firstSeparatorMatchesByteByByte(delimiter: UInt8) {
        for bytes in Self.buffers() {
            unsafe bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let expected = (start..<end).first {
                            bytes[$0] == delimiter || bytes[$0] == 0x0A || bytes[$0] == 0x0D
                        } ?? end
                        let found = unsafe ByteSearch.firstSeparator(in: buffer, from: start, to: end,
                                                                     delimiter: ByteSearch.broadcast(delimiter))
                        #expect(found == expected, "\(bytes) \(start)..<\(end)")
                    }
                }
            }
        }
    }

    @Test(arguments: [UInt8(ascii: "\""), 0x00, 0x01, 0x80, 0xFF])
    func firstMatchesByteByByte(target: UInt8) {
        for bytes in Self.buffers() {
            unsafe bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let expected = (start..<end).first { bytes[$0] == target } ?? end
                        let found = unsafe ByteSearch.first(ByteSearch.broadcast(target), in: buffer, from: start, to: end)
                        #expect(found == expected, "\(bytes) \(start)..<\(end)")
                    }
                }
            }
        }
    }
}
