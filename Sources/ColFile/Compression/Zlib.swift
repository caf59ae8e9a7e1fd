import CZlib

/// zlib's one-shot `compress2` and `uncompress`, the codec of cold columns (Specification.md §13).
enum Zlib {
    /// The zlib stream (RFC 1950) of `source` at `level` (0–9).
    static func compress(_ source: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
        let bound = Int(compressBound(uLong(source.count)))
        var destination = [UInt8](repeating: 0, count: bound)
        var length = uLongf(bound)
        let status = unsafe destination.withUnsafeMutableBytes { target in
            unsafe compress2(target.baseAddress!.assumingMemoryBound(to: Bytef.self), &length,
                             source.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(source.count), level)
        }
        precondition(status == Z_OK, "compress2 failed with \(status) despite compressBound room")
        destination.removeSubrange(Int(length)...)
        return destination
    }

    /// Decodes `source` into exactly all of `destination`; never writes outside it.
    static func decode(_ source: ByteView, into destination: UnsafeMutableRawBufferPointer) throws(ChunkDecodeFailure) {
        var length = uLongf(destination.count)
        var sourceLength = uLong(source.count)
        let status = unsafe source.withUnsafeBytes { input in
            unsafe uncompress2(destination.baseAddress?.assumingMemoryBound(to: Bytef.self), &length,
                               input.baseAddress?.assumingMemoryBound(to: Bytef.self), &sourceLength)
        }
        switch status {
        case Z_OK:
            guard Int(length) == destination.count else { throw .tooShort(decoded: Int(length)) }
            // A chunk is exactly one zlib stream (Specification.md §13.2): nothing may follow it.
            guard Int(sourceLength) == source.count else { throw .strayBytes(count: source.count - Int(sourceLength)) }
        case Z_BUF_ERROR where Int(length) == destination.count && Int(sourceLength) < source.count:
            // The room is full and input is left: the stream goes on past the room. (With every
            // input byte consumed, the stream merely ended early, e.g. without its Adler-32
            // trailer: that is a truncated stream, below.)
            throw .tooLong
        default:
            throw .corrupt(reason: "zlib status \(status)")
        }
    }

    /// The zlib library's version, e.g. `1.2.13`.
    static var version: String { unsafe String(cString: zlibVersion()) }
}
