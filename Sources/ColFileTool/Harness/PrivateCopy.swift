import ColFile
import SystemPackage

extension ColFileReader {
    /// Reads the whole file at `path` into this process's own memory and validates it, as
    /// ``ColFileReader/open(_:options:)`` does for a mapping: the baseline that `colfile harness
    /// --mode copy` compares sharing against (each process holding its own copy, as `read()` into a
    /// buffer does). The reader never looks at the file again, so `fileHasBeenReplaced()` is false.
    ///
    /// The bytes are read with `pread` into an array, which the reader copies into memory of its
    /// own (aligned as a mapping is) before the array is freed.
    ///
    /// - Throws: ``ColFileError/Code/io`` when the file cannot be opened or read, or the code of the
    ///   first check of Specification.md §9 the file fails.
    static func openPrivateCopy(_ path: String, options: ReaderOptions) throws -> ColFileReader {
        let fd = try openForReading(path)
        let bytes = try fd.closeAfter {
            do {
                let size = try Int(fd.seek(offset: 0, from: .end))
                return try unsafe [UInt8](unsafeUninitializedCapacity: size) { memory, count in
                    while count < size {
                        let read = try unsafe fd.read(fromAbsoluteOffset: Int64(count),
                                                      into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: memory[count...])),
                                                      retryOnInterrupt: true)
                        guard read > 0 else { throw Errno.ioError }
                        count += read
                    }
                }
            } catch {
                throw ColFileError(.io, path: path, message: "cannot read the file into memory",
                                   errno: error as? Errno ?? .ioError)
            }
        }
        return try open(bytes: bytes, path: path, options: options)
    }
}
