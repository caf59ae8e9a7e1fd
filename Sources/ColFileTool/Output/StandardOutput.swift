import Glibc

/// Buffered writes to standard output that end the process quietly (status 0) when the reader
/// of a pipe has gone, as in `colfile export big.col | head`.
///
/// `SIGPIPE` is ignored when the first writer is made, so a closed pipe shows up as `EPIPE`
/// from `write(2)` instead of killing the process.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    /// Prepares a writer; ignores `SIGPIPE` from now on.
    init() {
        signal(SIGPIPE, SIG_IGN)
        buffer.reserveCapacity(capacity)
    }

    deinit {
        try? flush()
    }

    /// Appends text.
    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends bytes.
    func write(bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes everything buffered to file descriptor 1, retrying `EINTR`.
    ///
    /// - Throws: ``ToolFailure/Kind/io`` when stdout cannot be written; exits with status 0
    ///   on `EPIPE`.
    func flush() throws {
        var written = 0
        while written < buffer.count {
            let result = unsafe buffer.withUnsafeBytes { raw in
                unsafe Glibc.write(1, raw.baseAddress! + written, raw.count - written)
            }
            if result >= 0 {
                written += result
                continue
            }
            let error = errno
            if error == EINTR { continue }
            buffer.removeAll(keepingCapacity: true)
            if error == EPIPE { exit(0) }
            throw ToolFailure.io("cannot write to standard output: \(unsafe String(cString: strerror(error)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
