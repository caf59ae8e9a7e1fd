import ArgumentParser
import ColFile

/// A column of `colfile draft create --column NAME:TYPE[SHAPE][:zero]`, e.g. `score:float64`,
/// `visits:int64:zero`, `embedding:float32[768]`, `when:timestamp-ms`.
struct DraftColumnSpec: ExpressibleByArgument {
    /// The declaration.
    let column: DraftColumn

    /// The type names, as the help lists them.
    static let typeNames = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16",
                            "float32", "float64", "bool", "date", "timestamp-s", "timestamp-ms", "timestamp-us",
                            "timestamp-ns"]

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || (parts.count == 3 && parts[2] == "zero"), !parts[0].isEmpty else { return nil }
        var typeText = parts[1]
        var shape: [Int] = []
        if let open = typeText.firstIndex(of: "["), typeText.hasSuffix("]") {
            let dimensions = typeText[typeText.index(after: open)..<typeText.index(before: typeText.endIndex)]
            shape = dimensions.split(separator: ",").compactMap { Int(TextFormatting.trimmed($0)) }
            guard !shape.isEmpty, shape.count == dimensions.split(separator: ",").count else { return nil }
            typeText = String(typeText[..<open])
        }
        guard let (type, logical) = Self.type(typeText.lowercased()) else { return nil }
        column = DraftColumn(parts[0], type, shape: shape, logicalType: logical,
                             initialRows: parts.count == 3 ? .zero : .null)
    }

    private static func type(_ name: String) -> (PhysicalType, LogicalType)? {
        switch name {
        case "date": return (.int32, .date)
        case "timestamp-s": return (.int64, .timestamp(unit: .seconds, timeZone: nil))
        case "timestamp-ms": return (.int64, .timestamp(unit: .milliseconds, timeZone: nil))
        case "timestamp-us": return (.int64, .timestamp(unit: .microseconds, timeZone: nil))
        case "timestamp-ns": return (.int64, .timestamp(unit: .nanoseconds, timeZone: nil))
        default:
            guard let type = PhysicalType.allCases.first(where: { $0.description.lowercased() == name }) else { return nil }
            return (type, .none)
        }
    }
}
