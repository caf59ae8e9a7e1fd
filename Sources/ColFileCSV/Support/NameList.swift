/// The comma-separated lists options take (`--columns a,b`, `--compress a,b`, `--schema
/// a:int64,b:date`), read as one CSV record: an item holding a comma or starting with a quote is
/// written in double quotes, a quote inside doubled (`--columns '"price, usd",qty'`).
package enum NameList {
    /// The items of `text`; an empty item (`a,,b`) is kept, for the caller to refuse.
    ///
    /// - Throws: ``CSVError/Kind/invalidOption`` naming `option` for a quote that is not closed, or text
    ///   after a closing quote.
    package static func split(_ text: String, option: String) throws -> [String] {
        var items: [String] = []
        var item: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while true {
            if bytes.first == UInt8(ascii: "\"") {
                bytes = bytes.dropFirst()
                while true {
                    guard let byte = bytes.popFirst() else {
                        throw CSVError(.invalidOption, "\(option): a quoted name is not closed (write a quote inside one as \"\")")
                    }
                    if byte != UInt8(ascii: "\"") {
                        item.append(byte)
                    } else if bytes.first == UInt8(ascii: "\"") {
                        item.append(byte)
                        bytes = bytes.dropFirst()
                    } else {
                        break
                    }
                }
                guard bytes.isEmpty || bytes.first == UInt8(ascii: ",") else {
                    throw CSVError(.invalidOption, "\(option): text follows the closing quote of a quoted name")
                }
            } else {
                while let byte = bytes.first, byte != UInt8(ascii: ",") {
                    item.append(byte)
                    bytes = bytes.dropFirst()
                }
            }
            items.append(String(decoding: item, as: UTF8.self))
            item.removeAll()
            guard bytes.popFirst() != nil else { return items }
        }
    }

    /// `item` as `split(_:option:)` reads it back: quoted when it holds a comma or starts with a
    /// quote, else as it is.
    package static func spelling(_ item: String) -> String {
        guard item.contains(",") || item.hasPrefix("\"") else { return item }
        return "\"" + item.replacing("\"", with: "\"\"") + "\""
    }
}
