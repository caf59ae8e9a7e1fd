extension ColFileReader {
    /// The statistics of a dictionary-encoded column: how many non-null rows use each entry
    /// (one pass over the indices), then the figures of the value type over the entries used,
    /// each weighted by its count. O(rows + entries).
    func dictionaryStatistics(_ column: DictionaryColumn) -> ColumnStatistics {
        let counts = DictionaryEntryCounts.count(column.indices)
        let entries = column.dictionary
        let used = counts.indices.filter { counts[$0] > 0 }
        let values: ColumnStatistics.Values
        func integers<T: FixedWidthElement & FixedWidthInteger>(_ type: T.Type) -> ColumnStatistics.Values {
            var low: Int128?
            var high: Int128?
            var sum: Int128 = 0
            for entry in used {
                let value = Int128(entries.value(at: entry, as: T.self))
                low = Swift.min(low ?? value, value)
                high = Swift.max(high ?? value, value)
                sum += value * Int128(counts[entry])
            }
            return .integers(min: low, max: high, sum: sum)
        }
        func floats<T: FixedWidthElement & BinaryFloatingPoint>(_ type: T.Type) -> ColumnStatistics.Values {
            var low: Double?
            var high: Double?
            var sum = 0.0
            for entry in used {
                let value = Double(entries.value(at: entry, as: T.self))
                sum += value * Double(counts[entry])
                guard !value.isNaN else { continue }
                low = Swift.min(low ?? value, value)
                high = Swift.max(high ?? value, value)
            }
            return .floats(min: low, max: high, sum: sum)
        }
        switch entries.valueType {
        case .int8: values = integers(Int8.self)
        case .int16: values = integers(Int16.self)
        case .int32: values = integers(Int32.self)
        case .int64: values = integers(Int64.self)
        case .uint8: values = integers(UInt8.self)
        case .uint16: values = integers(UInt16.self)
        case .uint32: values = integers(UInt32.self)
        case .uint64: values = integers(UInt64.self)
        case .float16: values = floats(Float16.self)
        case .float32: values = floats(Float.self)
        case .float64: values = floats(Double.self)
        case .string, .largeString, .binary, .largeBinary:
            let lengths = used.map { entries.byteCount(at: $0) }
            values = .lengths(min: lengths.min(), max: lengths.max(),
                              total: zip(used, lengths).reduce(0) { $0 + counts[$1.0] * $1.1 })
        case .bool, .dictionary:
            preconditionFailure("a dictionary of \(entries.valueType) passed the reader's checks")
        }
        return ColumnStatistics(rowCount: column.count, nullCount: column.info.nullCount, values: values,
                                valuesPerRow: 1, distinctEntries: used.count)
    }
}

/// How many non-null rows use each entry of a dictionary.
enum DictionaryEntryCounts {
    /// One count per entry of the dictionary `indices` index into, whose indices the reader checked.
    /// An index found outside the dictionary (the file rewritten in place since) is not counted and
    /// marks the file changed, which the reader then reports.
    static func count(_ indices: DictionaryIndices) -> [Int] {
        var counts = [Int](repeating: 0, count: indices.entryCount)
        func tally<Index: FixedWidthElement & FixedWidthInteger>(_ type: Index.Type) {
            let stored = indices.storedIndices(as: type)
            // Null rows hold -1 (checked), so without a test of the bitmap they are skipped here.
            for row in 0..<stored.count {
                let index = Int(stored[row])
                guard index >= -1 && index < counts.count else {
                    indices.owner.markDamaged()
                    continue
                }
                if index >= 0 { counts[index] += 1 }
            }
        }
        switch indices.indexType {
        case .int8: tally(Int8.self)
        case .int16: tally(Int16.self)
        default: tally(Int32.self)
        }
        return counts
    }
}
