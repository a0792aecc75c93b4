// Test-only compact-Thrift decoder: parses footers and page headers back into a generic tree so
// tests can assert field ids and values independently of the writer's model types.

/// A decoded Thrift value.
indirect enum ThriftValue: Equatable, CustomStringConvertible {
    case bool(Bool)
    case i8(Int8)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case double(Double)
    case binary([UInt8])
    case list([ThriftValue])
    case structure(ThriftStruct)

    var i32: Int32? { if case .i32(let v) = self { v } else { nil } }
    var i64: Int64? { if case .i64(let v) = self { v } else { nil } }
    var i8: Int8? { if case .i8(let v) = self { v } else { nil } }
    var bool: Bool? { if case .bool(let v) = self { v } else { nil } }
    var bytes: [UInt8]? { if case .binary(let v) = self { v } else { nil } }
    var string: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
    var list: [ThriftValue]? { if case .list(let v) = self { v } else { nil } }
    var structure: ThriftStruct? { if case .structure(let v) = self { v } else { nil } }

    var description: String {
        switch self {
        case .bool(let v): "\(v)"
        case .i8(let v): "i8(\(v))"
        case .i16(let v): "i16(\(v))"
        case .i32(let v): "\(v)"
        case .i64(let v): "i64(\(v))"
        case .double(let v): "\(v)"
        case .binary(let v): "bin\(v)"
        case .list(let v): "\(v)"
        case .structure(let v): "\(v)"
        }
    }
}

/// A decoded struct: its fields in wire order.
struct ThriftStruct: Equatable, CustomStringConvertible {
    struct Field: Equatable {
        var id: Int16
        var value: ThriftValue
    }
    var fields: [Field] = []

    /// Field ids in wire order.
    var ids: [Int16] { fields.map(\.id) }

    subscript(id: Int16) -> ThriftValue? { fields.first { $0.id == id }?.value }

    var description: String {
        "{" + fields.map { "\($0.id): \($0.value)" }.joined(separator: ", ") + "}"
    }
}

struct ThriftDecodeError: Error, CustomStringConvertible {
    var description: String
}

/// Reads compact-protocol structs from a byte buffer.
struct ThriftCompactDecoder {
    let bytes: [UInt8]
    /// Offset of the next byte to read.
    private(set) var position: Int

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func readStruct() throws -> ThriftStruct {
        var result = ThriftStruct()
        var lastId: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return result }
            let type = header & 0x0F
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                id = Int16(truncatingIfNeeded: zigzag(try readVarint()))
            } else {
                id = lastId + Int16(delta)
            }
            lastId = id
            let value: ThriftValue
            switch type {
            case 1: value = .bool(true)
            case 2: value = .bool(false)
            default: value = try readValue(type: type)
            }
            result.fields.append(.init(id: id, value: value))
        }
    }

    private mutating func readValue(type: UInt8) throws -> ThriftValue {
        switch type {
        case 1, 2: return .bool(try readByte() == 1)  // list element
        case 3: return .i8(Int8(bitPattern: try readByte()))
        case 4: return .i16(Int16(truncatingIfNeeded: zigzag(try readVarint())))
        case 5: return .i32(Int32(truncatingIfNeeded: zigzag(try readVarint())))
        case 6: return .i64(zigzag(try readVarint()))
        case 7:
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(try readByte()) << (8 * UInt64(i)) }
            return .double(Double(bitPattern: bits))
        case 8:
            let count = Int(try readVarint())
            guard position + count <= bytes.count else {
                throw ThriftDecodeError(description: "binary runs past end at \(position)")
            }
            defer { position += count }
            return .binary(Array(bytes[position..<position + count]))
        case 9:
            let header = try readByte()
            var count = Int(header >> 4)
            if count == 15 { count = Int(try readVarint()) }
            var elements: [ThriftValue] = []
            for _ in 0..<count { elements.append(try readValue(type: header & 0x0F)) }
            return .list(elements)
        case 12: return .structure(try readStruct())
        default:
            throw ThriftDecodeError(description: "unknown compact type \(type) at \(position - 1)")
        }
    }

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else {
            throw ThriftDecodeError(description: "unexpected end of data")
        }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private func zigzag(_ v: UInt64) -> Int64 {
        Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }
}
