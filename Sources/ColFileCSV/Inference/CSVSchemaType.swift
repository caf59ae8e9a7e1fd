/// The type a schema gives a column (``CSVSchema``): a ``CSVColumnType``, or, for `timestamp` and
/// `timestamptz` without a unit, a timestamp whose unit (and for `timestamp`, zone) the import
/// still infers from the values.
public struct CSVSchemaType: Sendable, Equatable {
    /// The type; for a timestamp whose unit is inferred, the unit is a placeholder.
    public var type: CSVColumnType
    /// Whether the timestamp's unit and zone are left to inference.
    public var infersTimestamp: Bool

    /// `type`, with the timestamp's unit and zone inferred when `infersTimestamp`.
    public init(_ type: CSVColumnType, infersTimestamp: Bool = false) {
        self.type = type
        self.infersTimestamp = infersTimestamp
    }
}
