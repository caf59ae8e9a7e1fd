import Glibc

/// The `madvise` advice colfile gives the kernel (``Syscalls/advise(_:_:)``).
enum Advice {
    /// `MADV_NORMAL`.
    case normal
    /// `MADV_SEQUENTIAL`: read ahead aggressively.
    case sequential
    /// `MADV_RANDOM`: do not read ahead.
    case random
    /// `MADV_WILLNEED`: start reading the pages in the background.
    case willNeed
    /// `MADV_POPULATE_READ` (Linux 5.14+): fault the pages in now; `EINVAL` from older kernels.
    case populateRead
    /// `MADV_POPULATE_WRITE` (Linux 5.14+): fault the pages in now, writable (private anonymous
    /// memory: fresh zeroed pages); `EINVAL` from older kernels.
    case populateWrite

    /// The `madvise` constant.
    var code: CInt {
        switch self {
        case .normal: MADV_NORMAL
        case .sequential: MADV_SEQUENTIAL
        case .random: MADV_RANDOM
        case .willNeed: MADV_WILLNEED
        // Defined by Linux 5.14; Glibc's headers here predate it.
        case .populateRead: 22
        case .populateWrite: 23
        }
    }
}
