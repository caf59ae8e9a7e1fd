import SystemPackage

/// The directory with the trailer of an open file, read with `pread` into memory.
///
/// Open reads the file's last bytes (at most ``firstRead``) with one `pread` and, when the directory
/// starts before them and the whole tail is at most ``largestCopy``, the rest with a second one:
/// on a large file, faulting in the mapping's last page costs more than that `pread`. The header
/// is read through the mapping: its page is the first column's too (BENCHMARKS.md, "Attach").
/// Nothing here is trusted: the copy only replaces the mapping as the source of those bytes, and
/// `FileLayout` checks them.
@safe
final class MetadataCopy: @unchecked Sendable {
    /// The bytes read, owned by this object; the tail starts at `tailStart`.
    private let storage: UnsafeMutableRawBufferPointer
    private let tailStart: Int
    private let tailOffset: UInt64
    /// The most bytes the first `pread` reads from the end of the file.
    static let firstRead = 4 << 10
    /// The most bytes from the directory to the end of the file that open copies.
    static let largestCopy = 64 << 10

    /// Reads the file's last bytes and, if the trailer's directory location fits `fileSize` and the
    /// tail from the directory on is at most ``largestCopy``, whatever of that tail they missed;
    /// nil when the file is too small, the location is implausible, the tail is larger, or a read
    /// comes up short (open then reads the mapping, and reports what is wrong).
    init?(reading fd: FileDescriptor, fileSize: Int) {
        guard fileSize >= HeaderLayout.length + TrailerLayout.length else { return nil }
        let first = min(fileSize - HeaderLayout.length, Self.firstRead)
        let last = UnsafeMutableRawBufferPointer.allocate(byteCount: first, alignment: 8)
        guard unsafe Self.read(fd, at: fileSize - first, into: last) else {
            unsafe last.deallocate()
            return nil
        }
        let trailer = unsafe ByteView(UnsafeRawBufferPointer(rebasing: last[(first - TrailerLayout.length)...]))
        let offset = trailer.load(TrailerLayout.directoryOffset)
        let (end, overflow) = offset.addingReportingOverflow(trailer.load(TrailerLayout.directoryLength))
        guard !overflow, offset >= UInt64(HeaderLayout.length), end == UInt64(fileSize - TrailerLayout.length),
              fileSize - Int(offset) <= Self.largestCopy else {
            unsafe last.deallocate()
            return nil
        }
        let tailLength = fileSize - Int(offset)
        guard tailLength > first else {
            unsafe storage = last
            tailStart = first - tailLength
            tailOffset = offset
            return
        }
        // A directory of more than a few dozen columns: the rest of it, before the bytes read.
        let whole = UnsafeMutableRawBufferPointer.allocate(byteCount: tailLength, alignment: 8)
        unsafe UnsafeMutableRawBufferPointer(rebasing: whole[(tailLength - first)...]).copyMemory(from: UnsafeRawBufferPointer(last))
        unsafe last.deallocate()
        guard unsafe Self.read(fd, at: Int(offset), into: UnsafeMutableRawBufferPointer(rebasing: whole[..<(tailLength - first)])) else {
            unsafe whole.deallocate()
            return nil
        }
        unsafe storage = whole
        tailStart = 0
        tailOffset = offset
    }

    deinit {
        unsafe storage.deallocate()
    }

    /// The copies, valid while this object lives.
    var copies: MetadataCopies {
        unsafe MetadataCopies(tailBytes: ByteView(UnsafeRawBufferPointer(rebasing: storage[tailStart...])),
                              tailOffset: tailOffset)
    }

    /// Fills `buffer` from `offset`; false on a short read or an error.
    private static func read(_ fd: FileDescriptor, at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var filled = 0
        while filled < buffer.count {
            guard let count = try? unsafe fd.read(fromAbsoluteOffset: Int64(offset + filled),
                                                  into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                                  retryOnInterrupt: true),
                  count > 0 else { return false }
            filled += count
        }
        return true
    }
}
