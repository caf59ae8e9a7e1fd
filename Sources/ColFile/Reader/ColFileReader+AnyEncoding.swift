extension ColFileReader {
    /// A zero-copy view of the String or LargeString column `name`, stored plain or
    /// dictionary-encoded (Specification.md §6.4): one way to read a dataset's String column
    /// whatever each shard chose (§14.3).
    ///
    /// The checks are those of ``stringColumn(_:)`` for a plain column and of
    /// ``dictionaryColumn(_:)`` for an encoded one, once per column and reader.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``; ``ColFileError/Code/typeMismatch`` when the
    ///   column's values (or its dictionary's) are not strings; ``ColFileError/Code/badDictionaryIndex``,
    ///   ``ColFileError/Code/badOffsets``, ``ColFileError/Code/offsetsNotIncreasing``,
    ///   ``ColFileError/Code/invalidUTF8``; or a decoding error.
    public func anyStringColumn(_ name: String) throws -> AnyStringColumn {
        let (info, validity, rows) = try variableLengthRows(name, isString: true)
        return AnyStringColumn(info: info, validity: validity, rows: rows)
    }

    /// A zero-copy view of the Binary or LargeBinary column `name`, stored plain or
    /// dictionary-encoded: as ``anyStringColumn(_:)``, for byte strings.
    ///
    /// - Throws: As ``anyStringColumn(_:)``.
    public func anyBinaryColumn(_ name: String) throws -> AnyBinaryColumn {
        let (info, validity, rows) = try variableLengthRows(name, isString: false)
        return AnyBinaryColumn(info: info, validity: validity, rows: rows)
    }

    /// A zero-copy view of the scalar fixed-width column `name` of `Element`s, stored plain or
    /// dictionary-encoded with a dictionary of `Element`s: as ``anyStringColumn(_:)``, for
    /// numbers, dates and timestamps (read a Date column as `Int32`, a Timestamp one as `Int64`).
    ///
    /// The checks are those of ``column(_:as:)`` for a plain column and of
    /// ``dictionaryColumn(_:)`` for an encoded one.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``; ``ColFileError/Code/typeMismatch`` when the
    ///   column's values (or its dictionary's) are not `Element`s or it is a tensor column;
    ///   ``ColFileError/Code/badDictionaryIndex``; or a decoding error.
    public func anyColumn<Element: FixedWidthElement>(_ name: String, as type: Element.Type = Element.self) throws
        -> AnyFixedWidthColumn<Element> {
        try intact {
            let info = try readableInfo(name)
            guard let encoding = info.dictionary else {
                let column = try column(name, as: type)
                return AnyFixedWidthColumn(info: info, validity: column.validity, values: column.values)
            }
            guard encoding.valueType == Element.physicalType else {
                throw ColFileError(.typeMismatch, path: path, column: info.name, message: "the column has another type",
                                   expected: "\(Element.physicalType), plain or dictionary-encoded",
                                   found: info.typeDescription)
            }
            let column = try dictionaryView(info, encoding, try columnBytes(info))
            return AnyFixedWidthColumn(info: info, validity: column.validity, indices: column.indices,
                                       entries: column.dictionary.values(as: type))
        }
    }

    /// Column `name`'s rows, plain or through its dictionary, after the checks of its encoding;
    /// its values must be strings (`isString`) or byte strings.
    private func variableLengthRows(_ name: String, isString: Bool) throws
        -> (ColumnInfo, ValidityBitmap?, VariableLengthRows) {
        try intact {
            let info = try readableInfo(name)
            let valueType = info.valueType
            let fits = isString ? valueType.isString : valueType == .binary || valueType == .largeBinary
            guard fits, info.shape.isEmpty else {
                let expected = isString ? "String or LargeString, plain or dictionary-encoded"
                    : "Binary or LargeBinary, plain or dictionary-encoded"
                throw ColFileError(.typeMismatch, path: path, column: info.name, message: "the column has another type",
                                   expected: expected, found: info.typeDescription)
            }
            let bytes = try columnBytes(info)
            guard let encoding = info.dictionary else {
                return (info, bitmap(bytes, .validity, rows: info.rowCount), VariableLengthRows(plain: try variableLengthValues(info, bytes)))
            }
            let column = try dictionaryView(info, encoding, bytes)
            return (info, column.validity,
                    VariableLengthRows(indices: column.indices, entries: column.dictionary.variableLengthValues))
        }
    }
}
