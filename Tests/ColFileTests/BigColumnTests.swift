import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// A 1 GiB Float64 column streamed in 1 Mi-value pieces, read back, spot-checked and summed.
/// Runs only with `COLFILE_BIG_TESTS=1` (it writes 2 GiB to the temporary folder).
///
/// Measured on the 2-core, 23 GiB development machine (debug build, 16.6 s): peak RSS (`VmHWM`)
/// 38.6 MiB (40,443,904 bytes) after writing; 1,080,832 kB for the whole process by
/// `/usr/bin/time -v`, reached while reading, because the mapped file's pages count as resident
/// while they are summed (they are the shared page cache, not private memory).
@Suite struct BigColumnTests {
    /// The process's peak resident set size in bytes, from `VmHWM` in `/proc/self/status`.
    private func peakResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_BIG_TESTS"] == "1"))
    func gigabyteStreamedColumnRoundTrips() throws {
        let piece = 1 << 20
        let pieces = 128
        let count = piece * pieces
        let folder = try TemporaryFolder("big")
        let path = folder.file("big.col")
        let writer = try ColFileWriter(path: path)
        let stream = try writer.streamColumn("x", of: Double.self)
        var values = [Double](repeating: 0, count: piece)
        for index in 0..<pieces {
            for offset in 0..<piece { values[offset] = Double(index * piece + offset) }
            try stream.append(contentsOf: values)
        }
        values = []
        try writer.finish()
        // Streaming keeps memory bounded: one piece and the writer's staging blocks, not the column.
        let peakAfterWriting = try peakResidentBytes()
        #expect(peakAfterWriting < 512 << 20, "peak RSS after writing: \(peakAfterWriting) bytes")

        let reader = try ColFileReader.open(path)
        let column = try reader.column("x", as: Double.self)
        #expect(column.count == count)
        #expect(reader.fileBytes > count * 8)
        for row in [0, 1, piece - 1, piece, count / 2 + 12_345, count - 1] {
            #expect(column[row] == Double(row), "row \(row)")
        }
        // Every partial sum is an integer below 2^53, so the sum is exact in any order.
        #expect(column.sum() == Double(count) * Double(count - 1) / 2)
        try reader.verify()
        let peakAfterReading = try peakResidentBytes()
        #expect(peakAfterReading >= peakAfterWriting, "peak RSS after reading: \(peakAfterReading) bytes")
    }
}
