import ColFile

/// The readable output of `colfile dataset`: a version's summary, and what a publish or a
/// garbage collection did.
enum DatasetText {
    /// The summary of a dataset version: facts, metadata, the schema, then one line per shard.
    static func render(_ dataset: ColFileDataset) -> String {
        var lines = ["\(dataset.path): dataset version \(dataset.version)"]
        let facts = [
            ("shards", TextFormatting.grouped(dataset.shards.count)),
            ("rows", TextFormatting.grouped(dataset.rowCount)),
            ("size", "\(TextFormatting.grouped(dataset.fileBytes)) bytes (\(TextFormatting.bytes(dataset.fileBytes)))"),
        ]
        lines += facts.map { "  " + $0.0.padded(toWidth: 10) + $0.1 }
        lines += InspectText.metadataLines(dataset.metadata, title: "metadata")
        var schema = TextTable([("column", .left), ("type", .left), ("logical", .left), ("shape", .left),
                                ("nullable", .left)])
        for column in dataset.schema {
            schema.rows.append([
                TextFormatting.escapingControls(column.name), column.physicalType.description,
                column.logicalType == .none ? "-" : column.logicalType.description,
                column.shape.isEmpty ? "-" : "[" + column.shape.map(String.init).joined(separator: ", ") + "]",
                column.isNullable ? "yes" : "no",
            ])
        }
        if !dataset.schema.isEmpty {
            lines.append("")
            lines += schema.lines(indent: "  ")
        }
        var shards = TextTable([("shard", .left), ("rows", .right), ("first row", .right), ("bytes", .right),
                                ("identity", .left)])
        for shard in dataset.shards {
            shards.rows.append([
                TextFormatting.escapingControls(shard.name), TextFormatting.grouped(shard.rowCount),
                TextFormatting.grouped(shard.firstRow), TextFormatting.grouped(shard.fileBytes),
                shard.identity.description,
            ])
        }
        if !dataset.shards.isEmpty {
            lines.append("")
            lines += shards.lines(indent: "  ")
        }
        return lines.joined(separator: "\n")
    }

    /// `FOLDER: version 3 published (4 shards, 1,000 rows)`.
    static func published(_ dataset: ColFileDataset) -> String {
        "\(dataset.path): version \(dataset.version) published (\(TextFormatting.grouped(dataset.shards.count)) shards, "
            + "\(TextFormatting.grouped(dataset.rowCount)) rows)"
    }

    /// One line per removed (or, in a dry run, removable) manifest and file and per young file
    /// kept, then a summary line.
    static func render(_ report: DatasetGarbageReport, folder: String, dryRun: Bool) -> String {
        let verb = dryRun ? "would remove" : "removed"
        var lines = report.removedVersions.map { "\(verb) version \($0)" }
        lines += report.removedFiles.map { "\(verb) \(folder)/\(TextFormatting.escapingControls($0))" }
        lines += report.youngFiles.map {
            "kept \(folder)/\(TextFormatting.escapingControls($0)) (no kept version names it, but it changed within the grace period)"
        }
        let kept = report.keptVersions.count == 1 ? "version \(report.keptVersions[0])"
            : "versions \(report.keptVersions.first!)-\(report.keptVersions.last!)"
        var summary = "\(folder): newest version \(report.newestVersion); kept \(kept); \(verb) "
            + counted(report.removedVersions.count, "manifest") + " and " + counted(report.removedFiles.count, "file")
            + " "
            + "(\(TextFormatting.bytes(report.removedBytes)))"
        if !report.heldLock { summary += "; the file system has no locks: only --grace protected writers" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// `1 file`, `2 files`, `0 files`.
    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
