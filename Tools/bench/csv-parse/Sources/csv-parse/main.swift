import ColFileCSV
import CSV
import Foundation
import SystemPackage

// Usage: csv-parse FILE [ROUNDS]. Each round parses FILE once with each parser, in turn, counting
// fields (so neither parser's work can be skipped); prints each parser's median MB/s and their ratio.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: csv-parse FILE [ROUNDS]")
    exit(2)
}
let path = arguments[1]
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)

/// Fields counted by CSV.swift's `CSVReader` (strings built per field, as it returns them).
func parseWithCSVSwift() throws -> Int {
    let reader = try CSVReader(stream: InputStream(fileAtPath: path)!, hasHeaderRow: false, trimFields: false,
                               delimiter: ",")
    var fields = 0
    while let row = reader.next() { fields += row.count }
    return fields
}

/// Fields counted by colfile's byte scanner.
func parseWithScanner() throws -> Int {
    let fd = try FileDescriptor.open(FilePath(path), .readOnly)
    defer { try? fd.close() }
    let scanner = CSVScanner(input: fd, delimiter: UInt8(ascii: ","))
    var fields = 0
    // In blocks of 4,096 records, as `colfile import` reads.
    while try scanner.nextRecords(4096, stoppingAt: 1 << 20) > 0 {
        fields += scanner.fieldEnds.count
        scanner.removeRecords()
    }
    return fields
}

func seconds(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let clock = ContinuousClock()
    var count = 0
    let elapsed = try clock.measure { count = try body() }
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, count)
}

var times: [String: [Double]] = ["CSV.swift": [], "scanner": []]
for _ in 0..<rounds {
    let (a, fieldsA) = try seconds(parseWithCSVSwift)
    let (b, fieldsB) = try seconds(parseWithScanner)
    precondition(fieldsA == fieldsB, "the parsers disagree: \(fieldsA) vs \(fieldsB) fields")
    times["CSV.swift"]!.append(a)
    times["scanner"]!.append(b)
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let csvSwift = size / median(times["CSV.swift"]!) / 1e6
let scanner = size / median(times["scanner"]!) / 1e6
print(String(format: "%.1f MB, %d rounds: CSV.swift %.1f MB/s, colfile scanner %.1f MB/s, ratio %.1f×",
             size / 1e6, rounds, csvSwift, scanner, scanner / csvSwift))
