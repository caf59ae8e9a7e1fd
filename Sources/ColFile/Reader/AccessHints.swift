import SystemPackage

/// How a program will read a file or column, passed to the kernel with `madvise`.
public enum AccessHint: Sendable, CaseIterable {
    /// No special treatment (`MADV_NORMAL`).
    case normal
    /// Read front to back: read ahead aggressively (`MADV_SEQUENTIAL`).
    case sequential
    /// Read at random: do not read ahead (`MADV_RANDOM`).
    case random
    /// Read soon: start reading the pages in the background (`MADV_WILLNEED`).
    case willNeed

    /// The advice `madvise` is given.
    var advice: Advice {
        switch self {
        case .normal: .normal
        case .sequential: .sequential
        case .random: .random
        case .willNeed: .willNeed
        }
    }
}

extension ColFileReader {
    /// Tells the kernel how the whole file, or one column's buffers, will be read.
    ///
    /// - Parameters:
    ///   - hint: The expected access pattern.
    ///   - column: A column name, or nil for the whole file.
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/io`` when `madvise` fails.
    public func advise(_ hint: AccessHint, column: String? = nil) throws {
        let range = try byteRange(of: column)
        do throws(Errno) {
            try unsafe region.view(at: range.offset, length: range.length).withUnsafeBytes { (bytes) throws(Errno) in
                try unsafe Syscalls.advise(bytes, hint.advice)
            }
        } catch {
            throw ColFileError(.io, path: path, column: column, message: "madvise failed", errno: error)
        }
    }

    /// Faults in the pages of the whole file, or of one column, so that later reads take no page
    /// faults: `MADV_POPULATE_READ` where the kernel has it (Linux 5.14+), else a read of one byte
    /// per page.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, ``ColFileError/Code/io``, or
    ///   ``ColFileError/Code/fileChanged`` when pages of the range are gone (the file was truncated).
    /// - Complexity: O(bytes of the range) the first time; the pages are then in the page cache.
    public func prefault(column: String? = nil) throws {
        let range = try byteRange(of: column)
        do throws(Errno) {
            try unsafe region.view(at: range.offset, length: range.length).withUnsafeBytes { (bytes) throws(Errno) in
                try unsafe Syscalls.advise(bytes, .populateRead)
            }
        } catch {
            if error == .badAddress {
                // Pages of the range are gone: the file was truncated under the mapping.
                region.markDamaged()
                throw Self.changeError(path: path)
            }
            guard error == .invalidArgument else {
                throw ColFileError(.io, path: path, column: column, message: "MADV_POPULATE_READ failed", errno: error)
            }
            touchPages(in: range)
        }
    }

    private func touchPages(in range: (offset: UInt64, length: Int)) {
        let view = region.view
        var sum: UInt8 = 0
        var position = Int(range.offset)
        while position < Int(range.offset) + range.length {
            sum &+= view.load(UInt8.self, at: position)
            position += 4096
        }
        withExtendedLifetime(sum) {}
    }

    /// The bytes spanned by a column's buffers, or the whole file for nil.
    private func byteRange(of column: String?) throws -> (offset: UInt64, length: Int) {
        guard let column else { return (0, fileBytes) }
        let buffers = try info(column).buffers.filter { $0.storedLength > 0 }
        guard let first = buffers.first, let last = buffers.last else { return (0, 0) }
        return (first.offset, Int(last.offset + last.storedLength - first.offset))
    }
}
