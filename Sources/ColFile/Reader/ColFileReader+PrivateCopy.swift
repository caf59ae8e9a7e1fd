import SystemPackage

extension ColFileReader {
    /// Reads the whole file at `path` into this process's own memory and validates it, as
    /// ``open(_:options:)`` does for a mapping: the baseline that `colfile harness --mode copy`
    /// compares sharing against (each process holding its own copy, as `read()` into a buffer does).
    ///
    /// The reader never looks at the file again, so ``fileHasBeenReplaced()`` is always false.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - options: How to treat compressed columns (a private copy usually pairs with
    ///     ``ReaderOptions/ColdColumnPolicy/privateMemory``).
    /// - Returns: A reader of the copy.
    /// - Throws: ``ColFileError/Code/io`` when the file cannot be opened or read, or the code of the
    ///   first check of Specification.md §9 the file fails.
    /// - Complexity: O(file size): every byte is read with `pread` into anonymous memory.
    package static func openPrivateCopy(_ path: String, options: ReaderOptions = ReaderOptions()) throws
        -> ColFileReader {
        let fd = try openForReading(path)
        return try fd.closeAfter {
            let region: MappedRegion
            do {
                let size = try Syscalls.status(fd).size
                region = try unsafe MappedRegion(allocating: size) { memory in
                    var filled = 0
                    while filled < memory.count {
                        let read = try unsafe fd.read(fromAbsoluteOffset: Int64(filled),
                                                      into: UnsafeMutableRawBufferPointer(rebasing: memory[filled...]),
                                                      retryOnInterrupt: true)
                        guard read > 0 else { throw Errno.ioError }
                        filled += read
                    }
                }
            } catch {
                throw ColFileError(.io, path: path, message: "cannot read the file into memory",
                                   errno: error as? Errno ?? .ioError)
            }
            return try ColFileReader(path: path, region: region, identity: nil, options: options)
        }
    }
}
