import ColFileTool
import ColFile
import ColFileTestSupport
import Testing

/// `colfile export` appends each cell's bytes (``CellByteWriter``); `head`'s tables and the
/// writer's own fallback print through ``ColumnCells`` and ``CellText``. Both must give the same
/// text for every cell: every column of every golden fixture (every type, nulls, extreme values).
@Suite struct CellByteWriterTests {
    static let paths = GoldenFixtures.all.map(\.path)

    @Test(arguments: paths)
    func bytesEqualTheCellTexts(path: String) throws {
        let reader = try ColFileReader.open(path)
        for info in try reader.columns {
            let cells = try ColumnCells(reader, info)
            for format in RowFormat.allCases {
                let writer = try CellByteWriter(reader, info, cells: cells, format: format)
                for row in 0..<reader.rowCount {
                    var bytes: [UInt8] = []
                    try writer.append(row: row, to: &bytes)
                    let text = format == .csv ? CellText.csv(try cells.cell(row)) : CellText.json(try cells.cell(row))
                    #expect(String(decoding: bytes, as: UTF8.self) == text, "\(path) \(info.name) row \(row) \(format)")
                }
            }
        }
    }

    /// A column read through its chunks (`head`, `export --rows`) gives the cells the whole
    /// decoded column gives, and the bytes of them, for every golden file (cold columns of both
    /// codecs, dictionary-encoded and tensor columns among them).
    @Test(arguments: paths)
    func cellsReadThroughChunksEqualTheWholeColumns(path: String) throws {
        let reader = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .privateMemory))
        for info in try reader.columns {
            let whole = try ColumnCells(reader, info)
            let chunked = try ColumnCells(chunksOf: reader, info)
            #expect(chunked.readsChunks == info.isCompressed, "\(path) \(info.name)")
            let writer = try CellByteWriter(reader, info, cells: chunked, format: .jsonl)
            for row in 0..<reader.rowCount {
                let cell = try chunked.cell(row), expected = try whole.cell(row)
                #expect(CellText.json(cell) == CellText.json(expected) && CellText.csv(cell) == CellText.csv(expected),
                        "\(path) \(info.name) row \(row)")
                var bytes: [UInt8] = []
                try writer.append(row: row, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == CellText.json(expected), "\(path) \(info.name) row \(row)")
            }
        }
    }

    /// The quoting and escaping rules, on the cases that need them.
    @Test func quotingAndEscaping() {
        let cases: [(String, csv: String, json: String)] = [
            ("plain", "plain", "\"plain\""),
            ("", "\"\"", "\"\""),
            ("NA", "\"NA\"", "\"NA\""),
            ("null", "\"null\"", "\"null\""),
            ("NULL", "\"NULL\"", "\"NULL\""),
            ("a,b", "\"a,b\"", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \\\"hi\\\"\""),
            (" lead", "\" lead\"", "\" lead\""),
            ("two\nlines\r", "\"two\nlines\r\"", "\"two\\nlines\\r\""),
            ("tab\there\u{1}\\", "tab\there\u{1}\\", "\"tab\\there\\u0001\\\\\""),
            ("é日本", "é日本", "\"é日本\""),
        ]
        for (text, csv, json) in cases {
            #expect(CellText.quotedIfNeeded(text) == csv, "\(text)")
            #expect(CellText.jsonString(text) == json, "\(text)")
        }
    }
}
