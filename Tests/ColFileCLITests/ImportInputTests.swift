import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Where `colfile import` reads from: standard input (a pipe or a redirected file), and inputs
/// that are not CSV files.
@Suite struct ImportInputTests {
    /// The rows of the importer's sample pass (`CSVImporter.sampleRows`), which a test exceeds.
    private static let sampleRows = 10_000

    /// Runs `command` in bash with `$0` the colfile tool and `$1` the folder.
    private func shell(_ command: String, in folder: TemporaryFolder) async throws -> ProcessOutput {
        try await ProcessRunner.run("/bin/bash", ["-c", command, RepositoryPaths.executable("colfile"), folder.path])
    }

    @Test func pipeOnStandardInputIsReadAgainWhenATypeWidens() async throws {
        let folder = try TemporaryFolder("cli-import-stdin-pipe")
        var csv = "n,s\n"
        for row in 0..<(Self.sampleRows + 50) { csv += "\(row),\"r\(row)\"\n" }
        csv += "0.5,last\n"
        _ = try CSVFixtures.write(csv, in: folder)
        let result = try await shell("cat \"$1/input.csv\" | \"$0\" import - \"$1/out.col\"", in: folder)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.outputLines.first?.hasPrefix("imported 10,051 rows × 2 columns from stdin (") == true)
        #expect(result.outputLines.last == "note: row 10051, column 'n': '0.5' did not fit int64, "
                + "so the file was read again with wider types")
        let reader = try ColFileReader.open(folder.file("out.col"))
        let n = try reader.column("n", as: Double.self)
        #expect(n[0] == 0 && n[10_049] == 10_049 && n[10_050] == 0.5)
        #expect(try reader.stringColumn("s")[10_050] == "last")
    }

    @Test func redirectedFileOnStandardInput() async throws {
        let folder = try TemporaryFolder("cli-import-stdin-file")
        _ = try CSVFixtures.write(CSVFixtures.small, in: folder)
        let result = try await shell("\"$0\" import -q - \"$1/out.col\" < \"$1/input.csv\"", in: folder)
        #expect(result.exitCode == 0 && result.standardOutput.isEmpty && result.standardError.isEmpty)
        #expect(try ColFileReader.open(folder.file("out.col")).rowCount == 4)
    }

    @Test func emptyStandardInputAndBadDataNameStdin() async throws {
        let folder = try TemporaryFolder("cli-import-stdin-bad")
        let empty = try await shell("\"$0\" import - \"$1/out.col\" < /dev/null", in: folder)
        #expect(empty.exitCode == 1)
        #expect(empty.errorLines == ["colfile: stdin: the file is empty (no header row and no data)"])
        let ragged = try await shell("printf 'a,b\\n1\\n' | \"$0\" import - \"$1/out.col\"", in: folder)
        #expect(ragged.exitCode == 1)
        #expect(ragged.errorLines == ["colfile: stdin: row 1 has 1 field, expected 2"])
    }

    @Test func outputThatIsTheInputIsRefused() async throws {
        let folder = try TemporaryFolder("cli-import-same")
        let input = try CSVFixtures.write("a\n1\n", in: folder)
        let result = try await ProcessRunner.colfile("import", input, input)
        #expect(result.exitCode == 2)
        #expect(result.errorLines == ["colfile: \(input): is the input file; give another OUTPUT"])
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a\n1\n")
    }

    @Test func folderIsNotACSVFile() async throws {
        let folder = try TemporaryFolder("cli-import-folder")
        let result = try await ProcessRunner.colfile("import", folder.path, folder.file("out.col"))
        #expect(result.exitCode == 2)
        #expect(result.errorLines == ["colfile: \(folder.path): is a folder, not a CSV file"])
    }

    /// Every column streams into the writer's one scratch file: a CSV of 10,000 columns imports
    /// under a limit of 64 open files (issue #16: it needed three per column). Every third
    /// column is text, quoted (with the delimiter inside) or null, so the fields the importer
    /// places column by column have other lengths from column to column and record to record.
    @Test func wideCSVUnderALowOpenFileLimit() async throws {
        let folder = try TemporaryFolder("cli-import-wide")
        let columns = 10_000
        func field(row: Int, column: Int) -> String {
            guard column % 3 == 2 else { return String(row * column) }
            return row == 1 ? "" : "\"t \(row), \(column)\""
        }
        var csv = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<3 { csv += (0..<columns).map { field(row: row, column: $0) }.joined(separator: ",") + "\n" }
        _ = try CSVFixtures.write(csv, in: folder)
        let capped = try await shell("ulimit -n 64 && \"$0\" import -q \"$1/input.csv\" \"$1/out.col\"", in: folder)
        #expect(capped.exitCode == 0, "\(capped.standardError)")
        let reader = try ColFileReader.open(folder.file("out.col"))
        #expect(reader.columnCount == columns)
        #expect(Array(try reader.column("c9999", as: Int64.self)) == [0, 9_999, 19_998])
        #expect(Array(try reader.stringColumn("c9998")) == ["t 0, 9998", nil, "t 2, 9998"])
        #expect(Array(try reader.column("c64", as: Int64.self)) == [0, 64, 128])
    }
}
