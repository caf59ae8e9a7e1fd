import ColFile
import ColFileTestSupport
import Testing

/// The sweeps of ``SweepTests`` over the cold-column seeds of the fuzz corpus
/// (`Fixtures/fuzz-corpus/`): every truncation, and every byte inverted, with and without the
/// checksums re-sealed. Each must be refused with a ``ColFileError``, or open, read and verify
/// without crashing; decoding runs in private memory. Under AddressSanitizer each sweep visits a
/// quarter of its positions (``SweepSample``).
@Suite struct ColdSweepTests {
    static let seeds = ["cold-int32", "cold-nullable", "cold-strings", "cold-tensor"]

    private func bytes(_ name: String) throws -> [UInt8] {
        try Files.read(RepositoryPaths.fixture("fuzz-corpus/\(name).col"))
    }

    @Test(arguments: seeds)
    func seedReadsAndVerifies(name: String) throws {
        #expect(exerciseFile(try bytes(name), name) == nil)
    }

    @Test(arguments: seeds)
    func everyTruncationIsRefused(name: String) throws {
        let bytes = try bytes(name)
        for length in SweepSample.positions(0..<bytes.count) {
            #expect(exerciseFile(Array(bytes.prefix(length)), "\(name) cut to \(length)")?.code == .truncated,
                    "\(name) cut to \(length) bytes")
        }
    }

    /// Every byte inverted, chunk indexes and zlib streams included: refused with a typed error
    /// or read cleanly (reserved bytes), never a crash.
    @Test(arguments: seeds)
    func everyInvertedByteIsHandled(name: String) throws {
        let bytes = try bytes(name)
        for offset in SweepSample.positions(bytes.indices) {
            var damaged = bytes
            damaged[offset] ^= 0xFF
            _ = exerciseFile(damaged, "\(name) byte \(offset)")
        }
    }

    /// Every directory byte inverted with the directory and header checksums re-sealed, so the
    /// structural checks behind them meet the damage.
    @Test(arguments: seeds)
    func everyResealedInvertedByteIsHandled(name: String) throws {
        let file = FileBytes(try bytes(name))
        for offset in SweepSample.positions(file.directoryOffset..<file.trailerOffset) {
            var damaged = file
            damaged.bytes[offset] ^= 0xFF
            damaged.resealDirectory()
            _ = exerciseFile(damaged.bytes, "\(name) byte \(offset)")
        }
    }
}
