import ColFile

/// The JSON object `colfile inspect --json` prints.
///
/// Keys are sorted so the output is stable. Checksums are CRC-32 values as 8 lowercase hex digits;
/// offsets and lengths are numbers of bytes.
enum InspectJSON {
    /// The JSON text describing the file `reader` has open.
    static func render(_ reader: ColFileReader) throws -> String {
        let object: [String: any JSONRepresentable] = [
            "path": reader.path,
            "formatVersion": reader.formatVersion,
            "fileId": reader.identity.fileIDHex,
            "identity": reader.identity.description,
            "fileBytes": reader.fileBytes,
            "rows": reader.rowCount,
            "metadata": reader.metadata,
            "columns": try reader.columns.map(column),
        ]
        return try JSONText.sorted(JSONValue(object))
    }

    private static func column(_ info: ColumnInfo) -> JSONValue {
        var object: [String: any JSONRepresentable] = [
            "name": info.name,
            "index": info.index,
            "type": info.physicalType.description,
            "shape": info.shape,
            "nullable": info.isNullable,
            "nullCount": info.nullCount,
            "storedBytes": info.storedBytes,
            "rawBytes": info.rawBytes,
            "codec": info.codec.description,
            "compressionRatio": info.rawBytes > 0 ? Double(info.storedBytes) / Double(info.rawBytes) : 1.0,
            "metadata": info.metadata,
            "buffers": info.buffers.map(buffer),
        ]
        if let dictionary = info.dictionary {
            // Dictionary-encoded (Specification.md §6.4): type is `Dictionary`.
            object["dictionary"] = JSONValue([
                "indexType": dictionary.indexType.description,
                "valueType": dictionary.valueType.description,
                "entryCount": dictionary.entryCount,
            ])
        }
        if let unreadable = info.unreadable {
            // A type or codec this version does not know (Specification.md §9 step 14.2).
            object["type"] = "unknown"
            object["codec"] = "unknown"
            object["unreadable"] = unreadable.message
        }
        switch info.logicalType {
        case .none:
            object["logicalType"] = "none"
        case .date:
            object["logicalType"] = "Date"
        case .timestamp(let unit, let timeZone):
            object["logicalType"] = "Timestamp"
            object["timeUnit"] = unit.description
            object["timeZone"] = timeZone.jsonValue
        case .unknown(let code):
            object["logicalType"] = "unknown"
            object["logicalTypeCode"] = Int(code)
        }
        return JSONValue(object)
    }

    private static func buffer(_ buffer: BufferInfo) -> JSONValue {
        var object: [String: any JSONRepresentable] = [
            "role": buffer.role.description,
            "offset": buffer.offset,
            "storedLength": buffer.storedLength,
            "decodedLength": buffer.decodedLength,
            "checksum": TextFormatting.hex(buffer.checksum, width: 8),
        ]
        if buffer.chunkCount > 0 {
            object["chunkCount"] = buffer.chunkCount
            object["chunkSize"] = buffer.chunkSize
        }
        return JSONValue(object)
    }
}
