/// What the writer is told about a column before its values: name, types, shape, metadata.
struct ColumnDeclaration: Sendable {
    /// The column's name: 1 to 1024 bytes of UTF-8, unique in the file.
    var name: String
    /// The physical type; for strings and binary the 32-bit form (the writer widens when needed).
    var physicalType: PhysicalType
    /// The logical type.
    var logicalType: LogicalType
    /// The shape of one row; empty for scalars.
    var shape: [Int]
    /// Key/value metadata.
    var metadata: [String: String]
    /// For a dictionary-encoded column (`physicalType` ``PhysicalType/dictionary``), the type of
    /// its dictionary's values, which the logical type must suit.
    var dictionaryValueType: PhysicalType? = nil

    /// Values in one row.
    var valuesPerRow: Int { shape.reduce(1, *) }

    /// Checks the declaration against the limits of Specification.md §8, as a reader would.
    func validate(context: ErrorContext) throws {
        // The context names the column only when an error is made (no copy of the name and
        // path for every column declared, 50,000 in an import of a wide table).
        func fail(_ message: String) -> ColFileError { context.about(column: name).error(.invalidArgument, message) }
        guard (1...FormatLimits.maxNameLength).contains(name.utf8.count) else {
            throw fail("column names must be 1 to \(FormatLimits.maxNameLength) bytes of UTF-8")
        }
        guard shape.count <= FormatLimits.maxRank else { throw fail("tensor rank must be at most \(FormatLimits.maxRank)") }
        if !shape.isEmpty {
            guard let elementSize = physicalType.elementSize else { throw fail("only fixed-width types can be tensors") }
            var rowBytes = elementSize
            for dimension in shape {
                guard dimension >= 1 else { throw fail("tensor dimensions must be at least 1") }
                let (product, overflow) = rowBytes.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= FormatLimits.maxTensorRowBytes else {
                    throw fail("tensor rows must be at most \(FormatLimits.maxTensorRowBytes) bytes")
                }
                rowBytes = product
            }
        }
        switch logicalType {
        case .none: break
        case .unknown: throw fail("unknown logical types cannot be written")
        case .timestamp(_, let zone):
            if let zone {
                guard (1...FormatLimits.maxTimeZoneLength).contains(zone.utf8.count) else {
                    throw fail("time zones must be 1 to \(FormatLimits.maxTimeZoneLength) bytes")
                }
                var text = zone
                guard text.withUTF8({ unsafe TimeZoneSyntax.isValid(ByteView(UnsafeRawBufferPointer($0))) }) else {
                    throw fail("time zones are offsets like +01:00 or zone names like Europe/Paris, not '\(zone)'")
                }
            }
            fallthrough
        case .date:
            guard (dictionaryValueType ?? physicalType) == logicalType.requiredPhysicalType, shape.isEmpty else {
                throw fail("\(logicalType) columns must be scalar \(logicalType.requiredPhysicalType!) columns")
            }
        }
        // No metadata is within every limit (a table column's: 50,000 of an import).
        if !metadata.isEmpty {
            try MetadataLimits.check(metadata, maxBlock: FormatLimits.maxColumnMetadataLength,
                                     context: context.about(column: name))
        }
    }
}

/// Checks key/value metadata against Specification.md §5.4 and §8 before it is written.
enum MetadataLimits {
    /// Throws ``ColFileError/Code/invalidArgument`` when `metadata` breaks a limit.
    static func check(_ metadata: [String: String], maxBlock: Int, context: ErrorContext) throws {
        guard metadata.count <= FormatLimits.maxMetadataEntries else {
            throw context.error(.invalidArgument, "metadata may have at most \(FormatLimits.maxMetadataEntries) entries")
        }
        var size = 4
        for (key, value) in metadata {
            guard (1...FormatLimits.maxMetadataKeyLength).contains(key.utf8.count) else {
                throw context.error(.invalidArgument,
                                    "metadata keys must be 1 to \(FormatLimits.maxMetadataKeyLength) bytes")
            }
            size += 8 + key.utf8.count + value.utf8.count
        }
        guard size <= maxBlock else {
            throw context.error(.invalidArgument, "metadata takes \(size) bytes, more than the \(maxBlock) allowed")
        }
    }
}
