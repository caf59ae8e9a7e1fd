import Glibc

/// Facts about this machine from `sysconf`, read once per process (`sysconf` reads files in /sys
/// and /proc, which would otherwise cost microseconds on every open).
package enum Machine {
    /// Bytes of physical memory.
    static let physicalMemory = UInt64(sysconf(CInt(_SC_PHYS_PAGES))) * UInt64(sysconf(CInt(_SC_PAGESIZE)))
    /// Online processor cores.
    static let cores = max(1, Int(sysconf(CInt(_SC_NPROCESSORS_ONLN))))
    /// The page size.
    package static let pageSize = Int(sysconf(CInt(_SC_PAGESIZE)))
}
