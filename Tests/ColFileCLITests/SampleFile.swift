import ColFile
import ColFileTestSupport

/// A small file with one column of each kind the tool reports on, written with `ColFileWriter`.
enum SampleFile {
    /// The number of rows.
    static let rows = 100
    /// The file id the sample is written with, so its identity is known.
    static let fileID: [UInt8] = Array(0..<16)
    /// The column names, in file order.
    static let columnNames = ["price", "count", "name", "flag", "ts", "day", "vec", "blob"]

    /// Writes the sample into `folder` and returns its path.
    static func write(in folder: TemporaryFolder, name: String = "sample.col") throws -> String {
        let path = folder.file(name)
        let writer = try ColFileWriter(path: path, options: .init(fileID: fileID))
        writer.metadata = ["source": "cli-tests", "version": "1"]
        let rows = 0..<rows
        try writer.addColumn("price", rows.map { $0 % 10 == 9 ? nil : Double($0) * 1.25 } as [Double?],
                             metadata: ["unit": "USD"])
        try writer.addColumn("count", rows.map { Int32($0 * 3 - 50) })
        try writer.addColumn("name", rows.map { $0 % 7 == 0 ? nil : "row \($0) ✓" } as [String?])
        try writer.addColumn("flag", rows.map { $0 % 5 == 0 ? nil : $0 % 2 == 0 } as [Bool?])
        try writer.addColumn("ts", rows.map { 1_700_000_000_000 + Int64($0) },
                             logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
        try writer.addColumn("day", rows.map { Int32(19_000 + $0) }, logicalType: .date)
        try writer.addTensorColumn("vec", shape: [2, 2], rows.flatMap { row in (0..<4).map { Float(row * 4 + $0) } })
        try writer.addBinaryColumn("blob", rows.map { [UInt8](repeating: UInt8($0), count: $0 % 4) })
        try writer.finish()
        return path
    }
}
