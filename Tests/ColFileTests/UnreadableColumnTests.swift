import ColFile
import ColFileTestSupport
import Testing

/// A column of a physical type or codec this reader does not know does not make the file
/// unreadable (Specification.md §9 step 14.2, §10): the file opens, that column is refused with
/// its error when asked for, every other column reads as usual.
@Suite struct UnreadableColumnTests {
    @Test(arguments: ["unknown-physical-type", "unknown-codec"])
    func onlyTheUnknownColumnIsRefused(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let reader = try ColFileReader.open(fixture.path)
        let unknown = try reader.info("id")
        #expect(unknown.unreadable?.code == fixture.code)
        #expect(try reader.info("name").unreadable == nil)
        let names = try reader.stringColumn("name")
        #expect(names.indices.map { names.value(at: $0) } == ["a", "bc", nil])
        for read in [{ _ = try reader.column("id", as: Int32.self) }, { _ = try reader.chunkedColumn("id") },
                     { _ = try reader.statistics("id") }, { try reader.verify(column: "id") }, { try reader.verify() }] {
            let error = #expect(throws: ColFileError.self) { try read() }
            #expect(error == unknown.unreadable, "\(name)")
        }
    }

    /// Such a column still gets the checks that do not depend on its type: here, its buffer
    /// placed over the next column's, found on the next column's first use (Specification.md §9).
    @Test func anUnknownColumnsBuffersMustStillBePlacedRight() throws {
        var file = FileBytes(try Files.read(GoldenFixtures.named("spec-example").path))
        file.store(200, ColumnRecordLayout.physicalType, at: file.recordOffset(0))
        file.store(UInt64(file.bufferOffset(column: 1, slot: 0)), BufferDescriptorLayout.offset,
                   at: file.descriptorOffset(column: 0, slot: 2))
        file.resealDirectory()
        let reader = try ColFileReader.open(bytes: file.bytes)
        #expect(try reader.info("id").unreadable?.code == .unknownPhysicalType)
        let error = #expect(throws: ColFileError.self) { try reader.info("name") }
        #expect(error?.code == .overlappingBuffers)
    }
}

/// What the directory says of an unreadable column's type (its shape, its time zone) was not
/// checked, so describing the column does not read it: the description has no shape and no zone.
@Test func anUnreadableColumnsUncheckedFieldsAreNotRead() throws {
    var file = FileBytes(try Files.read(GoldenFixtures.named("spec-example").path))
    let record = file.recordOffset(0)
    file.store(200, ColumnRecordLayout.physicalType, at: record)
    file.store(3, ColumnRecordLayout.rank, at: record)
    file.store(0xFFFF, ColumnRecordLayout.shapeOffset, at: record)
    file.store(1, ColumnRecordLayout.logicalType, at: record)
    file.store(0xFFF0, ColumnRecordLayout.timeZoneOffset, at: record)
    file.store(8, ColumnRecordLayout.timeZoneLength, at: record)
    file.resealDirectory()
    let reader = try ColFileReader.open(bytes: file.bytes)
    let info = try reader.info("id")
    #expect(info.unreadable?.code == .unknownPhysicalType)
    #expect(info.shape == [] && info.logicalType == .timestamp(unit: .seconds, timeZone: nil))
    #expect(try reader.columns.count == 2)
}
