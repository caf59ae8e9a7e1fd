/// Text forms of cells for each output format.
package enum CellText {
    /// A CSV field (RFC 4180), quoted as ``quotedIfNeeded(_:)`` says; nulls are empty fields.
    package static func csv(_ value: CellValue) -> String {
        switch value {
        case .null: return ""
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return quotedIfNeeded(text)
        case .list(let items): return quotedIfNeeded("[" + items.joined(separator: ",") + "]")
        }
    }

    /// `text` as a CSV field: quoted when it holds a comma, quote, CR or LF, has spaces at either
    /// end, or would read back as null (empty, `NA`, `NULL`, `null`: `colfile import` takes only
    /// unquoted fields as nulls).
    package static func quotedIfNeeded(_ text: String) -> String {
        string { appendCSVField(text.utf8, to: &$0) }
    }

    /// Appends the UTF-8 `bytes` to `line` as a CSV field, quoted (quotes doubled) as
    /// ``quotedIfNeeded(_:)`` says.
    static func appendCSVField(_ bytes: some BidirectionalCollection<UInt8>, to line: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        var hasSeparator = false
        var hasQuote = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","), 10, 13: hasSeparator = true
            case quote: hasQuote = true
            default: break
            }
        }
        let space = UInt8(ascii: " ")
        guard hasSeparator || hasQuote || bytes.first == space || bytes.last == space || looksLikeNull(bytes) else {
            line.append(contentsOf: bytes)
            return
        }
        line.append(quote)
        if hasQuote {
            for byte in bytes {
                if byte == quote { line.append(quote) }
                line.append(byte)
            }
        } else {
            line.append(contentsOf: bytes)
        }
        line.append(quote)
    }

    /// Whether `bytes` are a text that is an unquoted null to `colfile import` by default: empty,
    /// `NA`, `NULL` or `null`.
    private static func looksLikeNull(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        switch bytes.count {
        case 0: true
        case 2: bytes.elementsEqual("NA".utf8)
        case 4: bytes.elementsEqual("NULL".utf8) || bytes.elementsEqual("null".utf8)
        default: false
        }
    }

    /// A JSON value.
    package static func json(_ value: CellValue) -> String {
        switch value {
        case .null: return "null"
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return jsonString(text)
        case .list(let items): return "[" + items.map { Double($0)?.isFinite == false ? jsonString($0) : $0 }
            .joined(separator: ",") + "]"
        }
    }

    /// `text` as a JSON string literal.
    package static func jsonString(_ text: String) -> String {
        string { appendJSONString(text.utf8, to: &$0) }
    }

    /// The UTF-8 text `append` appends to an empty line.
    private static func string(_ append: (inout [UInt8]) -> Void) -> String {
        var line: [UInt8] = []
        append(&line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 `bytes` to `line` as a JSON string literal: quotes, backslashes and
    /// control characters escaped, everything else as it is.
    static func appendJSONString(_ bytes: some BidirectionalCollection<UInt8>, to line: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        line.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), backslash: line.append(contentsOf: [backslash, byte])
            case UInt8(ascii: "\n"): line.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): line.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): line.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0..<0x20: line.append(contentsOf: ("\\u" + TextFormatting.hex(byte, width: 4)).utf8)
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    /// A table cell: nulls as `∅`, control characters escaped, long text cut to `width` characters with `…`.
    static func table(_ value: CellValue, width: Int) -> String {
        let text: String
        switch value {
        case .null: return "∅"
        case .number(let number): text = number
        case .bool(let flag): text = flag ? "true" : "false"
        case .text(let string):
            text = TextFormatting.escapingControls(string)
        case .list(let items): text = "[" + items.joined(separator: ", ") + "]"
        }
        return text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
