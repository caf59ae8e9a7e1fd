import SystemPackage

/// The header and the directory with the trailer of an open file, read with `pread` into memory.
///
/// Open reads these first: faulting in the mapping's first and last pages costs more than two small
/// `pread`s (BENCHMARKS.md, "Attach, scan, write"). Nothing here is trusted: the
/// copy only replaces the mapping as the source of those bytes, and `FileLayout` checks them.
final class MetadataCopy: Sendable {
    private let storage: MappedRegion
    /// The most bytes from the directory to the end of the file that open copies.
    static let largestCopy = 64 << 10
    private let tailOffset: UInt64

    /// Reads the header and, if the header's directory location fits `fileSize`, the bytes from the
    /// directory to the end; nil when the file is too small, the location is implausible, the
    /// directory is over the limit or larger than ``largestCopy``, or a read comes up short (open then reads the mapping, and
    /// reports what is wrong).
    init?(reading fd: FileDescriptor, fileSize: Int) {
        let headerLength = HeaderLayout.length
        guard fileSize >= headerLength + TrailerLayout.length else { return nil }
        var header = [UInt8](repeating: 0, count: headerLength)
        guard (try? unsafe header.withUnsafeMutableBytes { try unsafe Self.read(fd, at: 0, into: $0) }) == true else {
            return nil
        }
        let location = unsafe header.withUnsafeBytes { raw in
            let view = unsafe ByteView(raw)
            return (offset: view.load(HeaderLayout.directoryOffset), length: view.load(HeaderLayout.directoryLength))
        }
        let (end, overflow) = location.offset.addingReportingOverflow(location.length)
        guard !overflow, location.offset >= UInt64(headerLength), location.length <= FormatLimits.maxDirectoryLength,
              end + UInt64(TrailerLayout.length) == UInt64(fileSize) else { return nil }
        let tailLength = fileSize - Int(location.offset)
        // A large directory (a wide file) is read through the mapping: copying it cost more than
        // faulting it in (a 1.7 MB directory of 10,000 columns: a third of open, BENCHMARKS.md).
        guard tailLength <= Self.largestCopy else { return nil }
        guard let storage = try? unsafe MappedRegion(allocating: headerLength + tailLength, fill: { memory in
            unsafe memory.copyBytes(from: header)
            let tail = unsafe UnsafeMutableRawBufferPointer(rebasing: memory[headerLength...])
            guard try unsafe Self.read(fd, at: Int(location.offset), into: tail) else { throw Errno.ioError }
        }) else { return nil }
        self.storage = storage
        self.tailOffset = location.offset
    }

    /// The copies, valid while this object lives.
    var copies: MetadataCopies {
        let view = storage.view
        return MetadataCopies(header: view.slice(offset: 0, length: HeaderLayout.length),
                              tailBytes: view.slice(offset: HeaderLayout.length,
                                                    length: view.count - HeaderLayout.length),
                              tailOffset: tailOffset)
    }

    /// Fills `buffer` from `offset`; false on a short read.
    private static func read(_ fd: FileDescriptor, at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws
        -> Bool {
        var filled = 0
        while filled < buffer.count {
            let count = try unsafe fd.read(fromAbsoluteOffset: Int64(offset + filled),
                                           into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                           retryOnInterrupt: true)
            guard count > 0 else { return false }
            filled += count
        }
        return true
    }
}
