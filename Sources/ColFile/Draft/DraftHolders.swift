import Glibc
import SystemPackage

/// Which processes hold a draft open for writing, for the error of a seal that cannot wait.
///
/// Open-file-description locks show process id -1 in `/proc/locks`, so this reads the lock lines
/// of every open file in `/proc/PID/fdinfo/FD` (those of the caller's user, unless it is root) and
/// keeps the processes whose locks cover the draft's seal byte. Best effort: it may miss a holder
/// whose files it cannot read.
enum DraftHolders {
    /// The process ids holding a lock on the seal byte of the file open as `fd` (other than the
    /// caller's own descriptor), sorted.
    static func processes(holding fd: FileDescriptor) -> [Int32] {
        guard let status = try? Syscalls.status(fd) else { return [] }
        // As `/proc/PID/fdinfo` prints a lock's file: major and minor device in hex (at least two
        // digits), then the inode in decimal.
        let key = "\(DeviceNumber(status.device).hexadecimal):\(status.inode)"
        let byte = String(DraftConstants.sealLockByte)
        let me = getpid()
        var holders = Set<Int32>()
        let processes = (try? Syscalls.folderEntries("/proc")) ?? []
        for entry in processes {
            guard let pid = Int32(entry) else { continue }
            let folder = "/proc/\(entry)/fdinfo"
            for descriptor in (try? Syscalls.folderEntries(folder)) ?? [] {
                guard let text = try? Syscalls.smallTextFile("\(folder)/\(descriptor)") else { continue }
                let holds = text.split(separator: "\n").contains { line in
                    line.hasPrefix("lock:") && line.contains("OFDLCK") && line.contains(" \(key) ")
                        && line.hasSuffix(" \(byte) \(byte)")
                }
                if holds && !(pid == me && Int32(descriptor) == fd.rawValue) { holders.insert(pid) }
            }
        }
        return holders.sorted()
    }
}
