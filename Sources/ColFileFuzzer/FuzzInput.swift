import ColFile
import Foundation

/// What one fuzz input exercises: the checks a draft's opener makes (Specification.md §15.6), then
/// a whole file's bytes opened through the same validation as a file on disk, then every value of every column read through the public views, a few rows and
/// a scan in runs through ``ChunkedColumn``, and full verification; cold columns are read both
/// from private memory and through the shared decode cache; last, the file is read again after
/// being rewritten in place under its reader (``RewriteAfterCheck``).
///
/// Errors thrown by the library are the expected outcome for bad bytes; anything else (a trap, an
/// out-of-bounds access, a hang, an allocation past libFuzzer's limit) is a bug.
enum FuzzInput {
    /// The most decoded bytes one cold column may have: a file declaring more must be refused by a
    /// check (``ColFileError/Code/decodeLimitExceeded``), never allocated.
    static let maxDecodedBytes: UInt64 = 64 << 20

    /// Runs every reader path over `bytes`; returns a value derived from everything read, so the
    /// reads cannot be optimized away.
    static func run(_ bytes: [UInt8]) -> UInt64 {
        if let draft = try? ColFileDraft.validate(bytes: bytes, path: "fuzz.col.draft") {
            return UInt64(truncatingIfNeeded: draft.rows) &+ UInt64(draft.columns.count)
        }
        let options = ReaderOptions(coldColumns: .privateMemory, maxDecodedBytes: maxDecodedBytes, decodeThreads: 1)
        guard let reader = try? ColFileReader.open(bytes: bytes, path: "fuzz.col", options: options) else { return 0 }
        var digest = UInt64(truncatingIfNeeded: reader.rowCount) &+ UInt64(reader.metadata.count)
        // Open checks only what all columns share; each column's name and record are checked on its
        // first use, a lookup by name checks the name index entries it visits, and listing the
        // names checks them all with the whole index (Specification.md §9). Lookups come first,
        // before anything checked the names; then every column is used, in an order the input
        // picks, by index or (after listing the names) by name, each whatever the others' outcome,
        // so the fuzzer reaches each lazy check from any state.
        for key in probeKeys(bytes) { digest = digest &* 31 &+ lookUp(reader, key) }
        let byName = (bytes.first ?? 0) & 1 == 1
        let names = byName ? try? reader.columnNames : nil
        var compressed = false
        for index in visitingOrder(reader.columnCount, bytes) {
            let first = Result { try names.map { try reader.info($0[index]) } ?? reader.info(at: index) }
            guard case .success(let info) = first else {
                // A column that failed keeps failing, with the same error.
                guard case .failure(let error as ColFileError) = first,
                      case .failure(let again as ColFileError) = Result(catching: { try reader.info(at: index) }),
                      again == error else {
                    preconditionFailure("column \(index): a failed first use was not kept")
                }
                digest = digest &* 31 &+ 7
                continue
            }
            precondition(info.index == index, "column \(index): its name found column \(info.index)")
            compressed = compressed || info.isCompressed
            digest = digest &* 31 &+ ((try? readAll(reader, info)) ?? 1)
            digest = digest &* 31 &+ ((try? eitherEncoding(reader, info)) ?? 1)
            digest = digest &* 31 &+ ((try? readRows(reader, info)) ?? 1)
        }
        if !byName, let names = try? reader.columnNames {
            // Once every name and the whole index passed, a lookup finds each column by its name.
            for (index, name) in names.enumerated() {
                let found = Result { try reader.info(name) }
                let direct = Result { try reader.info(at: index) }
                switch (found, direct) {
                case (.success(let info), .success): precondition(info.index == index, "\(name): found another column")
                case (.failure(let error as ColFileError), .failure(let again as ColFileError)):
                    precondition(error == again, "\(name): the lookup and the index disagree")
                default: preconditionFailure("\(name): the lookup and the index disagree")
                }
            }
        }
        digest &+= (try? reader.verify()) == nil ? 1 : 0
        if compressed { digest &+= throughSharedCache(bytes) }
        return digest &+ RewriteAfterCheck.run(bytes)
    }

    /// Every column index once: from an index the input picks, forwards or backwards.
    private static func visitingOrder(_ count: Int, _ bytes: [UInt8]) -> [Int] {
        guard count > 0 else { return [] }
        let pick = Int(bytes.last ?? 0)
        let start = pick % count
        return (0..<count).map { step in (pick & 0x80 == 0 ? start + step : start + count - step) % count }
    }

    /// Names to look up before anything checked the names: a few common ones and one made of the
    /// input's last bytes. Most miss, but each search visits about log2(columns) name index entries.
    private static func probeKeys(_ bytes: [UInt8]) -> [String] {
        ["", "id", "x", "name", String(decoding: bytes.suffix(3), as: UTF8.self)]
    }

