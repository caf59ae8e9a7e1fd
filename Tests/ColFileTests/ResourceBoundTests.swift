import ColFile
import ColFileTestSupport
import Testing

/// Hostile sizes (Specification.md §8): counts and lengths far beyond what the file holds must be
/// refused by a check before anything is allocated from them, never by running out of memory.
/// Each edit re-seals the checksums so the structural check, not a CRC-32, meets it.
@Suite struct ResourceBoundTests {
    /// `spec-example.col` with `edit` applied and the directory re-sealed.
    private func specExample(_ edit: (inout FileBytes) -> Void) throws -> [UInt8] {
        var file = FileBytes(try Files.read(GoldenFixtures.named("spec-example").path))
        edit(&file)
        file.resealDirectory()
        return file.bytes
    }

    /// The error of opening `bytes` and describing every column (a column record is checked on
    /// the column's first use, Specification.md §9), or nil.
    private func openError(_ bytes: [UInt8], options: ReaderOptions = ReaderOptions(coldColumns: .privateMemory))
        -> ColFileError? {
        do {
            _ = try ColFileReader.open(bytes: bytes, path: "h.col", options: options).columns
            return nil
        } catch {
            return error as? ColFileError
        }
    }

    @Test(arguments: [UInt32(1_000_001), UInt32(1) << 31, UInt32.max])
    func directoryClaimingTooManyColumnsIsRefused(count: UInt32) throws {
        let bytes = try specExample { $0.store(count, at: $0.directoryOffset + 4) }
        let error = openError(bytes)
        #expect(error?.code == .badDirectory)
        #expect(error?.description == "h.col: too many columns at offset 324 (expected at most 1000000, found \(count))")
    }

    /// At the limit, the records do not fit in the directory: refused before any per-column work.
    @Test func directoryClaimingTheMostColumnsIsRefusedByItsLength() throws {
        let bytes = try specExample { $0.store(UInt32(1_000_000), at: $0.directoryOffset + 4) }
        let error = openError(bytes)
        #expect(error?.code == .badDirectory)
        #expect(error?.description == "h.col: the column records lie outside the directory at offset 320 "
            + "(expected within bytes 64..<408, found offset 64 length 160000000)")
    }

    @Test(arguments: [UInt32(1025), UInt32(1) << 31, UInt32.max])
    func columnNameOfHostileLengthIsRefused(length: UInt32) throws {
        let bytes = try specExample { $0.store(length, at: $0.recordOffset(0) + 4) }
        let error = openError(bytes)
        #expect(error?.code == .badColumnName)
        #expect(error?.description
            == "h.col: column name length is out of range at offset 388 (expected 1 to 1024, found \(length))")
    }

    @Test(arguments: [UInt32(16 << 20) + 1, UInt32(1) << 31, UInt32.max])
    func fileMetadataOfHostileLengthIsRefused(length: UInt32) throws {
        let bytes = try specExample { $0.store(length, at: $0.directoryOffset + 40) }
        let error = openError(bytes)
        #expect(error?.code == .badMetadata)
    }

    @Test(arguments: [UInt32(1 << 20) + 1, UInt32(1) << 31, UInt32.max])
    func columnMetadataOfHostileLengthIsRefused(length: UInt32) throws {
        let bytes = try specExample { $0.store(length, at: $0.recordOffset(0) + 48) }
        let error = openError(bytes)
        #expect(error?.code == .badMetadata)
    }

    /// Row counts whose buffers would be 2^40 bytes or more: the buffer lengths do not match; row
    /// counts above the limit of 2^53 − 1 (whose buffers could overflow 64 bits) are refused first.
    @Test(arguments: [UInt64(1) << 38, UInt64(1) << 53, UInt64(1) << 62, UInt64.max])
    func hostileRowCountIsRefused(rows: UInt64) throws {
        let bytes = try specExample {
            $0.store(rows, at: $0.directoryOffset + 8)
            $0.store(rows, at: $0.recordOffset(0) + 16)
            $0.store(rows, at: $0.recordOffset(1) + 16)
        }
        let error = openError(bytes)
        #expect(error?.code == (rows < 1 << 53 ? .bufferLengthMismatch : .badDirectory), "\(String(describing: error))")
    }

    // MARK: - Cold columns

    /// A file with one cold Int64 column `n` of 20,000 rows in 4 KiB chunks (40 chunks).
    private func coldFile() throws -> FileBytes {
        let folder = try TemporaryFolder("bounds")
        let writer = try ColFileWriter(path: folder.file("c.col"))
        writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
        try writer.addColumn("n", (0..<20_000).map { Int64($0 % 100) })
        try writer.finish()
        return FileBytes(try Files.read(folder.file("c.col")))
    }

    /// A cold column claiming 2^40 decoded bytes (2^37 Int64 rows): its chunk index cannot
    /// describe them, checked on the column's first use.
    @Test func coldColumnClaiming2To40DecodedBytesIsRefusedOnFirstUse() throws {
        var file = try coldFile()
        let rows = UInt64(1) << 37
        file.store(rows, at: file.directoryOffset + 8)
        file.store(rows, at: file.recordOffset(0) + 16)
        file.store(rows * 8, at: file.descriptorOffset(column: 0, slot: 2) + 16)
        file.resealDirectory()
        let error = openError(file.bytes)
        #expect(error?.code == .badChunkIndex)
        #expect(error?.description
            == "h.col: column 'n': chunk count does not match the decoded length at offset 68 (expected 268435456, found 40)")

        // The chunk index (not covered by the directory checksum) agreeing: it cannot fit its buffer.
        let index = file.bufferOffset(column: 0, slot: 2)
        file.store(UInt32(1) << 28, at: index + 4)
        let indexError = openError(file.bytes)
        #expect(indexError?.code == .badChunkIndex)
        #expect(indexError?.description.contains("the chunk index runs past the end of its buffer") == true,
                "\(String(describing: indexError))")
    }

    /// A cold column larger than the reader's cap is refused by the cap when read whole; random
    /// access still works, one chunk at a time.
    @Test func coldColumnOverTheDecodeCapIsRefusedWhenReadWhole() throws {
        let file = try coldFile()
        let options = ReaderOptions(coldColumns: .privateMemory, maxDecodedBytes: 100_000)
        let reader = try ColFileReader.open(bytes: file.bytes, path: "c.col", options: options)
        let error = #expect(throws: ColFileError.self) { _ = try reader.column("n", as: Int64.self) }
        #expect(error?.code == .decodeLimitExceeded)
        #expect(error?.description == "c.col: column 'n': decoding the column needs more memory than allowed "
            + "(expected at most 100000 bytes, found 160000 bytes)")
        #expect(try reader.chunkedColumn("n").value(at: 19_999, as: Int64.self) == 99)
    }
}
