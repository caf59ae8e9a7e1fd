import ColFile

/// The JSON object `colfile dataset inspect --json` prints (the Python package's
/// `ShardedDataset.inspect()` returns the same object).
///
/// Keys are sorted so the output is stable. The schema's columns have the keys of the manifest's
/// schema (Specification.md §14.3); a shard's directory CRC-32 is 8 lowercase hex digits.
enum DatasetJSON {
    /// The JSON text describing `dataset`.
    static func render(_ dataset: ColFileDataset) throws -> String {
        let object: [String: any JSONRepresentable] = [
            "path": dataset.path,
            "version": dataset.version,
            "rows": dataset.rowCount,
            "fileBytes": dataset.fileBytes,
            "metadata": dataset.metadata,
            "schema": dataset.schema.map(column),
            "shards": dataset.shards.map(shard),
        ]
        return try JSONText.sorted(JSONValue(object))
    }

    private static func column(_ column: DatasetColumn) -> JSONValue {
        var object: [String: any JSONRepresentable] = [
            "name": column.name,
            "type": column.physicalType.description,
            "shape": column.shape,
            "nullable": column.isNullable,
        ]
        switch column.logicalType {
        case .none, .unknown:
            object["logicalType"] = "none"
        case .date:
            object["logicalType"] = "Date"
        case .timestamp(let unit, let timeZone):
            object["logicalType"] = "Timestamp"
            object["timeUnit"] = unit.description
            if let timeZone { object["timeZone"] = timeZone }
        }
        return JSONValue(object)
    }

    private static func shard(_ shard: DatasetShard) -> JSONValue {
        JSONValue([
            "name": shard.name,
            "rows": shard.rowCount,
            "firstRow": shard.firstRow,
            "fileBytes": shard.fileBytes,
            "fileId": shard.identity.fileIDHex,
            "directoryCRC": TextFormatting.hex(shard.identity.directoryChecksum, width: 8),
            "identity": shard.identity.description,
        ])
    }
}
