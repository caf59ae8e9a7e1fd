import CSV
import Foundation

/// The records of a CSV file (RFC 4180, through yaslab/CSV.swift), with the column names and the
/// checks colfile adds: every record has as many fields as the header, blank lines are skipped
/// (in files of two or more columns), a UTF-8 byte-order mark is skipped, and text that is not
/// UTF-8 is an error. Reads the file in a stream: memory does not grow with its size.
final class CSVRecordSource {
    /// The input path, for messages.
    let path: String
    /// The column names: the header's fields, or `column_1`, `column_2`, … with `--no-header`
    /// (also for empty header fields).
    let names: [String]
    /// The number of data records returned so far (the header is not counted).
    private(set) var rowNumber = 0
    /// About how many bytes of the file have been read (the fields' UTF-8 bytes plus one per field).
    private(set) var bytesRead = 0
    private let reader: CSVReader
    private var pending: [String]?

    /// Opens `path` and reads its first record.
    ///
    /// - Throws: ``ToolFailure``: usage/I-O when the file cannot be opened, data when it is empty
    ///   or its header names a column twice.
    init(path: String, delimiter: UnicodeScalar, hasHeader: Bool) throws {
        self.path = path
        let descriptor = unsafe open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ToolFailure.usage("\(path): cannot open the file: \(unsafe String(cString: strerror(errno)))")
        }
        close(descriptor)
        guard let stream = InputStream(fileAtPath: path) else {
            throw ToolFailure.usage("\(path): cannot open the file")
        }
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        } catch {
            throw ToolFailure.usage("\(path): cannot read the file (\(error))")
        }
        guard let first = reader.next() else {
            try Self.check(reader, path: path, row: 0)
            throw ToolFailure.data("\(path): the file is empty (no header row and no data)")
        }
        try Self.check(reader, path: path, row: hasHeader ? 0 : 1)
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (index, field) in first.enumerated() {
            let name = hasHeader && !field.isEmpty ? field : "column_\(index + 1)"
            if let earlier = seen[name] {
                throw ToolFailure.data("\(path): the header names column '\(name)' twice (fields \(earlier + 1) "
                                       + "and \(index + 1)); rename one or use --no-header")
            }
            seen[name] = index
            names.append(name)
        }
        self.names = names
        if !hasHeader { pending = first }
        bytesRead = first.reduce(0) { $0 + $1.utf8.count + 1 }
    }

    /// The next data record, with exactly one field per column; nil at the end of the file.
    ///
    /// - Throws: ``ToolFailure`` (data) for a record with another number of fields, or text that is
    ///   not UTF-8, naming the row (data rows count from 1; the header is not counted).
    func next() throws -> [String]? {
        while true {
            let record: [String]
            if let pending {
                record = pending
                self.pending = nil
            } else {
                guard let next = reader.next() else {
                    try Self.check(reader, path: path, row: rowNumber + 1)
                    return nil
                }
                try Self.check(reader, path: path, row: rowNumber + 1)
                record = next
            }
            bytesRead += record.reduce(0) { $0 + $1.utf8.count + 1 }
            if record.count == 1, record[0].isEmpty, names.count > 1 { continue }
            rowNumber += 1
            guard record.count == names.count else {
                throw ToolFailure.data("\(path): row \(rowNumber) has \(record.count) field\(record.count == 1 ? "" : "s"), "
                                       + "expected \(names.count)")
            }
            return record
        }
    }

    /// Turns the error CSV.swift recorded, if any, into a ``ToolFailure``. CSV.swift records
    /// `cannotReadFile` at the end of every file on Linux (Foundation's file streams report bytes
    /// available until a read returns 0), so that one means the end of the input; real read
    /// failures arrive as `streamErrorHasOccurred`.
    private static func check(_ reader: CSVReader, path: String, row: Int) throws {
        guard let error = reader.error else { return }
        if case CSVError.cannotReadFile = error { return }
        if case CSVError.unicodeDecoding = error {
            throw ToolFailure.data("\(path): row \(row): the text is not valid UTF-8")
        }
        throw ToolFailure.usage("\(path): cannot read the file (\(error))")
    }
}
