/// Element and field type codes of the Thrift compact protocol.
enum ThriftCompactType: UInt8 {
    case boolTrue = 1
    case boolFalse = 2
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case `struct` = 12
}

/// A minimal Thrift compact-protocol encoder for Parquet metadata (`FileMetaData`, `PageHeader`).
///
/// Fields must be written in increasing id order within a struct, as Parquet writers do.
/// Nested structs are written through `fieldStruct`/`listStruct`, which restart field ids at 0.
struct ThriftCompactWriter {
    /// The encoded bytes so far.
    private(set) var bytes: [UInt8] = []
    /// Id of the previous field in the struct being written.
    private var lastFieldId: Int16 = 0

    init() {}

    /// Encodes one top-level struct: `body` writes its fields, then the stop byte is added.
    static func encodeStruct(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var w = ThriftCompactWriter()
        w.writeStruct(body)
        return w.bytes
    }

    // MARK: Fields

    mutating func fieldI8(_ id: Int16, _ value: Int8) {
        writeFieldHeader(id, .i8)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func fieldI32(_ id: Int16, _ value: Int32) {
        writeFieldHeader(id, .i32)
        writeI32(value)
    }

    mutating func fieldI64(_ id: Int16, _ value: Int64) {
        writeFieldHeader(id, .i64)
        writeI64(value)
    }

    /// A bool field carries its value in the header's type nibble and has no payload.
    mutating func fieldBool(_ id: Int16, _ value: Bool) {
        writeFieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func fieldBinary(_ id: Int16, _ value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    mutating func fieldString(_ id: Int16, _ value: String) {
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    /// A nested struct (or union) field; `body` writes its fields, then the stop byte is added.
    mutating func fieldStruct(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        writeFieldHeader(id, .struct)
        writeStruct(body)
    }

    /// A list field's header; the caller then writes exactly `count` elements of `elementType`.
    mutating func fieldList(_ id: Int16, _ elementType: ThriftCompactType, count: Int) {
        writeFieldHeader(id, .list)
        writeListHeader(elementType, count: count)
    }

    // MARK: Values (list elements)

    mutating func writeI32(_ value: Int32) {
        writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    mutating func writeI64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeString(_ value: String) {
        writeVarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A struct value (e.g. a list element): field ids restart at 0 and a stop byte ends it.
    mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        let saved = lastFieldId
        lastFieldId = 0
        body(&self)
        bytes.append(0)  // stop
        lastFieldId = saved
    }

    mutating func writeListHeader(_ elementType: ThriftCompactType, count: Int) {
        precondition(count >= 0, "negative list size")
        if count <= 14 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    // MARK: Primitives

    private mutating func writeFieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(UInt64(UInt16(bitPattern: (id << 1) ^ (id >> 15))))
        }
        lastFieldId = id
    }

    /// Unsigned LEB128.
    private mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
