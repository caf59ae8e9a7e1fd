import ColFile
import ColFileTestSupport
import Testing

/// A Timestamp column's time zone is an offset `±HH:MM` or a zone name in the IANA style
/// (Specification.md §6.2): the writer refuses any other text, and a reader refuses a file that
/// holds one (the broken fixture `bad-time-zone`).
@Suite struct TimeZoneTests {
    @Test(arguments: ["UTC", "Europe/Paris", "America/Port-au-Prince", "Etc/GMT+5", "America/Argentina/Buenos_Aires",
                      "+01:00", "-09:30", "+23:59", "-00:00"])
    func validZonesRoundTrip(zone: String) throws {
        let folder = try TemporaryFolder("zones")
        let writer = try ColFileWriter(path: folder.file("z.col"))
        try writer.addColumn("at", [1, 2] as [Int64], logicalType: .timestamp(unit: .milliseconds, timeZone: zone))
        try writer.finish()
        let info = try ColFileReader.open(folder.file("z.col")).info("at")
        #expect(info.logicalType == .timestamp(unit: .milliseconds, timeZone: zone))
    }

    @Test(arguments: ["Europe Paris", "/UTC", "UTC/", "Europe//Paris", "1Zone", "+24:00", "+01:60", "+1:00",
                      "01:00", "Zürich", "UTC\u{0}"])
    func invalidZonesAreRefusedByTheWriter(zone: String) throws {
        let folder = try TemporaryFolder("zones")
        let writer = try ColFileWriter(path: folder.file("z.col"))
        let error = #expect(throws: ColFileError.self) {
            try writer.addColumn("at", [1] as [Int64], logicalType: .timestamp(unit: .seconds, timeZone: zone))
        }
        #expect(error?.code == .invalidArgument, "\(zone)")
    }
}
