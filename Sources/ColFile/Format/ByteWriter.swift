/// Builds little-endian byte structures (header, trailer, directory) in memory: a fixed-length
/// structure is made zeroed (``init(zeros:)``, so reserved fields are 0) and its fields set where
/// its layout table says; variable-length parts (the heap) are appended.
struct ByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// An empty writer.
    init() {}

    /// A structure of `length` zero bytes, whose fields are then set.
    init(zeros length: Int) {
        bytes = [UInt8](repeating: 0, count: length)
    }

    /// Makes room for `count` bytes in all, so appends up to that length do not reallocate.
    mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(count)
    }

    /// Removes every byte, keeping the memory for the next structure.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends raw bytes.
    mutating func append(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// Appends `count` zero bytes (a structure whose fields are then set).
    mutating func appendZeros(_ count: Int) {
        ZeroBytes.append(count, to: &bytes)
    }

    /// Overwrites bytes from `offset` with `value`, inside what was written.
    ///
    /// - Precondition: `value` fits inside what was written.
    mutating func set(bytes value: [UInt8], at offset: Int) {
        precondition(offset >= 0 && offset + value.count <= bytes.count, "bytes set past the end of the structure")
        bytes.replaceSubrange(offset..<(offset + value.count), with: value)
    }

    /// Overwrites the bytes from `offset` with the UTF-8 of `value`, inside what was written (a
    /// name in a directory's zeroed heap: one copy, no append).
    ///
    /// - Returns: The number of bytes set.
    /// - Precondition: the bytes fit inside what was written.
    @discardableResult
    mutating func set(utf8 value: String, at offset: Int) -> Int {
        var value = value
        return value.withUTF8 { utf8 in
            precondition(offset >= 0 && utf8.count <= bytes.count - offset, "bytes set past the end of the structure")
            // Audited unsafe scope: the destination range was checked above; the source is the
            // string's own contiguous UTF-8, alive for the closure.
            unsafe bytes.withUnsafeMutableBytes { destination in
                unsafe UnsafeMutableRawBufferPointer(rebasing: destination[offset..<(offset + utf8.count)])
                    .copyMemory(from: UnsafeRawBufferPointer(utf8))
            }
            return utf8.count
        }
    }

    /// Overwrites a little-endian value at `offset`, inside what was written.
    mutating func set<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        withFields { $0.set(value, at: offset) }
    }

    /// Calls `body` with the bytes written so far, to set many fields (the records of a
    /// directory: 50,000 columns set 1.5 million fields) with one uniqueness check of the
    /// bytes in all, and one range check per field.
    mutating func withFields<Result>(_ body: (inout MutableRawSpan) -> Result) -> Result {
        // `mutableBytes` is unsafe because any bit pattern could be stored into the elements;
        // for `UInt8` elements every bit pattern is valid, and `storeBytes` checks the range.
        var span = bytes.mutableSpan
        var raw = unsafe span.mutableBytes
        return body(&raw)
    }

    /// Sets `field` of the structure that starts at `base` to `value`.
    mutating func set<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at field: Field<T>, base: Int = 0) {
        set(value, at: field.at(base))
    }

    /// Sets the bytes of `field` of the structure that starts at `base`.
    ///
    /// - Precondition: `value` has exactly `field.count` bytes.
    mutating func set(bytes value: [UInt8], at field: ByteField, base: Int = 0) {
        precondition(value.count == field.count, "a byte field's value has another length")
        bytes.replaceSubrange((base + field.offset)..<(base + field.end), with: value)
    }
}

/// Setting the fields of a structure in a ``ByteWriter``'s bytes (``ByteWriter/withFields(_:)``).
extension MutableRawSpan {
    /// Overwrites a little-endian value at `offset` (range-checked).
    mutating func set<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    /// Sets `field` of the structure that starts at `base` to `value`.
    mutating func set<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at field: Field<T>, base: Int = 0) {
        set(value, at: field.at(base))
    }

    /// Sets `field` of the structure that starts at `base` to `value` without a range check: for
    /// a structure whose whole range the caller checked once (a directory's column record).
    ///
    /// - Precondition (unchecked): the field lies inside the span.
    @unsafe @inline(__always)
    mutating func setUnchecked<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at field: Field<T>, base: Int) {
        unsafe storeBytes(of: value.littleEndian, toUncheckedByteOffset: base + field.offset, as: T.self)
    }
}
