/// A Swift type whose values a fixed-width column stores bit for bit (Specification.md §6.1).
///
/// colfile provides the conformances: `Int8` … `Int64`, `UInt8` … `UInt64`, `Float16`, `Float`
/// and `Double`. Adding others is not supported.
public protocol FixedWidthElement: BitwiseCopyable, Sendable, Numeric {
    /// The physical type of columns holding this type.
    static var physicalType: PhysicalType { get }
}

extension Int8: FixedWidthElement {
    /// ``PhysicalType/int8``.
    public static var physicalType: PhysicalType { .int8 }
}

extension Int16: FixedWidthElement {
    /// ``PhysicalType/int16``.
    public static var physicalType: PhysicalType { .int16 }
}

extension Int32: FixedWidthElement {
    /// ``PhysicalType/int32``.
    public static var physicalType: PhysicalType { .int32 }
}

extension Int64: FixedWidthElement {
    /// ``PhysicalType/int64``.
    public static var physicalType: PhysicalType { .int64 }
}

extension UInt8: FixedWidthElement {
    /// ``PhysicalType/uint8``.
    public static var physicalType: PhysicalType { .uint8 }
}

extension UInt16: FixedWidthElement {
    /// ``PhysicalType/uint16``.
    public static var physicalType: PhysicalType { .uint16 }
}

extension UInt32: FixedWidthElement {
    /// ``PhysicalType/uint32``.
    public static var physicalType: PhysicalType { .uint32 }
}

extension UInt64: FixedWidthElement {
    /// ``PhysicalType/uint64``.
    public static var physicalType: PhysicalType { .uint64 }
}

extension Float16: FixedWidthElement {
    /// ``PhysicalType/float16``.
    public static var physicalType: PhysicalType { .float16 }
}

extension Float: FixedWidthElement {
    /// ``PhysicalType/float32``.
    public static var physicalType: PhysicalType { .float32 }
}

extension Double: FixedWidthElement {
    /// ``PhysicalType/float64``.
    public static var physicalType: PhysicalType { .float64 }
}
