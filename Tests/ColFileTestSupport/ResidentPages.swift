import Glibc

/// Which pages of memory are resident (`mincore`), to see what `MADV_POPULATE_WRITE` populated
/// (colfile's `Prefault`) in fresh anonymous memory, none of whose pages a test wrote.
public enum ResidentPages {
    /// The page size.
    public static let pageSize = Int(sysconf(CInt(_SC_PAGESIZE)))

    /// Whether this kernel has `MADV_POPULATE_WRITE` (Linux 5.14+; older ones answer `EINVAL`
    /// and nothing is populated), so that tests of what it populates are skipped otherwise.
    public static let kernelPopulates: Bool = {
        guard let mapping = unsafe mmap(nil, pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              unsafe mapping != MAP_FAILED else { return false }
        defer { _ = unsafe munmap(mapping, pageSize) }
        return unsafe madvise(mapping, pageSize, 23) == 0
    }()

    /// The indexes of the resident pages among the `pages` pages from the page holding `address`,
    /// or nil when `mincore` fails.
    public static func indexes(from address: UnsafeRawPointer, pages: Int) -> [Int]? {
        let start = Int(bitPattern: address) & ~(pageSize - 1)
        guard let base = unsafe UnsafeMutableRawPointer(bitPattern: start) else { return nil }
        var vector = [UInt8](repeating: 0, count: pages)
        let status = unsafe vector.withUnsafeMutableBufferPointer { unsafe mincore(base, pages * pageSize, $0.baseAddress) }
        guard status == 0 else { return nil }
        return vector.indices.filter { vector[$0] & 1 != 0 }
    }

    /// Calls `body` with a fresh anonymous mapping of `pages` pages (none resident), unmapped after.
    public static func withFreshMapping(pages: Int, _ body: (UnsafeMutableRawPointer) throws -> Void) throws {
        let length = pages * pageSize
        guard let mapping = unsafe mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              unsafe mapping != MAP_FAILED else {
            throw Errno(errno)
        }
        defer { _ = unsafe munmap(mapping, length) }
        try unsafe body(mapping)
    }

    /// A failed `mmap`.
    public struct Errno: Error {
        /// The `errno` value.
        public let code: CInt

        init(_ code: CInt) {
            self.code = code
        }
    }
}
