@testable import ColFile
import ColFileTestSupport
import Testing

/// A ``SpillFile`` keeps its staging buffer's capacity after writing out a full staging (up to
/// ``SpillFile/keptCapacity``), and its bytes read back the same across many write-outs.
struct SpillFileTests {
    /// Bytes from a seeded generator, so a failure can be replayed.
    private static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [false, true])
    func keepsCapacityAcrossFullWriteOuts(filling: Bool) throws {
        let folder = try TemporaryFolder("spill")
        let arena = try ScratchArena(folder: folder.path, path: folder.file("target.col"))
        let spill = SpillFile(arena: arena)
        let seed = TestSeed.value
        let expected = Self.bytes(count: 5 * SpillFile.stagingCapacity + 12_345, seed: seed)
        var wroteOut = false
        var offset = 0
        var chunk = 1
        while offset < expected.count {
            let count = min(chunk, expected.count - offset)
            try unsafe expected.withUnsafeBytes { all in
                let piece = unsafe UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)])
                if filling {
                    try unsafe spill.append(count: count) { unsafe $0.copyMemory(from: piece) }
                } else {
                    try unsafe spill.append(piece)
                }
            }
            offset += count
            chunk = chunk % 997 + 13
            if offset >= SpillFile.stagingCapacity, !wroteOut {
                // This append wrote the first full staging out.
                wroteOut = true
                #expect(spill.stagingRoom >= SpillFile.stagingCapacity, "seed \(seed)")
            }
        }
        // Four full write-outs later the staging still has its room: no regrowth from nothing.
        #expect(spill.stagingRoom >= SpillFile.stagingCapacity, "seed \(seed)")
        #expect(spill.stagingRoom <= SpillFile.keptCapacity, "seed \(seed)")
        #expect(spill.length == expected.count)
        #expect(spill.checksum == CRC32.checksum(expected), "seed \(seed)")
        var read = [UInt8](repeating: 0, count: expected.count)
        var at = 0
        while at < expected.count {
            let count = try unsafe read.withUnsafeMutableBytes { buffer in
                try unsafe spill.read(at: at, into: UnsafeMutableRawBufferPointer(rebasing: buffer[at...]))
            }
            #expect(count > 0)
            at += count
        }
        #expect(read == expected, "seed \(seed)")
    }

    @Test func releasesStagingGrownPastTheKeptCapacity() throws {
        let folder = try TemporaryFolder("spill")
        let arena = try ScratchArena(folder: folder.path, path: folder.file("target.col"))
        let spill = SpillFile(arena: arena)
        let large = Self.bytes(count: 2 * SpillFile.keptCapacity, seed: TestSeed.value)
        try unsafe large.withUnsafeBytes { try unsafe spill.append($0) }
        #expect(spill.length == large.count)
        #expect(spill.stagingRoom < SpillFile.stagingCapacity)
        #expect(spill.checksum == CRC32.checksum(large))
    }
}
