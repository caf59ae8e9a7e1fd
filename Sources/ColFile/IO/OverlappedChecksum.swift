import Dispatch

/// The CRC-32 of a large buffer, computed on another thread while the caller writes the same
/// bytes out: the writer's checksum then costs no time beside the copy into the page cache
/// (BENCHMARKS.md, "Writing at the page cache's speed").
///
/// The buffer is checksummed in ``piece``-sized pieces that either thread may claim: a worker
/// thread starts on them at once, and ``finish()`` has the caller claim whatever is left, so on a
/// machine with no idle core (or a worker that starts late) it costs no more than checksumming in
/// line. The pieces' checksums are combined with `crc32_combine`.
@safe
final class OverlappedChecksum: @unchecked Sendable {
    /// The bytes a piece covers, the last one excepted.
    static let piece = 8 << 20

    private struct Progress {
        /// The first piece nobody has claimed yet.
        var next = 0
        /// Pieces whose checksum is in `checksums`.
        var done = 0
        var checksums: [UInt32]
    }

    private let bytes: ByteView
    private let pieces: Int
    /// Claims and results; `bytes` is read only by the holder of a claimed piece.
    private let progress: Locked<Progress>
    /// Signalled once, by whichever thread completes the last piece.
    private let allDone = DispatchSemaphore(value: 0)
    private var isFinished = false

    /// Starts checksumming `bytes` on another thread.
    ///
    /// The caller keeps `bytes` alive and unchanged until ``finish()`` returns, and must call it
    /// (also when the write it overlaps fails): no thread reads `bytes` after that.
    @unsafe init(_ bytes: UnsafeRawBufferPointer) {
        unsafe self.bytes = ByteView(bytes)
        pieces = max(1, (bytes.count + Self.piece - 1) / Self.piece)
        progress = Locked(Progress(checksums: Array(repeating: 0, count: pieces)))
        if Machine.cores > 1 {
            DispatchQueue.global(qos: .userInitiated).async { [self] in work() }
        }
    }

    /// Checksums what no thread has claimed yet, waits for the pieces the worker holds, and
    /// returns the CRC-32 of all the bytes.
    func finish() -> UInt32 {
        precondition(!isFinished, "OverlappedChecksum.finish() called twice")
        isFinished = true
        work()
        allDone.wait()
        let checksums = progress.withLock { $0.checksums }
        return CRC32.combine(checksums, pieceLength: Self.piece, totalLength: bytes.count)
    }

    /// Claims pieces one at a time until none is left.
    private func work() {
        while true {
            let claimed: Int? = progress.withLock { state in
                guard state.next < pieces else { return nil }
                state.next += 1
                return state.next - 1
            }
            guard let index = claimed else { return }
            let start = index * Self.piece
            let checksum = bytes.slice(offset: start, length: min(Self.piece, bytes.count - start)).crc32()
            let isLast = progress.withLock { state in
                state.checksums[index] = checksum
                state.done += 1
                return state.done == pieces
            }
            if isLast { allDone.signal() }
        }
    }
}
