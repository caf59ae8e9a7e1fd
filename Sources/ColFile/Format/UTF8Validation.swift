/// UTF-8 validation without allocating, for String columns (Specification.md §6.1): checked once
/// per column before its first value is served, so ASCII text (the common case) is skipped 32
/// bytes at a time.
enum UTF8Validation {
    /// The index of the first byte of `bytes` that starts an invalid sequence, or nil when all are valid.
    static func firstInvalidByte(_ bytes: ByteView) -> Int? {
        var index = 0
        let count = bytes.count
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while index < count {
            // ASCII runs: four words at a time, then one.
            while index <= count - 32 {
                let word = bytes.load(UInt64.self, at: index) | bytes.load(UInt64.self, at: index + 8)
                    | bytes.load(UInt64.self, at: index + 16) | bytes.load(UInt64.self, at: index + 24)
                guard word & highBits == 0 else { break }
                index += 32
            }
            while index <= count - 8, bytes.load(UInt64.self, at: index) & highBits == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes.load(UInt8.self, at: index)
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minimumSecond: UInt8 = 0x80
            var maximumSecond: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; minimumSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; maximumSecond = 0x9F
            case 0xF0: length = 4; minimumSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; maximumSecond = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes.load(UInt8.self, at: index + 1)
            guard second >= minimumSecond, second <= maximumSecond else { return index }
            for next in 2..<length where bytes.load(UInt8.self, at: index + next) & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }

    /// Whether `byte` continues a multi-byte sequence (so no value may start at it).
    static func isContinuation(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }
}
