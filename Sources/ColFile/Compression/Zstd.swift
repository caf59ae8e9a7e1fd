import CColFile

/// zstd's one-shot compression and decompression (Specification.md §13, codec 2), from the system's
/// `libzstd.so.1` loaded at run time: the build needs no zstd headers, and a machine without the
/// library fails only on zstd columns, with ``ColFileError/Code/codecUnavailable``.
enum Zstd {
    /// Why zstd cannot be used in this process, or nil when it can (the library is loaded once).
    static var unavailability: String? {
        guard let reason = unsafe colfile_zstd_load() else { return nil }
        return unsafe String(cString: reason)
    }

    /// The library's version, e.g. `1.5.4`, or nil when it is not available.
    static var version: String? {
        guard unavailability == nil else { return nil }
        let number = colfile_zstd_version()
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }

    /// zstd's levels: 1 (fastest) to 22; negative levels trade ratio for speed further.
    static let levels = -7...22

    /// One zstd frame (RFC 8878) of `source` at `level`, recording its content size and its content
    /// checksum (as zlib's Adler-32, it lets a decode detect damaged bytes). Only call
    /// when ``unavailability`` is nil.
    static func compress(_ source: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
        let bound = colfile_zstd_compress_bound(source.count)
        var destination = [UInt8](repeating: 0, count: bound)
        let length = unsafe destination.withUnsafeMutableBytes { target in
            unsafe colfile_zstd_compress(target.baseAddress, bound, source.baseAddress, source.count, level)
        }
        precondition(colfile_zstd_is_error(length) == 0,
                     "zstd compression failed despite compressBound room: \(errorName(length))")
        destination.removeSubrange(length...)
        return destination
    }

    /// Decodes the one frame `source` must be into exactly all of `destination`; never writes
    /// outside it. Only call when ``unavailability`` is nil.
    static func decode(_ source: ByteView, into destination: UnsafeMutableRawBufferPointer) throws(ChunkDecodeFailure) {
        let (frameLength, contentSize) = unsafe source.withUnsafeBytes { input in
            unsafe (colfile_zstd_frame_compressed_size(input.baseAddress, input.count),
                    colfile_zstd_frame_content_size(input.baseAddress, input.count))
        }
        guard colfile_zstd_is_error(frameLength) == 0 else { throw .corrupt(reason: "zstd error '\(errorName(frameLength))'") }
        // A chunk is exactly one frame (§13.2): nothing may follow it.
        guard frameLength == source.count else { throw .strayBytes(count: source.count - frameLength) }
        // The frame must record its content size (≥ 2^64 - 2 means unknown or an error).
        guard contentSize < UInt64.max - 1 else {
            throw .corrupt(reason: "a zstd frame without its content size")
        }
        guard contentSize <= UInt64(destination.count) else { throw .tooLong }
        guard contentSize == UInt64(destination.count) else { throw .tooShort(decoded: Int(contentSize)) }
        let decoded = unsafe source.withUnsafeBytes { input in
            unsafe colfile_zstd_decompress(destination.baseAddress, destination.count, input.baseAddress, input.count)
        }
        guard colfile_zstd_is_error(decoded) == 0 else { throw .corrupt(reason: "zstd error '\(errorName(decoded))'") }
        guard decoded == destination.count else { throw .tooShort(decoded: decoded) }
    }

    /// zstd's name of the error `result` stands for.
    private static func errorName(_ result: Int) -> String {
        unsafe String(cString: colfile_zstd_error_name(result))
    }
}
