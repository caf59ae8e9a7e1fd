import ColFile
import ColFileTestSupport
import Testing

/// The writer's CRC-32s (carry-less multiplication folding where the CPU has it, Format/CRC32.swift)
/// agree with the bit-by-bit reference of the test support, for lengths around the folding's
/// 16-, 64- and 256-byte steps, for buffers written through the staging buffer and straight from
/// the caller's memory (from 16 MiB on, checksummed in 8 MiB pieces on two threads and combined,
/// `OverlappedChecksum`), and for sources at every alignment, in files flushed to disk (whose large
/// buffers go to the disk in 32 MiB ranges as they are written) and files that are not.
@Suite struct WriterChecksumTests {
    static let lengths = [1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1_000, 4_099,
                          (4 << 20) + 13, (9 << 20) + 7, 16 << 20, (17 << 20) + 5, (33 << 20) + 3]

    @Test(arguments: lengths, [false, true])
    func bufferChecksumsMatchTheReference(length: Int, durable: Bool) throws {
        let seed = TestSeed.value ^ UInt64(length)
        var random = SplitMix64(seed: seed)
        let source = random.bytes(length + 15)
        let shift = Int(random.next() % 16)
        let folder = try TemporaryFolder("checksum")
        let path = folder.file("c.col")
        let writer = try ColFileWriter(path: path, options: ColFileWriter.Options(syncsToDisk: durable))
        try writer.addColumn("b", source.span.extracting(shift..<(shift + length)))
        try writer.finish()
        let written = FileBytes(try Files.read(path))
        var resealed = written
        resealed.resealBuffer(column: 0, slot: 2)
        #expect(resealed == written, "length \(length), durable \(durable), source offset \(shift), seed \(seed)")
    }
}
