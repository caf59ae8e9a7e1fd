extension ColumnStatistics {
    /// The statistics of a column made of this one's rows followed by `other`'s: the same column
    /// of another file, as a dataset's shards hold it. Counts and sums are added, the smaller
    /// minimum and the larger maximum kept. ``distinctEntries`` becomes nil: two dictionaries'
    /// entry counts do not say how many values they share.
    ///
    /// - Precondition: both describe columns of one type: the same kind of ``values`` and the
    ///   same ``valuesPerRow``.
    public func merging(_ other: ColumnStatistics) -> ColumnStatistics {
        precondition(valuesPerRow == other.valuesPerRow, "statistics of columns of different shapes")
        let merged: Values
        switch (values, other.values) {
        case let (.integers(min, max, sum), .integers(otherMin, otherMax, otherSum)):
            merged = .integers(min: Self.least(min, otherMin), max: Self.greatest(max, otherMax), sum: sum + otherSum)
        case let (.floats(min, max, sum), .floats(otherMin, otherMax, otherSum)):
            merged = .floats(min: Self.least(min, otherMin), max: Self.greatest(max, otherMax), sum: sum + otherSum)
        case let (.bools(trueCount), .bools(otherTrueCount)):
            merged = .bools(trueCount: trueCount + otherTrueCount)
        case let (.lengths(min, max, total), .lengths(otherMin, otherMax, otherTotal)):
            merged = .lengths(min: Self.least(min, otherMin), max: Self.greatest(max, otherMax), total: total + otherTotal)
        default:
            preconditionFailure("statistics of columns of different types")
        }
        return ColumnStatistics(rowCount: rowCount + other.rowCount, nullCount: nullCount + other.nullCount,
                                values: merged, valuesPerRow: valuesPerRow)
    }

    /// The smaller of two optional values; the present one when only one is.
    private static func least<Value: Comparable>(_ first: Value?, _ second: Value?) -> Value? {
        guard let first, let second else { return first ?? second }
        return Swift.min(first, second)
    }

    /// The larger of two optional values; the present one when only one is.
    private static func greatest<Value: Comparable>(_ first: Value?, _ second: Value?) -> Value? {
        guard let first, let second else { return first ?? second }
        return Swift.max(first, second)
    }
}

extension ColFileDataset {
    /// Summary statistics of the column `name` over every shard of this version:
    /// ``ColFileReader/statistics(_:)`` of each shard (whatever its codec or encoding), merged
    /// (``ColumnStatistics/merging(_:)``). ``ColumnStatistics/distinctEntries`` is that of the
    /// only shard when there is one, else nil.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` when the schema has no such column; what
    ///   ``shard(at:)`` or a shard's statistics throw.
    /// - Complexity: O(rows): every shard is opened and its column scanned.
    public func statistics(_ name: String) throws -> ColumnStatistics {
        guard let column = schema.first(where: { $0.name == name }) else {
            throw ColFileError(.noSuchColumn, path: path, column: name, message: "no such column in the dataset")
        }
        var merged = ColumnStatistics(rowCount: 0, nullCount: 0, values: Self.noValues(column),
                                      valuesPerRow: column.shape.reduce(1, *))
        for index in shards.indices {
            let statistics = try shard(at: index).statistics(name)
            merged = shards.count == 1 ? statistics : merged.merging(statistics)
        }
        return merged
    }

    /// The figures of no rows of `column`'s type.
    private static func noValues(_ column: DatasetColumn) -> ColumnStatistics.Values {
        switch column.physicalType {
        case .bool: .bools(trueCount: 0)
        case .string, .largeString, .binary, .largeBinary: .lengths(min: nil, max: nil, total: 0)
        case .float16, .float32, .float64: .floats(min: nil, max: nil, sum: 0)
        default: .integers(min: nil, max: nil, sum: 0)
        }
    }
}
