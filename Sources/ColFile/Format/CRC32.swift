import CColFile
import CZlib
import Dispatch

/// CRC-32/ISO-HDLC (zlib's and PNG's), the checksum of every colfile structure (Specification.md §2).
enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    ///
    /// Folds with carry-less multiplication where the CPU has it (`colfile_crc32`: 256-bit lanes
    /// about 3.3 times as fast as zlib's `crc32_z`, which it uses elsewhere, 128-bit lanes 1.7
    /// times; BENCHMARKS.md): the writer computes this over every byte it writes, and an attach
    /// over the whole directory.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, unsafe !bytes.isEmpty else { return crc }
        return unsafe colfile_crc32(crc, base, bytes.count)
    }

    /// The CRC-32 of `bytes`, computed in pieces on every core and combined (`crc32_combine`):
    /// for checking large decoded columns, where one core's speed would still dominate attach time.
    static func parallelChecksum(_ view: ByteView) -> UInt32 {
        let piece = 8 << 20
        let pieces = (view.count + piece - 1) / piece
        guard pieces > 1 else { return view.crc32() }
        let results = Locked<[UInt32]>(Array(repeating: 0, count: pieces))
        DispatchQueue.concurrentPerform(iterations: pieces) { index in
            let start = index * piece
            let crc = view.slice(offset: start, length: min(piece, view.count - start)).crc32()
            results.withLock { $0[index] = crc }
        }
        return combine(results.withLock { $0 }, pieceLength: piece, totalLength: view.count)
    }

    /// The CRC-32 of `totalLength` bytes from the CRC-32s of their consecutive pieces, each
    /// `pieceLength` bytes but the last (`crc32_combine`).
    static func combine(_ checksums: [UInt32], pieceLength: Int, totalLength: Int) -> UInt32 {
        guard var combined = checksums.first else { return 0 }
        for index in checksums.indices.dropFirst() {
            let length = min(pieceLength, totalLength - index * pieceLength)
            combined = UInt32(truncatingIfNeeded: crc32_combine(uLong(combined), uLong(checksums[index]), off_t(length)))
        }
        return combined
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        unsafe bytes.withUnsafeBytes { unsafe checksum($0, continuing: crc) }
    }
}
