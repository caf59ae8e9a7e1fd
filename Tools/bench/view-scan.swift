// Row-at-a-time reads of a fixed-width column through the views that serve both encodings
// (`anyColumn(_:as:)`, `anyStringColumn(_:)`) and through `DictionaryColumn.value(at:as:)`, against the zero-copy array
// (`column(_:as:).values`): 10 M Int64 rows, plain and dictionary-encoded (1,000 entries); best of 5,
// ns per row. BENCHMARKS.md, "Session 22". A client package, so that the library's views are used
// across the module boundary as a user's code uses them:
//   mkdir -p /tmp/view-scan/Sources/view-scan && cp Tools/bench/view-scan.swift /tmp/view-scan/Sources/view-scan/main.swift
//   cat > /tmp/view-scan/Package.swift <<'END'
//   // swift-tools-version: 6.0
//   import PackageDescription
//   let package = Package(name: "view-scan", dependencies: [.package(path: "REPOSITORY")],
//       targets: [.executableTarget(name: "view-scan", dependencies: [.product(name: "ColFile", package: "REPOSITORY-FOLDER-NAME")])])
//   END
//   cd /tmp/view-scan && swift build -c release && .build/release/view-scan
import ColFile
import Foundation

let rows = 10_000_000
let path = NSTemporaryDirectory() + "/view-scan.col"
if !FileManager.default.fileExists(atPath: path) {
    let writer = try ColFileWriter(path: path, options: .init(syncsToDisk: false))
    try writer.addColumn("plain", (0..<rows).map { Int64($0 % 1000) })
    try writer.addDictionaryColumn("encoded", indices: (0..<rows).map { $0 % 1000 }, dictionary: .values((0..<1000).map(Int64.init)))
    try writer.addColumn("text", (0..<rows).map { "v\($0 % 1000)" })
    try writer.addDictionaryColumn("encoded-text", encoding: (0..<rows).map { "v\($0 % 1000)" })
    try writer.finish()
}
let reader = try ColFileReader.open(path)
func time(_ label: String, _ body: () -> Int64) {
    var best = Double.infinity
    var result: Int64 = 0
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        result = body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rows))
    }
    print(label, String(format: "%.2f ns/row", best), result)
}
let plain = try reader.column("plain", as: Int64.self)
time("column().values") { plain.values.reduce(0, &+) }
let anyPlain = try reader.anyColumn("plain", as: Int64.self)
time("anyColumn plain") { var s: Int64 = 0; for i in 0..<anyPlain.count { s &+= anyPlain.storedValue(at: i) }; return s }
let anyEncoded = try reader.anyColumn("encoded", as: Int64.self)
time("anyColumn encoded") { var s: Int64 = 0; for i in 0..<anyEncoded.count { s &+= anyEncoded.storedValue(at: i) }; return s }
let dictionary = try reader.dictionaryColumn("encoded")
time("dictionaryColumn value(at:)") { var s: Int64 = 0; for i in 0..<dictionary.count { s &+= dictionary.value(at: i, as: Int64.self) ?? 0 }; return s }
time("dictionaryColumn indices[row]") { var s: Int64 = 0; for i in 0..<dictionary.count { s &+= Int64(dictionary.indices[i] ?? 0) }; return s }
let text = try reader.stringColumn("text")
time("stringColumn byteCount(at:)") { var s: Int64 = 0; for i in 0..<text.count { s &+= Int64(text.byteCount(at: i)) }; return s }
time("stringColumn storedValue(at:).utf8.count") { var s: Int64 = 0; for i in 0..<text.count { s &+= Int64(text.storedValue(at: i).utf8.count) }; return s }
for name in ["text", "encoded-text"] {
    let strings = try reader.anyStringColumn(name)
    time("anyStringColumn \(name) byteCount(at:)") { var s: Int64 = 0; for i in 0..<strings.count { s &+= Int64(strings.byteCount(at: i)) }; return s }
    time("anyStringColumn \(name) storedValue(at:).utf8.count") { var s: Int64 = 0; for i in 0..<strings.count { s &+= Int64(strings.storedValue(at: i).utf8.count) }; return s }
}