    /// Looks `key` up: a column found must have that name.
    private static func lookUp(_ reader: ColFileReader, _ key: String) -> UInt64 {
        do {
            let info = try reader.info(key)
            precondition(info.name == key, "looking up \(key) found \(info.name)")
            return UInt64(info.index)
        } catch {
            return 1
        }
    }

    /// A cache folder of this process's own, emptied after every input.
    static let cacheFolder: String = {
        let folder = NSTemporaryDirectory() + "colfile-fuzz-cache-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        return folder
    }()

    /// Reads the cold columns again through the shared decode cache (decoded into a cache entry
    /// file, then mapped and checked), then empties the cache.
    private static func throughSharedCache(_ bytes: [UInt8]) -> UInt64 {
        let options = ReaderOptions(coldColumns: .sharedCache, cacheFolder: cacheFolder,
                                    maxDecodedBytes: maxDecodedBytes, decodeThreads: 1)
        guard let reader = try? ColFileReader.open(bytes: bytes, path: "fuzz.col", options: options) else { return 0 }
        var digest: UInt64 = 0
        for index in 0..<reader.columnCount {
            guard let info = try? reader.info(at: index), info.isCompressed else { continue }
            digest = digest &* 31 &+ ((try? readAll(reader, info)) ?? 1)
        }
        // Entries and lock files alike (a failed decode leaves its lock file).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? [] {
            try? FileManager.default.removeItem(atPath: cacheFolder + "/" + name)
        }
        ColdColumnCache.forgetCheckedEntries()
        return digest
    }

    // MARK: - Whole-column views

    static func readAll(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        switch info.physicalType {
        case .int8: try fixedWidth(reader, info, Int8.self)
        case .int16: try fixedWidth(reader, info, Int16.self)
        case .int32: try fixedWidth(reader, info, Int32.self)
        case .int64: try fixedWidth(reader, info, Int64.self)
        case .uint8: try fixedWidth(reader, info, UInt8.self)
        case .uint16: try fixedWidth(reader, info, UInt16.self)
        case .uint32: try fixedWidth(reader, info, UInt32.self)
        case .uint64: try fixedWidth(reader, info, UInt64.self)
        case .float16: try fixedWidth(reader, info, Float16.self)
        case .float32: try fixedWidth(reader, info, Float.self)
        case .float64: try fixedWidth(reader, info, Double.self)
        case .bool: try bools(reader, info)
        case .string, .largeString: try strings(reader, info)
        case .binary, .largeBinary: try binaries(reader, info)
        case .dictionary: try dictionary(reader, info)
        }
    }

    /// Every row of a dictionary-encoded column through its view: index, and value by kind.
    private static func dictionary(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        let column = try reader.dictionaryColumn(info.name)
        var digest = UInt64(column.dictionary.count)
        for row in 0..<column.count {
            guard let index = column.index(at: row) else {
                digest = digest &* 3 &+ 7
                continue
            }
            digest = digest &* 3 &+ UInt64(index)
            switch column.encoding.valueType {
            case .string, .largeString: digest &+= UInt64(column.string(at: row)?.utf8.count ?? 0)
            case .binary, .largeBinary: digest &+= UInt64(column.bytes(at: row)?.count ?? 0)
            case .int8: digest &+= column.value(at: row, as: Int8.self).map(bits) ?? 0
            case .int16: digest &+= column.value(at: row, as: Int16.self).map(bits) ?? 0
            case .int32: digest &+= column.value(at: row, as: Int32.self).map(bits) ?? 0
            case .int64: digest &+= column.value(at: row, as: Int64.self).map(bits) ?? 0
            case .uint8: digest &+= column.value(at: row, as: UInt8.self).map(bits) ?? 0
            case .uint16: digest &+= column.value(at: row, as: UInt16.self).map(bits) ?? 0
            case .uint32: digest &+= column.value(at: row, as: UInt32.self).map(bits) ?? 0
            case .uint64: digest &+= column.value(at: row, as: UInt64.self).map(bits) ?? 0
            case .float16: digest &+= column.value(at: row, as: Float16.self).map(bits) ?? 0
            case .float32: digest &+= column.value(at: row, as: Float.self).map(bits) ?? 0
            case .float64: digest &+= column.value(at: row, as: Double.self).map(bits) ?? 0
            case .bool, .dictionary: break
            }
        }
        let statistics = try reader.statistics(info.name)
        return digest &+ UInt64(statistics.distinctEntries ?? 0)
    }

    private static func fixedWidth<Element: FixedWidthElement>(_ reader: ColFileReader, _ info: ColumnInfo,
                                                               _ type: Element.Type) throws -> UInt64 {
        var digest: UInt64 = 0
        if info.shape.isEmpty {
            let column = try reader.column(info.name, as: Element.self)
            for row in column.indices {
                digest = digest &* 3 &+ (column.isNull(row) ? 7 : bits(column.storedValue(at: row)))
            }
        } else {
            let column = try reader.tensorColumn(info.name, as: Element.self)
            for row in column.indices {
                digest &+= column.isNull(row) ? 7 : 0
                for value in column.storedValue(at: row) { digest = digest &* 3 &+ bits(value) }
            }
        }
        return digest
    }

    private static func bools(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        let column = try reader.boolColumn(info.name)
        var digest = UInt64(column.trueCount)
        for row in column.indices { digest = digest &* 3 &+ (column.value(at: row).map { $0 ? 1 : 2 } ?? 0) }
        return digest
    }

    private static func strings(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        let column = try reader.stringColumn(info.name)
        var digest: UInt64 = 0
        for row in column.indices {
            digest = digest &* 3 &+ UInt64(column.value(at: row)?.utf8.count ?? 7)
            digest &+= UInt64(column.bytes(at: row).count)
        }
        return digest
    }

    private static func binaries(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        let column = try reader.binaryColumn(info.name)
        var digest: UInt64 = 0
        for row in column.indices {
            guard let value = column.value(at: row) else { continue }
            for byte in value { digest = digest &* 3 &+ UInt64(byte) }
        }
        return digest
    }

    // MARK: - Either encoding

    /// Every row through the view that reads a column plain or dictionary-encoded alike
    /// (``ColFileReader/anyStringColumn(_:)`` and its kin), which must give what the view of the
    /// column's own encoding gives whenever both succeed (when `compares`; not over a file
    /// rewritten after its checks, where each view reports a broken row its own way).
    static func eitherEncoding(_ reader: ColFileReader, _ info: ColumnInfo, compares: Bool = true) throws -> UInt64 {
        guard info.shape.isEmpty else { return 0 }
        let encoded = info.isDictionaryEncoded
        switch info.valueType {
        case .string, .largeString:
            let values = Array(try reader.anyStringColumn(info.name))
            let own = try encoded ? reader.dictionaryColumn(info.name).strings : Array(reader.stringColumn(info.name))
            precondition(!compares || values == own, "\(info.name): anyStringColumn differs from the column's own view")
            return values.reduce(0) { $0 &* 3 &+ UInt64($1?.utf8.count ?? 7) }
        case .binary, .largeBinary:
            let values = try reader.anyBinaryColumn(info.name).map { $0?.array }
            let own = try encoded ? reader.dictionaryColumn(info.name).byteArrays
                : reader.binaryColumn(info.name).map { $0?.array }
            precondition(!compares || values == own, "\(info.name): anyBinaryColumn differs from the column's own view")
            return values.reduce(0) { $0 &* 3 &+ UInt64($1?.count ?? 7) }
        case .int8: return try eitherEncoding(reader, info, Int8.self, compares: compares)
        case .int16: return try eitherEncoding(reader, info, Int16.self, compares: compares)
        case .int32: return try eitherEncoding(reader, info, Int32.self, compares: compares)
        case .int64: return try eitherEncoding(reader, info, Int64.self, compares: compares)
        case .uint8: return try eitherEncoding(reader, info, UInt8.self, compares: compares)
        case .uint16: return try eitherEncoding(reader, info, UInt16.self, compares: compares)
        case .uint32: return try eitherEncoding(reader, info, UInt32.self, compares: compares)
        case .uint64: return try eitherEncoding(reader, info, UInt64.self, compares: compares)
        case .float16: return try eitherEncoding(reader, info, Float16.self, compares: compares)
        case .float32: return try eitherEncoding(reader, info, Float.self, compares: compares)
        case .float64: return try eitherEncoding(reader, info, Double.self, compares: compares)
        case .bool, .dictionary: return 0
        }
    }

    /// ``eitherEncoding(_:_:)`` of a fixed-width column of `Element`s, compared bit for bit.
    private static func eitherEncoding<Element: FixedWidthElement>(_ reader: ColFileReader, _ info: ColumnInfo,
                                                                   _ type: Element.Type, compares: Bool) throws
        -> UInt64 {
        let values = try reader.anyColumn(info.name, as: type).map { $0.map(bits) }
        let own: [UInt64?]
        if info.isDictionaryEncoded {
            let column = try reader.dictionaryColumn(info.name)
            own = (0..<column.count).map { column.value(at: $0, as: type).map(bits) }
        } else {
            own = try reader.column(info.name, as: type).map { $0.map(bits) }
        }
        precondition(!compares || values == own, "\(info.name): anyColumn differs from the column's own view")
        return values.reduce(0) { $0 &* 3 &+ ($1 ?? 7) }
    }

    // MARK: - Random access through ChunkedColumn

    /// Reads the first, a middle and the last row (and row 1) through a ``ChunkedColumn``.
    static func readRows(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        let chunked = try reader.chunkedColumn(info.name)
        let rows = Set([0, 1, info.rowCount / 2, info.rowCount - 1].filter { $0 >= 0 && $0 < info.rowCount })
        var digest: UInt64 = 0
        for row in rows.sorted() {
            digest &+= try chunked.isNull(row) ? 1 : 0
            digest &+= try value(chunked, info, row)
        }
        digest &+= try scan(reader, info)
        return digest
    }

    private static func scan(_ reader: ColFileReader, _ info: ColumnInfo) throws -> UInt64 {
        switch info.physicalType {
        case .int8: try runs(reader, info, Int8.self)
        case .int16: try runs(reader, info, Int16.self)
        case .int32: try runs(reader, info, Int32.self)
        case .int64: try runs(reader, info, Int64.self)
        case .uint8: try runs(reader, info, UInt8.self)
        case .uint16: try runs(reader, info, UInt16.self)
        case .uint32: try runs(reader, info, UInt32.self)
        case .uint64: try runs(reader, info, UInt64.self)
        case .float16: try runs(reader, info, Float16.self)
        case .float32: try runs(reader, info, Float.self)
        case .float64: try runs(reader, info, Double.self)
        case .bool, .string, .largeString, .binary, .largeBinary, .dictionary: 0
        }
    }

    private static func value(_ chunked: ChunkedColumn, _ info: ColumnInfo, _ row: Int) throws -> UInt64 {
        // A dictionary-encoded column reads its index, then its value through the same accessors.
        let index = info.dictionary == nil ? 0 : UInt64(bitPattern: Int64(try chunked.dictionaryIndex(at: row) ?? -1))
        return try index &+ value(chunked, info.valueType, info, row)
    }

    private static func value(_ chunked: ChunkedColumn, _ type: PhysicalType, _ info: ColumnInfo, _ row: Int) throws
        -> UInt64 {
        switch type {
        case .int8: try element(chunked, info, row, Int8.self)
        case .int16: try element(chunked, info, row, Int16.self)
        case .int32: try element(chunked, info, row, Int32.self)
        case .int64: try element(chunked, info, row, Int64.self)
        case .uint8: try element(chunked, info, row, UInt8.self)
        case .uint16: try element(chunked, info, row, UInt16.self)
        case .uint32: try element(chunked, info, row, UInt32.self)
        case .uint64: try element(chunked, info, row, UInt64.self)
        case .float16: try element(chunked, info, row, Float16.self)
        case .float32: try element(chunked, info, row, Float.self)
        case .float64: try element(chunked, info, row, Double.self)
        case .bool: try chunked.bool(at: row).map { $0 ? 1 : 2 } ?? 0
        case .string, .largeString: UInt64(try chunked.string(at: row)?.utf8.count ?? 0)
        case .binary, .largeBinary: UInt64(try chunked.bytes(at: row)?.count ?? 0)
        case .dictionary: 0
        }
    }

    private static func element<Element: FixedWidthElement>(_ chunked: ChunkedColumn, _ info: ColumnInfo, _ row: Int,
                                                            _ type: Element.Type) throws -> UInt64 {
        if info.shape.isEmpty {
            return try chunked.value(at: row, as: Element.self).map(bits) ?? 0
        }
        return try chunked.tensorRow(at: row, as: Element.self)?.reduce(0) { $0 &* 3 &+ bits($1) } ?? 0
    }

    /// Scans a scalar fixed-width column in runs through a fresh ``ChunkedColumn``: one chunk of
    /// decoded values at a time.
    private static func runs<Element: FixedWidthElement>(_ reader: ColFileReader, _ info: ColumnInfo,
                                                         _ type: Element.Type) throws -> UInt64 {
        guard info.shape.isEmpty else { return 0 }
        var digest: UInt64 = 0
        try reader.chunkedColumn(info.name).forEachRun(as: Element.self) { rows, values, isNull in
            digest &+= UInt64(rows.count)
            for index in values.indices {
                digest = digest &* 3 &+ (isNull(index) ? 7 : bits(values[index]))
            }
        }
        return digest
    }

    /// The bit pattern of a fixed-width value, widened to 64 bits.
    private static func bits<Element: FixedWidthElement>(_ value: Element) -> UInt64 {
        unsafe withUnsafeBytes(of: value) { raw in
            unsafe raw.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }
}

extension DictionaryColumn {
    /// Every row's string (nil for a null row), for comparing views.
    fileprivate var strings: [String?] { (0..<count).map { string(at: $0) } }
    /// Every row's bytes (nil for a null row), for comparing views.
    fileprivate var byteArrays: [[UInt8]?] { (0..<count).map { bytes(at: $0)?.array } }
}
