import SystemPackage

/// Owns a draft's open file and its read-write `MAP_SHARED` mapping (Specification.md §15):
/// every process that maps a draft writes the same page-cache pages.
///
/// The file stays open, holding the draft's seal lock shared (§15.4), as long as the mapping
/// lives; `deinit` unmaps and closes it, which releases the lock. Every mutable view holds the
/// mapping, so a seal cannot begin while any view of this process could still write.
///
/// The mapping is guarded against truncation of its file (``MappingGuard``, writable): if the file
/// loses pages under it, the whole mapping becomes private zero-filled memory (reads see zeros,
/// writes are kept in this process only and lost) and ``isDamaged`` becomes true, instead of the
/// process dying of SIGBUS.
@safe
final class DraftMapping: @unchecked Sendable {
    /// The open draft, read-write.
    let fd: FileDescriptor
    private let bytes: UnsafeMutableRawBufferPointer
    private let mappingGuard: MappingGuard?

    /// Maps the first `length` bytes of `fd` (the draft at `path`) for reading and writing and
    /// guards the mapping; takes ownership of `fd` (closed in `deinit`, or here on failure).
    init(fd: FileDescriptor, length: Int, path: String) throws(Errno) {
        do throws(Errno) {
            unsafe bytes = length == 0 ? UnsafeMutableRawBufferPointer(start: nil, count: 0)
                : try Syscalls.mapReadWrite(fd, length: length)
        } catch {
            try? fd.close()
            throw error
        }
        mappingGuard = length == 0 ? nil : unsafe MappingGuard(UnsafeRawBufferPointer(bytes), path: path, writable: true)
        self.fd = fd
    }

    deinit {
        mappingGuard?.release()
        unsafe Syscalls.unmap(UnsafeRawBufferPointer(bytes))
        try? fd.close()
    }

    /// Whether the draft lost pages under this mapping, which is since then private zeros.
    var isDamaged: Bool { mappingGuard?.isDamaged ?? false }

    /// The mapping, read-only, for the parsers.
    var view: ByteView { unsafe ByteView(UnsafeRawBufferPointer(bytes)) }

    /// The bytes `[offset, offset + length)`, writable, which the caller has checked lie inside.
    func mutableView(at offset: UInt64, length: Int) -> MutableByteView {
        let size = unsafe bytes.count
        precondition(offset <= UInt64(size) && length >= 0 && length <= size - Int(offset), "byte range outside the draft")
        return unsafe MutableByteView(UnsafeMutableRawBufferPointer(rebasing: bytes[Int(offset)..<(Int(offset) + length)]))
    }
}
