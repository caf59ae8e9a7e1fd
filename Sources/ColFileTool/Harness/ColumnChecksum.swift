import ColFile

/// A 64-bit FNV-1a hash of every value of a column, as read through the library's public views.
///
/// Two processes that compute the same checksum for a column read identical values. Each row adds
/// a tag byte, 0 for a null row (nothing follows) or 1 for a valid row, followed by the value:
/// - fixed-width columns: the little-endian bytes of the value (of every element, for tensor rows);
/// - Bool columns: one byte, 0 or 1;
/// - String and Binary columns: the length as a little-endian UInt64, then the bytes;
/// - dictionary-encoded columns: each row's value read through the dictionary, as a plain column
///   of the dictionary's value type hashes it (so a column hashes the same plain or encoded).
package struct ColumnChecksum {
    /// The FNV-1a 64-bit offset basis.
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV-1a 64-bit prime.
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the bytes added so far.
    package private(set) var value = offsetBasis

    /// Adds one byte.
    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    /// Adds the in-memory bytes of `element`, which are its little-endian bytes (colfile readers
    /// run only on little-endian hosts).
    mutating func add<Element: BitwiseCopyable>(bytesOf element: Element) {
        unsafe withUnsafeBytes(of: element) { bytes in
            for unsafe byte in unsafe bytes { add(byte) }
        }
    }

    /// Adds a row tag: whether the row is null.
    mutating func add(isNull: Bool) {
        add(isNull ? 0 : 1)
    }

    /// Adds a variable-length value: its length, then its bytes.
    mutating func add(lengthPrefixed bytes: MappedBytes) {
        add(bytesOf: UInt64(bytes.count))
        for byte in bytes { add(byte) }
    }

    /// The checksum of column `name` of `reader`, read value by value.
    ///
    /// - Parameters:
    ///   - name: The column.
    ///   - reader: The open file.
    ///   - rowStride: Hash rows 0, `rowStride`, 2 × `rowStride`, …; 1 (the default) hashes every row.
    /// - Throws: ``ColFileError`` when the column does not exist or its values cannot be served.
    package static func of(column name: String, in reader: ColFileReader, rowStride: Int = 1) throws -> ColumnChecksum {
        precondition(rowStride >= 1, "rowStride must be at least 1")
        let info = try reader.info(name)
        let stride = rowStride
        if info.isDictionaryEncoded {
            return try dictionary(reader.dictionaryColumn(name), rows: Swift.stride(from: 0, to: info.rowCount, by: stride))
        }
        switch info.physicalType {
        case .int8: return try fixedWidth(name, in: reader, as: Int8.self, rowStride: stride)
        case .int16: return try fixedWidth(name, in: reader, as: Int16.self, rowStride: stride)
        case .int32: return try fixedWidth(name, in: reader, as: Int32.self, rowStride: stride)
        case .int64: return try fixedWidth(name, in: reader, as: Int64.self, rowStride: stride)
        case .uint8: return try fixedWidth(name, in: reader, as: UInt8.self, rowStride: stride)
        case .uint16: return try fixedWidth(name, in: reader, as: UInt16.self, rowStride: stride)
        case .uint32: return try fixedWidth(name, in: reader, as: UInt32.self, rowStride: stride)
        case .uint64: return try fixedWidth(name, in: reader, as: UInt64.self, rowStride: stride)
        case .float16: return try fixedWidth(name, in: reader, as: Float16.self, rowStride: stride)
        case .float32: return try fixedWidth(name, in: reader, as: Float.self, rowStride: stride)
        case .float64: return try fixedWidth(name, in: reader, as: Double.self, rowStride: stride)
        case .bool:
            let column = try reader.boolColumn(name)
            var hash = ColumnChecksum()
            for row in Swift.stride(from: 0, to: column.count, by: stride) {
                let value = column.value(at: row)
                hash.add(isNull: value == nil)
                if let value { hash.add(value ? 1 : 0) }
            }
            return hash
        case .string, .largeString:
            let column = try reader.stringColumn(name)
            return variableLength(rows: Swift.stride(from: 0, to: column.count, by: stride)) {
                column.isNull($0) ? nil : column.bytes(at: $0)
            }
        case .binary, .largeBinary:
            let column = try reader.binaryColumn(name)
            return variableLength(rows: Swift.stride(from: 0, to: column.count, by: stride)) { column.value(at: $0) }
        case .dictionary:
            preconditionFailure("dictionary-encoded columns are hashed through their dictionary")
        }
    }

    /// The checksum of the rows `rows` of a dictionary-encoded column: each row's value as a
    /// plain column of the value type would give it.
    private static func dictionary(_ column: DictionaryColumn, rows: StrideTo<Int>) -> ColumnChecksum {
        let entries = column.dictionary
        if entries.valueType.offsetWidth != nil {
            return variableLength(rows: rows) { column.bytes(at: $0) }
        }
        func fixed<Element: FixedWidthElement>(_ type: Element.Type) -> ColumnChecksum {
            var hash = ColumnChecksum()
            for row in rows {
                let value = column.value(at: row, as: type)
                hash.add(isNull: value == nil)
                if let value { hash.add(bytesOf: value) }
            }
            return hash
        }
        switch entries.valueType {
        case .int8: return fixed(Int8.self)
        case .int16: return fixed(Int16.self)
        case .int32: return fixed(Int32.self)
        case .int64: return fixed(Int64.self)
        case .uint8: return fixed(UInt8.self)
        case .uint16: return fixed(UInt16.self)
        case .uint32: return fixed(UInt32.self)
        case .uint64: return fixed(UInt64.self)
        case .float16: return fixed(Float16.self)
        case .float32: return fixed(Float.self)
        default: return fixed(Double.self)
        }
    }

    private static func fixedWidth<Element: FixedWidthElement>(
        _ name: String, in reader: ColFileReader, as type: Element.Type, rowStride: Int
    ) throws -> ColumnChecksum {
        var hash = ColumnChecksum()
        if try reader.info(name).shape.isEmpty {
            let column = try reader.column(name, as: Element.self)
            for row in stride(from: 0, to: column.count, by: rowStride) {
                let value = column.value(at: row)
                hash.add(isNull: value == nil)
                if let value { hash.add(bytesOf: value) }
            }
        } else {
            let column = try reader.tensorColumn(name, as: Element.self)
            for row in stride(from: 0, to: column.count, by: rowStride) {
                let values = column[row]
                hash.add(isNull: values == nil)
                if let values {
                    for element in values { hash.add(bytesOf: element) }
                }
            }
        }
        return hash
    }

    private static func variableLength(rows: StrideTo<Int>, value: (Int) -> MappedBytes?) -> ColumnChecksum {
        var hash = ColumnChecksum()
        for row in rows {
            let bytes = value(row)
            hash.add(isNull: bytes == nil)
            if let bytes { hash.add(lengthPrefixed: bytes) }
        }
        return hash
    }
}
