import ColFileCSV
import Testing

/// Option lists (`--columns`, `--compress`, `--schema`) are read as one CSV record, so any column
/// name can be given, and a schema's text spells every name so that it reads back.
@Suite struct NameListTests {
    @Test(arguments: [
        ("a,b", ["a", "b"]),
        ("a", ["a"]),
        ("", [""]),
        ("a,,b", ["a", "", "b"]),
        ("\"a,b\",c", ["a,b", "c"]),
        ("\"say \"\"hi\"\"\",x", ["say \"hi\"", "x"]),
        ("5'10\",x", ["5'10\"", "x"]),
        ("\"\",x", ["", "x"]),
        ("\"a,b:int64\",c:date", ["a,b:int64", "c:date"]),
        ("é,ü", ["é", "ü"]),
    ])
    func splitsLikeACSVRecord(text: String, items: [String]) throws {
        #expect(try NameList.split(text, option: "--columns") == items)
    }

    @Test(arguments: [
        ("\"a,b", "--columns: a quoted name is not closed (write a quote inside one as \"\")"),
        ("\"a\"b,c", "--columns: text follows the closing quote of a quoted name"),
    ])
    func badQuotingIsRefused(text: String, message: String) {
        let failure = #expect(throws: CSVError.self) { try NameList.split(text, option: "--columns") }
        #expect(failure?.description == message)
        #expect(failure?.kind == .invalidOption)
    }

    @Test(arguments: ["plain", "a,b", "\"quoted\"", "in \"the\" middle", ",", "\"", ""])
    func spellingReadsBack(name: String) throws {
        #expect(try NameList.split(NameList.spelling(name) + "," + NameList.spelling(name), option: "x") == [name, name])
    }
}
