import SystemPackage

/// One seal of a draft (``ColFileDraft/seal(_:to:options:)``): holds the draft open with its
/// seal lock exclusive until it is done.
final class DraftSealer {
    private let path: String
    let target: String
    let options: SealOptions
    private let fd: FileDescriptor
    private let context: ErrorContext
    /// The mappings of the draft this seal read through (checked for damage before publishing).
    private var mappedRegions: [MappedRegion] = []

    /// The draft's path.
    var pathOfDraft: String { path }

    /// Opens the draft and takes its seal lock exclusively, waiting as `options` say.
    init(path: String, target: String, options: SealOptions) throws {
        self.path = path
        self.target = target
        self.options = options
        self.context = ErrorContext(path: path)
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.closeOnExec], retryOnInterrupt: true)
        } catch let errno as Errno {
            throw ColFileError(.io, path: path, message: "cannot open the draft", errno: errno)
        }
        do {
            try lockExclusively()
        } catch {
            try? fd.close()
            throw error
        }
    }

    deinit { try? fd.close() }

    private func lockExclusively() throws {
        do throws(Errno) {
            switch options.wait {
            case .forever:
                try Syscalls.lock(fd, .exclusive, start: DraftConstants.sealLockByte, length: 1)
                return
            case .no:
                // A holder may be a child forked by a writer that has since closed, gone once it
                // execs (LockRetry); /proc names it all the same, so the seal retries whoever holds.
                if try SealLock.tryLock(fd, .exclusive, for: SealLock.grace) { return }
            case .upTo(let limit):
                if try SealLock.tryLock(fd, .exclusive, for: max(limit, SealLock.grace)) { return }
            }
        } catch {
            throw ColFileError(.io, path: path, message: "cannot lock the draft", errno: error)
        }
        let named = DraftHolders.processes(holding: fd).map(String.init).joined(separator: ", ")
        throw ColFileError(.draftBusy, path: path,
                           message: "the draft is open for writing elsewhere; close every handle (or end the process) first",
                           found: named.isEmpty ? nil : "held by process \(named)")
    }

    private func step(_ step: SealStep) throws {
        try options.afterStep?(step)
    }

    private func io(_ message: String, _ body: () throws(Errno) -> Void) throws {
        do throws(Errno) {
            try body()
        } catch {
            throw ColFileError(.io, path: path, message: message, errno: error)
        }
    }

    /// Runs the seal.
    func seal() throws -> SealReport {
        let size: Int
        do throws(Errno) {
            size = try Syscalls.status(fd).size
        } catch {
            throw ColFileError(.io, path: path, message: "cannot read the draft's size", errno: error)
        }
        let region: MappedRegion
        do throws(Errno) {
            region = try MappedRegion(mapping: fd, length: size, path: path)
            mappedRegions.append(region)
        } catch {
            throw ColFileError(.io, path: path, message: "cannot map the draft", errno: error)
        }
        if region.view.matches(FormatConstants.magic, at: 0) {
            // An earlier seal replaced the header and stopped before publishing.
            let sealed = try FileLayout(validating: region.view, context: context)
            return try finishSealed(sealed, resumed: true, nullCounts: try nullCounts(of: sealed))
        }
        let draft = try DraftLayout(validating: region.view, context: context)
        if options.requiresAllRangesDone { try checkAllRangesDone(draft, region: region) }
        for name in options.compression.keys where try draft.description.columnIndex(named: name) == nil {
            throw context.about(column: name).error(.noSuchColumn, "a compression names a column the draft does not have")
        }
        if options.compression.values.contains(where: { $0 != .none }) {
            return try sealByCopy(draft, region: region)
        }
        return try sealInPlace(draft, region: region)
    }

    private func checkAllRangesDone(_ draft: DraftLayout, region: MappedRegion) throws {
        let table = region.view.slice(offset: ClaimTableLayout.offset,
                                      length: ClaimTableLayout.end(rangeCount: draft.rangeCount) - ClaimTableLayout.offset)
        let unfinished = (0..<draft.rangeCount).filter {
            table.load(ClaimTableLayout.entryState, at: ClaimTableLayout.entry($0) - ClaimTableLayout.offset)
                != RangeState.done.rawValue
        }
        guard unfinished.isEmpty else {
            throw context.error(.draftIncomplete, "not every range of the draft is done",
                                expected: "\(draft.rangeCount) ranges done",
                                found: "\(unfinished.count) not done (first: range \(unfinished[0]))")
        }
    }

    // MARK: - In place

    private func sealInPlace(_ draft: DraftLayout, region: MappedRegion) throws -> SealReport {
        var header = draft.header
        header.state = .sealing
        try io("cannot mark the draft as sealing") { () throws(Errno) in
            try Syscalls.write(fd, header.encoded(), at: 0)
            try Syscalls.truncate(fd, to: draft.endOffset)
        }
        try step(.markedSealing)
        var finished: [FinishedColumn] = []
        var nullCounts: [String: Int] = [:]
        for column in draft.columns {
            let declaration = column.declaration
            var nulls = 0
            var validity = BufferDescriptor.absent
            if let bitmap = column.validity, bitmap.storedLength > 0 {
                let bits = region.view(at: bitmap.offset, length: Int(bitmap.storedLength))
                nulls = ValidityBitmap(owner: region, bits: bits, rowCount: draft.rowCount).zeroCount
                if nulls > 0 {
                    validity = BufferDescriptor(offset: bitmap.offset, storedLength: bitmap.storedLength,
                                                decodedLength: bitmap.storedLength, checksum: bits.crc32())
                }
            }
            var values = column.values
            values.checksum = values.storedLength == 0 ? 0
                : region.view(at: values.offset, length: Int(values.storedLength)).crc32()
            nullCounts[declaration.name] = nulls
            finished.append(FinishedColumn(declaration: declaration.declaration, rowCount: UInt64(draft.rowCount),
                                           nullCount: UInt64(nulls), physicalType: declaration.physicalType,
                                           buffers: ColumnBuffers(validity: validity, offsets: .absent, values: values),
                                           codec: .none))
        }
        let directory = DirectoryEncoder.encode(columns: finished, rowCount: UInt64(draft.rowCount),
                                                metadata: try draft.description.fileMetadata())
        let alignment = FormatConstants.bufferAlignment
        let directoryOffset = (draft.endOffset + alignment - 1) / alignment * alignment
        let location = DirectoryLocation(offset: UInt64(directoryOffset), length: UInt64(directory.count),
                                         checksum: CRC32.checksum(directory))
        try io("cannot write the sealed file's directory") { () throws(Errno) in
            try Syscalls.write(fd, directory + FileTrailer.encoded(location), at: directoryOffset)
            if options.syncsToDisk { try Syscalls.sync(fd) }
        }
        try step(.wroteDirectory)
        let fileHeader = FileHeader(majorVersion: FormatConstants.majorVersion, minorVersion: FormatConstants.minorVersion,
                                    requiredFlags: 0, optionalFlags: 0, fileID: draft.header.fileID, directory: location)
        try io("cannot write the sealed file's header") { () throws(Errno) in
            try Syscalls.write(fd, fileHeader.encoded(), at: 0)
            if options.syncsToDisk { try Syscalls.sync(fd) }
        }
        try step(.wroteHeader)
        let sealedRegion: MappedRegion
        do throws(Errno) {
            sealedRegion = try MappedRegion(mapping: fd, length: directoryOffset + directory.count + TrailerLayout.length,
                                              path: path)
            mappedRegions.append(sealedRegion)
        } catch {
            throw ColFileError(.io, path: path, message: "cannot map the sealed file", errno: error)
        }
        let sealed = try FileLayout(validating: sealedRegion.view, context: context)
        return try finishSealed(sealed, resumed: false, nullCounts: nullCounts)
    }

    /// Zeroes the padding of a sealed file (what was the draft's claim table, description and
    /// dropped bitmaps), flushes it and publishes it.
    private func finishSealed(_ sealed: borrowing FileLayout, resumed: Bool, nullCounts: [String: Int]) throws -> SealReport {
        var gaps: [Range<Int>] = []
        var position = HeaderLayout.length
        for index in 0..<sealed.columnCount {
            // The placement checks (§7) before the offsets are trusted: a resumed seal reads a file
            // that sat on disk between the steps.
            if let unreadable = try sealed.checkColumn(index) { throw unreadable }
            for role in BufferRole.allCases {
                let buffer = sealed.record(at: index).buffers[role.rawValue]
                guard buffer.storedLength > 0 else { continue }
                gaps.append(position..<Int(buffer.offset))
                position = Int(buffer.offset + buffer.storedLength)
            }
        }
        gaps.append(position..<Int(sealed.header.directory.offset))
        try io("cannot clear the sealed file's padding") { () throws(Errno) in
            for gap in gaps where !gap.isEmpty {
                try Syscalls.write(fd, [UInt8](repeating: 0, count: gap.count), at: gap.lowerBound)
            }
            if options.syncsToDisk { try Syscalls.sync(fd) }
        }
        try step(.clearedPadding)
        // The sums and checksums were read through mappings that a truncation of the draft would
        // have turned into zeros: publish nothing then (the previous target stays).
        guard !mappedRegions.contains(where: \.isDamaged) else { throw truncatedWhileSealing() }
        try publish()
        try step(.published)
        return SealReport(target: target, bytes: sealed.file.count, inPlace: true, resumed: resumed,
                          nullCounts: nullCounts)
    }

    /// The error of a seal whose draft lost pages under its mappings.
    func truncatedWhileSealing() -> ColFileError {
        ColFileError(.fileChanged, path: path, message: "the draft was truncated while being sealed; nothing was published")
    }

    private func publish() throws {
        do throws(Errno) {
            try Syscalls.rename(path, to: target)
        } catch {
            let message = error == .improperLink ? "cannot publish the sealed file: the target is on another file system than the draft"
                : "cannot publish the sealed file"
            throw ColFileError(.io, path: target, message: message, errno: error)
        }
        guard options.syncsToDisk else { return }
        do throws(Errno) {
            try Syscalls.syncFolder(TemporaryFile.folder(of: target))
        } catch {
            throw ColFileError(.io, path: target, message: "the file was published but its folder could not be flushed to disk",
                               errno: error)
        }
    }

    /// Each column's null count by name, from a sealed file that sat on disk: its names and
    /// records are checked first (Specification.md §9).
    private func nullCounts(of sealed: borrowing FileLayout) throws -> [String: Int] {
        try sealed.checkNames()
        return Dictionary(uniqueKeysWithValues: try (0..<sealed.columnCount).map {
            if let unreadable = try sealed.checkColumn($0) { throw unreadable }
            return (sealed.name(at: $0), Int(sealed.record(at: $0).nullCount))
        })
    }
}
