/// One integer field of an on-disk structure: where it starts, counted from the structure's first
/// byte, and its type, which gives its size. Every integer is little-endian (Specification.md §2).
///
/// The tables of fields (``HeaderLayout``, ``ColumnRecordLayout`` …) are the one place that says
/// where each field of each structure lies: the parsers, the encoders, the fuzz target's re-sealer
/// and the tests' byte editors all read them. They have `package` access: not public API.
package struct Field<Value: FixedWidthInteger & Sendable>: Sendable {
    /// The field's offset from the start of its structure.
    package let offset: Int

    /// The field at `offset` in its structure.
    package init(_ offset: Int) {
        self.offset = offset
    }

    /// The field's size in bytes.
    package var size: Int { MemoryLayout<Value>.size }

    /// The offset just past the field.
    package var end: Int { offset + size }

    /// The field's offset in a file (or a larger structure) where its structure starts at `base`.
    package func at(_ base: Int) -> Int { base + offset }

    /// The field's offset in a file where its structure starts at `base`, as errors report it.
    package func at(_ base: UInt64) -> UInt64 { base + UInt64(offset) }
}

/// A field of raw bytes in an on-disk structure (a magic number, a file id, reserved bytes).
package struct ByteField: Sendable {
    /// The field's offset from the start of its structure.
    package let offset: Int
    /// The field's length in bytes.
    package let count: Int

    /// The `count` bytes at `offset` in their structure.
    package init(_ offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }

    /// The offset just past the field.
    package var end: Int { offset + count }
}
