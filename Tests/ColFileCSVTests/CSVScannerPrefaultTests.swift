import ColFileCSV
import ColFileTestSupport
import SystemPackage
import Testing

/// The scanner populates the fresh storage a block of wide records was reserved
/// (`reserveCapacity(fields:textBytes:)` of 4 MiB or more) a buffer's worth ahead of the scan:
/// after one record is read, the text's pages through the buffered bytes (at most the text limit)
/// and the ends' through one end for every second buffered byte are resident, and none past
/// them. The storage is reserved above glibc's largest `mmap` threshold (32 MiB), so it is a
/// fresh mapping whatever the tests before freed.
@Suite(.enabled(if: ResidentPages.kernelPopulates, "the kernel has no MADV_POPULATE_WRITE (Linux 5.14+)"))
struct CSVScannerPrefaultTests {
    private static let page = ResidentPages.pageSize
    private static let reservedBytes = 40 << 20

    /// The pages of `array`'s storage resident, from its first page, among `pages`.
    private static func resident<Element>(_ array: [Element], pages: Int) -> [Int] {
        let resident = unsafe array.withUnsafeBytes { unsafe ResidentPages.indexes(from: $0.baseAddress!, pages: pages) }
        #expect(resident != nil, "mincore failed")
        return resident ?? []
    }

    /// One record of the files the tests read: 16 fields of 7 bytes, 128 bytes.
    private static let record = Array(((0..<16).map { _ in "1234567" }.joined(separator: ",") + "\n").utf8)

    /// Calls `body` with a scanner of a file of `fileBytes` bytes of ``record``s in `folder`, its
    /// storage reserved at ``reservedBytes``.
    private static func withReservedScanner(fileBytes: Int, in folder: TemporaryFolder,
                                            _ body: (CSVScanner) throws -> Void) throws {
        let path = folder.file("records.csv")
        let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        _ = try fd.writeAll(Array((0..<fileBytes / record.count).map { _ in record }.joined()))
        try fd.close()
        let input = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? input.close() }
        let scanner = CSVScanner(input: input, delimiter: UInt8(ascii: ","))
        scanner.reserveCapacity(fields: reservedBytes / 4, textBytes: reservedBytes)
        try body(scanner)
    }

    /// Reads one record of a 3 MiB file with a text limit of `textLimit`, into storage reserved at
    /// ``reservedBytes``; checks which pages of the text and ends are resident.
    @Test(arguments: [Int.max, 600 << 10])
    func freshStoragePopulatedAheadOfTheScan(textLimit: Int) throws {
        let folder = try TemporaryFolder("scanner-prefault")
        var text: [UInt8] = []
        var ends: [UInt32] = []
        try Self.withReservedScanner(fileBytes: 3 << 20, in: folder) { scanner throws in
            #expect(try scanner.nextRecords(1, stoppingAt: textLimit) == 1)
            text = scanner.text
            ends = scanner.fieldEnds
        }
        #expect(text.count == Self.record.count && ends.count == 16)

        // The text: the buffer's 1 MiB, or up to the limit, from the storage's start; the ends:
        // 512 Ki of them (2 MiB). The page holding the storage's start (where the allocator
        // keeps its header) and the one at each end of the range may or may not be resident.
        let textThrough = min(1 << 20, textLimit) / Self.page
        let textResident = Self.resident(text, pages: 1_024)
        #expect(Array(1..<textThrough).allSatisfy(textResident.contains), "text pages before \(textThrough)")
        #expect(textResident.allSatisfy { $0 <= textThrough }, "text pages after \(textThrough): \(textResident.last ?? 0)")
        let endsThrough = (2 << 20) / Self.page
        let endsResident = Self.resident(ends, pages: 1_024)
        #expect(Array(1..<endsThrough).allSatisfy(endsResident.contains), "end pages before \(endsThrough)")
        #expect(endsResident.allSatisfy { $0 <= endsThrough }, "end pages after \(endsThrough): \(endsResident.last ?? 0)")
    }

    /// Past the first 64 KiB of text, the ends populated ahead follow the fields a byte of text
    /// had (here one in 8, a quarter more): after 20,000 records (2.5 MiB of text, 1.2 MiB of
    /// ends) of a 4 MiB file, no end page past the first buffer's 2 MiB is resident (one end for
    /// every second byte would have populated 3 MiB by the third buffer).
    @Test func endsPopulatedAsTheTextsFieldsGo() throws {
        let folder = try TemporaryFolder("scanner-prefault-ratio")
        var ends: [UInt32] = []
        try Self.withReservedScanner(fileBytes: 4 << 20, in: folder) { scanner throws in
            #expect(try scanner.nextRecords(20_000, stoppingAt: .max) == 20_000)
            ends = scanner.fieldEnds
        }
        #expect(ends.count == 320_000)
        let endsThrough = (2 << 20) / Self.page
        let endsResident = Self.resident(ends, pages: 1_024)
        #expect(Array(1..<endsThrough).allSatisfy(endsResident.contains), "end pages before \(endsThrough)")
        #expect(endsResident.allSatisfy { $0 <= endsThrough }, "end pages after \(endsThrough): \(endsResident.last ?? 0)")
    }
}
