import ColFile
import ColFileTestSupport
import Testing

/// Damaged copies of golden files: every one must be refused with a ``ColFileError`` or, when the
/// damage is in bytes no check covers, open and then read and verify without crashing. Under
/// AddressSanitizer each sweep visits a quarter of its positions (``SweepSample``).
@Suite struct SweepTests {
    @Test(arguments: ["spec-example", "nulls", "no-columns", "cold"])
    func everyTruncationIsRefused(name: String) throws {
        let bytes = try Files.read(GoldenFixtures.named(name).path)
        for length in SweepSample.positions(0..<bytes.count) {
            let error = exerciseFile(Array(bytes.prefix(length)), "\(name) cut to \(length)")
            #expect(error?.code == .truncated, "\(name) cut to \(length) bytes")
        }
    }

    /// Without re-sealing, the CRC-32s catch every single-bit error in the header and directory.
    @Test(arguments: ["spec-example", "metadata", "nulls"])
    func everyBitFlipInHeaderOrDirectoryIsRefused(name: String) throws {
        let file = FileBytes(try Files.read(GoldenFixtures.named(name).path))
        for offset in SweepSample.positions(Array(0..<64) + Array(file.directoryOffset..<file.trailerOffset)) {
            for bit in 0..<8 {
                var bytes = file.bytes
                bytes[offset] ^= 1 << bit
                #expect(exerciseFile(bytes, "\(name) byte \(offset) bit \(bit)") != nil, "\(name) byte \(offset) bit \(bit)")
            }
        }
    }

    /// Every byte of the file inverted: refused, or (in column data) opened and read without crashing.
    @Test(arguments: ["spec-example", "tensor", "strings", "cold"])
    func everyInvertedByteIsHandled(name: String) throws {
        let bytes = try Files.read(GoldenFixtures.named(name).path)
        let file = FileBytes(bytes)
        for offset in SweepSample.positions(bytes.indices) {
            var damaged = bytes
            damaged[offset] ^= 0xFF
            let error = exerciseFile(damaged, "\(name) byte \(offset)")
            // Trailer bytes 20..<24 are reserved: readers ignore them (Specification.md §2, §4).
            if (file.trailerOffset + 20..<file.trailerOffset + 24).contains(offset) {
                #expect(error == nil, "\(name) byte \(offset)")
            } else if offset < 64 || offset >= file.directoryOffset {
                #expect(error != nil, "\(name) byte \(offset)")
            }
        }
    }

    /// Bit flips in the directory with the checksums recomputed, so the structural checks of
    /// Specification.md §9 (not the CRC-32s) meet them: each is refused with a typed error other
    /// than a checksum mismatch, or opens and reads cleanly.
    @Test(arguments: ["spec-example", "metadata", "tensor", "temporal", "binary", "bool"])
    func everyResealedDirectoryBitFlipIsHandled(name: String) throws {
        let file = FileBytes(try Files.read(GoldenFixtures.named(name).path))
        var refused = 0
        for offset in SweepSample.positions(file.directoryOffset..<file.trailerOffset) {
            for bit in 0..<8 {
                var damaged = file
                damaged.bytes[offset] ^= 1 << bit
                damaged.resealDirectory()
                let error = exerciseFile(damaged.bytes, "\(name) byte \(offset) bit \(bit)")
                if error != nil { refused += 1 }
                #expect(error?.code != .directoryChecksumMismatch && error?.code != .headerChecksumMismatch,
                        "\(name) byte \(offset) bit \(bit)")
            }
        }
        #expect(refused > 0, "\(name)")
    }

    /// Bit flips in header bytes 0–59 with the header CRC-32 recomputed.
    @Test(arguments: ["spec-example", "no-columns"])
    func everyResealedHeaderBitFlipIsHandled(name: String) throws {
        let file = FileBytes(try Files.read(GoldenFixtures.named(name).path))
        for offset in SweepSample.positions(0..<60) {
            for bit in 0..<8 {
                var damaged = file
                damaged.bytes[offset] ^= 1 << bit
                damaged.resealHeader()
                let error = exerciseFile(damaged.bytes, "\(name) byte \(offset) bit \(bit)")
                // The file id (24..<40), the minor version and the optional flags are free to change.
                let free = (24..<40).contains(offset) || (10..<12).contains(offset) || (20..<24).contains(offset)
                #expect((error == nil) == free, "\(name) byte \(offset) bit \(bit): \(error.map(\.description) ?? "opened")")
            }
        }
    }
}
