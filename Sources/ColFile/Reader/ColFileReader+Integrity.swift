import CColFile

extension ColFileReader {
    /// Whether the file is still as this reader checked it: false once the file (or the shared
    /// cache entry of one of its cold columns) was truncated or seen to change while mapped.
    ///
    /// Published files must never be modified in place. When another process truncates one anyway
    /// (`truncate`, `cp` over it, `rsync --inplace`), reading a page past the new end would kill
    /// the process with SIGBUS. A reader's mappings are guarded instead: the signal handler
    /// replaces the whole mapping with zero-filled pages and this property becomes false. What a
    /// value read from the file is, then:
    ///
    /// - read before the fault: the file's value (for a file rewritten in place without being
    ///   truncated, possibly the new bytes: no signal tells of that);
    /// - read during or after the fault: zero (numbers 0, Bools false, validity bits 0 so rows
    ///   read as null through views made afterwards, strings and binary values empty); a string
    ///   whose offsets were read half before and half after is empty too.
    ///
    /// Nothing is read outside the mapping and nothing traps. Every throwing method of the reader
    /// and its ``ChunkedColumn``s then throws ``ColFileError/Code/fileChanged``; views made before
    /// keep serving zeros, so a long-running reader should call ``checkIntact()`` after a batch
    /// of work and discard the batch when it throws.
    ///
    /// - Complexity: one atomic load while no mapping of the process was ever damaged.
    public var isIntact: Bool { changeFound() == nil }

    /// Throws ``ColFileError/Code/fileChanged`` when the file changed or was truncated while
    /// mapped (see ``isIntact``): the values read since the change may be zeros. Open the path
    /// again to read what it holds now.
    ///
    /// - Throws: ``ColFileError/Code/fileChanged``, naming the file (and the column whose decoded
    ///   copy in the shared cache changed, for a cache entry).
    /// - Complexity: one atomic load while no mapping of the process was ever damaged.
    public func checkIntact() throws {
        if let error = changeFound() { throw error }
    }

    /// The ``ColFileError/Code/fileChanged`` error for this reader, if one of its mappings is damaged.
    func changeFound() -> ColFileError? {
        guard colfile_guard_damage_events() > 0 else { return nil }
        if region.isDamaged { return Self.changeError(path: path) }
        guard let damaged = memosIfMade?.decodedColumns.withLock({ $0.first { $0.value.isDamaged }?.key }) else { return nil }
        return ColFileError(.fileChanged, path: path, column: layout.name(at: damaged),
                            message: "its decoded copy in the shared cache changed or was truncated while being read")
    }

    /// The ``ColFileError/Code/fileChanged`` error for the file at `path`.
    package static func changeError(path: String) -> ColFileError {
        ColFileError(.fileChanged, path: path,
                     message: "the file changed or was truncated while being read; publish new versions by atomic rename")
    }

    /// What `body` returns, unless a mapping of this reader is damaged before it returns: then
    /// ``ColFileError/Code/fileChanged``, whatever `body` threw (checks of bytes that turned to
    /// zeros fail, and the change is the reason).
    func intact<T>(_ body: () throws -> T) throws -> T {
        let result: T
        do {
            result = try body()
        } catch {
            if let change = changeFound() { throw change }
            throw error
        }
        // While no mapping of the process was ever damaged (every attach), one load: no
        // `ColFileError?` is made, returned and destroyed (BENCHMARKS.md, "Attach: the user-space
        // work at open").
        if colfile_guard_damage_events() > 0, let change = changeFound() { throw change }
        return result
    }

    /// The files whose mappings were damaged in this process (see ``isIntact``), for the tool's
    /// one-line report.
    package static func filesChangedWhileMapped() -> [String] {
        MappingGuard.changedFiles()
    }
}
