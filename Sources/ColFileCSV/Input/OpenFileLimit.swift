import Glibc

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`).
package enum OpenFileLimit {
    /// The soft limit now.
    package static var current: UInt64 {
        var limit = rlimit()
        guard unsafe getrlimit(resource, &limit) == 0 else { return 0 }
        return UInt64(limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (`setrlimit`), for work that holds many files open
    /// at once: a 1,000-column import needs more than the usual soft limit of 1,024. Failure
    /// leaves the limit as it was.
    package static func raiseToHardLimit() {
        var limit = rlimit()
        guard unsafe getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = unsafe setrlimit(resource, &limit)
    }

    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
}
