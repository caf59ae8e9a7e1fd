import Glibc
import SystemPackage

/// The directory with the trailer of an open file, read with `pread` into memory.
///
/// Open reads the header through the mapping (its page is the first column's too), checks it, and
/// then reads exactly the bytes it names, from the directory to the end of the file, with one
/// `pread`, when they are at most ``largestCopy``: faulting in the mapping's last page cost more
/// than that `pread` on files of every size on the last machines measured, and as much as 9 µs
/// more (`ColFileReader.open(_:chosenOptions:readsTailWithPread:)`). Reading only those bytes, not a
/// fixed 4 KiB from the end, copies less, needs one `pread` for any directory up to the limit, and
/// takes a small block from `malloc`'s per-thread cache (about 220 instructions an attach less,
/// BENCHMARKS.md "Attach: the user-space work at open"). Nothing here is trusted: the copy only
/// replaces the mapping as the source of those bytes, and `FileLayout` checks them.
///
/// Not copyable, held inside its reader: the buffer is the only allocation it makes (an object of
/// its own around it was one more allocation, release and free on every attach).
@safe
struct MetadataCopy: ~Copyable, @unchecked Sendable {
    /// The bytes read, owned by this value.
    private let storage: UnsafeMutableRawBufferPointer
    /// Where they start in the file.
    private let offset: UInt64
    /// The most bytes from the directory to the end of the file that open copies.
    static let largestCopy = 64 << 10

    /// Reads the `length` bytes at `offset` of `fd`; nil when there are more than ``largestCopy``
    /// or a read comes up short (open then reads the mapping, and reports what is wrong).
    init?(reading fd: FileDescriptor, at offset: UInt64, length: Int) {
        guard length > 0, length <= Self.largestCopy, offset <= UInt64(Int64.max) else { return nil }
        // `malloc`, not `UnsafeMutableRawBufferPointer.allocate`: the runtime serves an alignment of 16
        // or less with `posix_memalign` (a page of libc's code more on an attach after a whole-TLB
        // flush, BENCHMARKS.md "Attach: the user-space work at open"); `malloc`'s blocks are
        // 16-byte aligned, as the views of the copy need.
        guard let start = unsafe malloc(length) else { return nil }
        let storage = unsafe UnsafeMutableRawBufferPointer(start: start, count: length)
        guard unsafe Self.read(fd, at: Int64(offset), into: storage) else {
            unsafe free(start)
            return nil
        }
        unsafe self.storage = storage
        self.offset = offset
    }

    deinit {
        unsafe free(storage.baseAddress)
    }

    /// The copies, valid while this value lives.
    var copies: MetadataCopies {
        unsafe MetadataCopies(tailBytes: ByteView(UnsafeRawBufferPointer(storage)), tailOffset: offset)
    }

    /// Fills `buffer` from `offset`; false on a short read or an error.
    private static func read(_ fd: FileDescriptor, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var filled = 0
        while filled < buffer.count {
            guard let count = try? unsafe fd.read(fromAbsoluteOffset: offset + Int64(filled),
                                                  into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                                  retryOnInterrupt: true),
                  count > 0 else { return false }
            filled += count
        }
        return true
    }
}
