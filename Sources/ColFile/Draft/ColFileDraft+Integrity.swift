extension ColFileDraft {
    /// Whether the draft still has every page under this handle's mapping: false once the draft's
    /// file was truncated while mapped here (by another process or tool). From then on this
    /// handle's views read zeros and what they write stays in this process's private memory and is
    /// lost, instead of the process dying of SIGBUS (RELIABILITY.md, "Faults around the file").
    public var isIntact: Bool { !mapping.isDamaged }

    /// Throws when ``isIntact`` is false; call it after writing rows to know that they reached the
    /// draft. ``DraftWorkQueue/claim()`` calls it before handing out a range.
    ///
    /// - Throws: ``ColFileError/Code/fileChanged``.
    public func checkIntact() throws {
        guard mapping.isDamaged else { return }
        throw ColFileError(.fileChanged, path: path,
                           message: "the draft was truncated while mapped; rows written through this handle since then are lost")
    }
}
