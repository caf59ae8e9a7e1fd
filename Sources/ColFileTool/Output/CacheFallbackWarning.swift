import ColFile

/// The one line on stderr that tells that a cold column was decoded in private memory because the
/// shared decode cache could not be used (``ColFile/CacheFallback``: a full disk, a read-only or
/// foreign folder). The read goes on; the first fallback of the process is printed, later ones
/// are not.
enum CacheFallbackWarning {
    /// Whether the line was printed.
    private static let printed = Locked(false)

    /// Prints the line on the first cache fallback of any reader of this process.
    static func install() {
        ColFileReader.observeCacheFallbacks { fallback in
            guard printed.withLock({ printed in
                defer { printed = true }
                return !printed
            }) else { return }
            StandardError.writeErrorLine("colfile: warning: \(fallback)")
        }
    }
}
