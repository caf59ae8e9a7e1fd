import CColFile
import CZlib
import ColFile
import ColFileTestSupport
import Testing

/// Each way `colfile_crc32` computes a CRC-32 that this CPU has (zlib, 128-bit and 256-bit
/// carry-less multiplication folding, `Sources/CColFile/crc32.c`) agrees with zlib's `crc32_z`: for
/// every length to 1,100 (around every step of both foldings: 16, 64 and 256 bytes) at 32
/// alignments, from random initial states, for large lengths, and continued from a piece's CRC.
@Suite struct CRC32WayTests {
    /// The ways to check: every one up to the best this CPU has.
    static let ways = Array(0...colfile_crc32_best_way())

    /// `count` bytes from a seeded generator, so a failure can be replayed.
    private static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return random.bytes(count)
    }

    /// zlib's CRC-32 of `length` bytes of `bytes` from `offset`, continuing from `crc`.
    private static func reference(_ bytes: UnsafeRawBufferPointer, offset: Int, length: Int, crc: UInt32) -> UInt32 {
        let start = unsafe bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self)
        return UInt32(truncatingIfNeeded: unsafe crc32_z(uLong(crc), start, length))
    }

    @Test(arguments: ways)
    func everyShortLengthAtEveryAlignmentMatchesZlib(way: Int32) {
        let seed = TestSeed.value ^ UInt64(way)
        let source = Self.bytes(count: 1_100 + 32, seed: seed)
        var random = SplitMix64(seed: seed)
        unsafe source.withUnsafeBytes { buffer in
            for length in 0..<1_100 {
                for offset in 0..<32 {
                    let initial = UInt32(truncatingIfNeeded: random.next())
                    let start = unsafe buffer.baseAddress!.advanced(by: offset)
                    let crc = unsafe colfile_crc32_by(initial, start, length, way)
                    let expected = unsafe Self.reference(buffer, offset: offset, length: length, crc: initial)
                    #expect(crc == expected, "way \(way), length \(length), offset \(offset), seed \(seed)")
                }
            }
        }
    }

    @Test(arguments: ways)
    func largeLengthsAndContinuedPiecesMatchZlib(way: Int32) {
        let seed = TestSeed.value ^ 0x5eed ^ UInt64(way)
        let source = Self.bytes(count: (3 << 20) + 64, seed: seed)
        unsafe source.withUnsafeBytes { buffer in
            for length in [4_096, 65_536 + 13, (1 << 20) + 255, (3 << 20) + 17] {
                let start = unsafe buffer.baseAddress!.advanced(by: 7)
                let whole = unsafe colfile_crc32_by(0, start, length, way)
                let expected = unsafe Self.reference(buffer, offset: 7, length: length, crc: 0)
                #expect(whole == expected, "way \(way), length \(length), seed \(seed)")
                let split = length / 3 + 5
                let first = unsafe colfile_crc32_by(0, start, split, way)
                let continued = unsafe colfile_crc32_by(first, start.advanced(by: split), length - split, way)
                #expect(continued == whole, "way \(way), length \(length) split at \(split), seed \(seed)")
            }
        }
    }
}
