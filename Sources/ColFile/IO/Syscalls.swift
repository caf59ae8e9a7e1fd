import CColFile
import Glibc
import SystemPackage

/// The system calls swift-system does not wrap, each retried on `EINTR` and failing with `Errno`.
///
/// Modelled on swift-system's `valueOrErrno(retryOnInterrupt:)`. Every function names the C call
/// it makes.
package enum Syscalls {
    /// `O_TMPFILE` on Linux (`__O_TMPFILE | O_DIRECTORY`); Glibc's macro does not import into Swift.
    private static let openTemporaryFlag: CInt = 0o2000_0000 | O_DIRECTORY

    /// Calls `call` until it does not fail with `EINTR`; a result of -1 becomes the current `Errno`.
    private static func retrying<I: FixedWidthInteger>(_ call: () -> I) throws(Errno) -> I {
        while true {
            let result = call()
            if result != -1 { return result }
            let error = Errno(rawValue: errno)
            if error != .interrupted { throw error }
        }
    }

    /// `open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)`: a file opened to be read and
    /// mapped, without blocking on a FIFO or taking a terminal as the controlling one. The path is
    /// passed as the C string it is, without building a `FilePath` (an allocation and a
    /// normalization: about 1,200 instructions an open, BENCHMARKS.md "Attach").
    static func openForReading(_ path: String) throws(Errno) -> FileDescriptor {
        // `withCString` lends a native string's own bytes; passing `path` as `char *` inside the
        // closure copied it into an array on every open (BENCHMARKS.md, "Attach: the user-space
        // work at open").
        let opened = unsafe path.withCString { name in
            Result<Int32, Errno> { () throws(Errno) in
                try retrying { unsafe open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
            }
        }
        return FileDescriptor(rawValue: try opened.get())
    }

    /// `fstat`: the size and identity (device, inode) of an open file.
    static func status(_ fd: FileDescriptor) throws(Errno) -> (size: Int, device: UInt64, inode: UInt64) {
        let status = try statusAndKind(fd)
        return (status.size, status.device, status.inode)
    }

    /// `fstat`: the size, identity (device, inode) and kind of an open file.
    static func statusAndKind(_ fd: FileDescriptor) throws(Errno)
        -> (size: Int, device: UInt64, inode: UInt64, kind: FileKind) {
        var info = stat()
        _ = try retrying { unsafe fstat(fd.rawValue, &info) }
        return (Int(info.st_size), UInt64(info.st_dev), UInt64(info.st_ino), FileKind(mode: info.st_mode))
    }

    /// `stat`: the kind of the file at `path` (links followed), or nil when it cannot be looked at.
    static func kind(ofPath path: String) -> FileKind? {
        var info = stat()
        guard unsafe stat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    /// `fstat`: the owner, permission bits and type of an open file.
    static func ownership(_ fd: FileDescriptor) throws(Errno) -> (owner: UInt32, mode: UInt32, isRegular: Bool) {
        var info = stat()
        _ = try retrying { unsafe fstat(fd.rawValue, &info) }
        return (info.st_uid, info.st_mode & 0o7777, info.st_mode & S_IFMT == S_IFREG)
    }

    /// `lstat`: the owner, permission bits and whether `path` is a real folder (not a link).
    static func folderOwnership(_ path: String) throws(Errno) -> (owner: UInt32, mode: UInt32, isFolder: Bool) {
        var info = stat()
        _ = try retrying { unsafe lstat(path, &info) }
        return (info.st_uid, info.st_mode & 0o7777, info.st_mode & S_IFMT == S_IFDIR)
    }

    /// `mkdir(path, mode)`; an existing folder is not an error.
    static func makeFolder(_ path: String, mode: mode_t) throws(Errno) {
        let result = unsafe mkdir(path, mode)
        if result == -1 && errno != EEXIST { throw Errno(rawValue: errno) }
    }

    /// `geteuid`: the user this process acts as.
    static var effectiveUser: UInt32 { geteuid() }

    /// `flock(fd, LOCK_EX)`: waits for an exclusive advisory lock on an open file (released on close).
    static func lockExclusively(_ fd: FileDescriptor) throws(Errno) {
        _ = try retrying { flock(fd.rawValue, LOCK_EX) }
    }

    /// `flock(fd, LOCK_SH or LOCK_EX)`, with `LOCK_NB` unless `wait`: an advisory lock on an open
    /// file, released when it is closed. Fails with `EWOULDBLOCK` when `wait` is false and another
    /// open file holds a conflicting lock.
    static func lock(_ fd: FileDescriptor, exclusive: Bool, wait: Bool) throws(Errno) {
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB)
        _ = try retrying { flock(fd.rawValue, operation) }
    }

    /// `link(source, destination)`: gives the file at `source` a second name; fails with `EEXIST`
    /// when `destination` exists, so a name is taken by exactly one caller.
    static func link(_ source: String, to destination: String) throws(Errno) {
        _ = try retrying { unsafe Glibc.link(source, destination) }
    }

    /// `lstat`: the size of the entry at `path`, whether it is a regular file, and the later of
    /// its modification and status-change times in seconds since the epoch (a hard link made
    /// moments ago changes the status time of a file written long before).
    static func entryStatus(ofPath path: String) throws(Errno) -> (size: Int, isRegular: Bool, lastChange: Double) {
        var info = stat()
        _ = try retrying { unsafe lstat(path, &info) }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let changed = Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
        return (Int(info.st_size), info.st_mode & S_IFMT == S_IFREG, max(modified, changed))
    }

    /// `lstat`: the size, modification time and type of the file at `path` (a link is not followed).
    static func fileStatus(ofPath path: String) throws(Errno)
        -> (size: Int, modified: (seconds: Int, nanoseconds: Int), isRegular: Bool) {
        var info = stat()
        _ = try retrying { unsafe lstat(path, &info) }
        return (Int(info.st_size), (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)),
                info.st_mode & S_IFMT == S_IFREG)
    }

    /// `fstat`, then `futimens(fd, NULL)` when the file was last modified `seconds` or more ago:
    /// marks an open file as used now (its access and modification times), without a write to
    /// its inode on every call. Failures are ignored: a mark is a hint.
    static func markUsed(_ fd: FileDescriptor, unlessWithin seconds: Int) {
        var info = stat()
        var now = timespec()
        guard unsafe fstat(fd.rawValue, &info) == 0, unsafe clock_gettime(CLOCK_REALTIME, &now) == 0,
              now.tv_sec - info.st_mtim.tv_sec >= seconds else { return }
        _ = futimens(fd.rawValue, nil)
    }

    /// `statvfs`: the size in bytes of the file system that holds `path`.
    static func fileSystemBytes(holding path: String) throws(Errno) -> Int {
        var info = statvfs()
        _ = try retrying { unsafe statvfs(path, &info) }
        let (bytes, overflow) = Int(info.f_blocks).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// `opendir`, `readdir`, `closedir`: the names in the folder at `path`, without `.` and `..`.
    static func folderEntries(_ path: String) throws(Errno) -> [String] {
        guard let folder = unsafe opendir(path) else { throw Errno(rawValue: errno) }
        defer { _ = unsafe closedir(folder) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = unsafe readdir(folder) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return names
            }
            let name = unsafe withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                unsafe String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// `open`, `read` until the end of the file or `limit` bytes, `close`: a small text file such
    /// as one under `/proc` (whose size `fstat` does not tell), decoded as UTF-8 (invalid bytes
    /// replaced). Foundation's `String(contentsOfFile:)` is not used: under AddressSanitizer it
    /// was reported leaking its 4 KiB read buffer (a CI run of 30 Nov).
    package static func smallTextFile(_ path: String, limit: Int = 1 << 20) throws(Errno) -> String {
        let fd = try openForReading(path)
        defer { _ = Glibc.close(fd.rawValue) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let result: Result<Int, Errno> = unsafe chunk.withUnsafeMutableBytes { buffer in
                do throws(Errno) {
                    return .success(try retrying { unsafe Glibc.read(fd.rawValue, buffer.baseAddress, wanted) })
                } catch {
                    return .failure(error)
                }
            }
            let count = try result.get()
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `getenv`: the value of the environment variable `name`, if set.
    static func environment(_ name: String) -> String? {
        guard let value = unsafe getenv(name) else { return nil }
        return unsafe String(cString: value)
    }

    /// `stat`: the identity (device, inode) of the file at `path` now.
    package static func identity(ofPath path: String) throws(Errno) -> (device: UInt64, inode: UInt64) {
        var info = stat()
        _ = try retrying { unsafe stat(path, &info) }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// `mmap(hint, length, PROT_READ, MAP_SHARED, fd, 0)`: maps a whole file read-only and shared,
    /// a large one where ``MappingPlacement`` asks (a hint the kernel may ignore, never `MAP_FIXED`).
    package static func mapReadOnly(_ fd: FileDescriptor, length: Int) throws(Errno) -> UnsafeRawBufferPointer {
        let hint = unsafe MappingPlacement.hint(length: length)
        guard let address = unsafe mmap(hint, length, PROT_READ, MAP_SHARED, fd.rawValue, 0),
              unsafe address != MAP_FAILED else {
            throw Errno(rawValue: errno)
        }
        unsafe MappingPlacement.placed(address, length: length, hint: hint)
        return unsafe UnsafeRawBufferPointer(start: address, count: length)
    }

    /// `munmap`: releases a mapping made by `mapReadOnly`.
    package static func unmap(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        _ = unsafe munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }

    /// `madvise`: gives the kernel an access hint for the pages spanning `bytes`.
    static func advise(_ bytes: UnsafeRawBufferPointer, _ advice: Advice) throws(Errno) {
        guard let base = bytes.baseAddress, unsafe !bytes.isEmpty else { return }
        let pageSize = Machine.pageSize
        let start = Int(bitPattern: base) & ~(pageSize - 1)
        let length = Int(bitPattern: base) + bytes.count - start
        _ = try retrying { unsafe madvise(UnsafeMutableRawPointer(bitPattern: start), length, advice.code) }
    }

    /// `fsync`: flushes a file (or folder) to stable storage.
    static func sync(_ fd: FileDescriptor) throws(Errno) {
        _ = try retrying { fsync(fd.rawValue) }
    }

    /// `rename`: atomically replaces `destination` with `source`.
    static func rename(_ source: String, to destination: String) throws(Errno) {
        _ = try retrying { unsafe Glibc.rename(source, destination) }
    }

    /// `renameat2(…, RENAME_EXCHANGE)`: atomically swaps the files named `first` and `second`
    /// (both must exist; `EINVAL` where the file system cannot).
    static func exchange(_ first: String, with second: String) throws(Errno) {
        _ = try retrying { unsafe colfile_rename_exchange(first, second) }
    }

    /// `lstat`: whether `path` names a regular file (not a folder, link or anything else).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return unsafe lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// `unlink`: removes a name.
    static func remove(_ path: String) throws(Errno) {
        _ = try retrying { unsafe unlink(path) }
    }

    /// `fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)`: allocates the file's blocks for a
    /// range about to be written, without changing its size.
    static func allocate(_ fd: FileDescriptor, offset: Int64, length: Int64) throws(Errno) {
        _ = try retrying { colfile_allocate_keeping_size(fd.rawValue, offset, length) }
    }

    /// `sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)`: starts writing a range's dirty
    /// pages to the disk and returns without waiting for them (a later `fsync` waits).
    static func startWriteback(_ fd: FileDescriptor, offset: Int64, length: Int64) throws(Errno) {
        _ = try retrying { colfile_start_writeback(fd.rawValue, offset, length) }
    }

    /// `unlink`: removes a name; failures are ignored (used only for cleaning up).
    static func removeIgnoringErrors(_ path: String) {
        _ = unsafe unlink(path)
    }

    /// `open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644)`: an unnamed file in `folder` that
    /// vanishes when closed unless it is linked to a name.
    static func openUnnamedFile(inFolder folder: String) throws(Errno) -> FileDescriptor {
        let fd = try retrying { unsafe open(folder, openTemporaryFlag | O_RDWR | O_CLOEXEC, mode_t(0o644)) }
        return FileDescriptor(rawValue: fd)
    }

    /// `linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, path, AT_SYMLINK_FOLLOW)`: gives an
    /// unnamed file made by `openUnnamedFile` the name `path`.
    static func link(unnamed fd: FileDescriptor, to path: String) throws(Errno) {
        let source = "/proc/self/fd/\(fd.rawValue)"
        _ = try retrying { unsafe linkat(AT_FDCWD, source, AT_FDCWD, path, AT_SYMLINK_FOLLOW) }
    }

    /// `sendfile`: copies `length` bytes from `source` at `sourceOffset` to the current position
    /// of `destination`, inside the kernel; returns the bytes copied (fewer at end of file).
    static func copy(from source: FileDescriptor, at sourceOffset: Int, to destination: FileDescriptor,
                     length: Int) throws(Errno) -> Int {
        var offset = off_t(sourceOffset)
        return try retrying { unsafe sendfile(destination.rawValue, source.rawValue, &offset, length) }
    }

    /// `getpid`.
    static var processID: Int32 { getpid() }

    // MARK: - Drafts (Specification.md §15)

    /// `mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)`: maps a whole file for
    /// reading and writing, shared with every other process that maps it.
    static func mapReadWrite(_ fd: FileDescriptor, length: Int) throws(Errno) -> UnsafeMutableRawBufferPointer {
        guard let address = unsafe mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.rawValue, 0),
              unsafe address != MAP_FAILED else {
            throw Errno(rawValue: errno)
        }
        return unsafe UnsafeMutableRawBufferPointer(start: address, count: length)
    }

    /// `ftruncate`: sets the size of an open file (new bytes read as zero).
    static func truncate(_ fd: FileDescriptor, to length: Int) throws(Errno) {
        _ = try retrying { ftruncate(fd.rawValue, off_t(length)) }
    }

    /// The kind of an open-file-description lock.
    enum LockKind {
        /// `F_RDLCK`: shared with other shared locks.
        case shared
        /// `F_WRLCK`: excludes every other lock.
        case exclusive

        fileprivate var code: CInt { self == .shared ? CInt(F_RDLCK) : CInt(F_WRLCK) }
    }

    /// `fcntl(F_OFD_SETLK)`: takes a lock on the bytes `[start, start + length)` of `fd`'s open
    /// file description without waiting; false when another description holds a conflicting one.
    ///
    /// Open-file-description locks belong to the open file (not the process, unlike `F_SETLK`), so
    /// two descriptions in one process exclude each other, closing another descriptor of the same
    /// file releases nothing, and the kernel releases them when the last descriptor of the
    /// description closes, including when its process dies.
    static func tryLock(_ fd: FileDescriptor, _ kind: LockKind, start: Int64, length: Int64) throws(Errno) -> Bool {
        do throws(Errno) {
            _ = try retrying { colfile_ofd_lock(fd.rawValue, kind.code, start, length, 0) }
            return true
        } catch {
            if error == .resourceTemporarilyUnavailable || error == .permissionDenied { return false }
            throw error
        }
    }

    /// `fcntl(F_OFD_SETLKW)`: takes a lock on the bytes `[start, start + length)`, waiting for
    /// conflicting locks to go.
    static func lock(_ fd: FileDescriptor, _ kind: LockKind, start: Int64, length: Int64) throws(Errno) {
        _ = try retrying { colfile_ofd_lock(fd.rawValue, kind.code, start, length, 1) }
    }

    /// `fcntl(F_OFD_SETLK, F_UNLCK)`: releases this description's lock on `[start, start + length)`.
    static func unlock(_ fd: FileDescriptor, start: Int64, length: Int64) {
        _ = colfile_ofd_lock(fd.rawValue, CInt(F_UNLCK), start, length, 0)
    }

    /// `fcntl(F_OFD_GETLK)`: whether another open file description holds a lock on
    /// `[start, start + length)` that conflicts with one of `kind`.
    static func isLocked(_ fd: FileDescriptor, against kind: LockKind, start: Int64, length: Int64) throws(Errno) -> Bool {
        try retrying { colfile_ofd_conflicts(fd.rawValue, kind.code, start, length) } == 1
    }

    /// `link`: gives the file at `source` the second name `destination` (fails with `EEXIST`
    /// rather than replace a file).
    static func hardLink(_ source: String, to destination: String) throws(Errno) {
        _ = try retrying { unsafe Glibc.link(source, destination) }
    }

    /// `pwrite` until all of `bytes` are written at `offset`.
    static func write(_ fd: FileDescriptor, _ bytes: [UInt8], at offset: Int) throws(Errno) {
        do {
            _ = try unsafe bytes.withUnsafeBytes { try unsafe fd.writeAll(toAbsoluteOffset: Int64(offset), $0) }
        } catch let error as Errno {
            throw error
        } catch {
            throw Errno.ioError
        }
    }

    /// `open(folder, O_RDONLY | O_DIRECTORY)`, `fsync`, `close`: flushes a folder's entries to disk.
    static func syncFolder(_ path: String) throws(Errno) {
        let fd = try retrying { unsafe open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = close(fd) }
        _ = try retrying { fsync(fd) }
    }

    /// `usleep`: pauses the calling thread.
    static func sleep(microseconds: Int) {
        _ = usleep(useconds_t(max(0, microseconds)))
    }
}
