/// A decoded compact-Thrift value (the reader's generic form of Parquet metadata).
indirect enum ThriftNode {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case binary([UInt8])
    case list([ThriftNode])
    case structure(ThriftFields)
    /// Maps are skipped (Parquet metadata has none); kept as a placeholder.
    case map
}

/// A decoded struct: its fields in wire order.
struct ThriftFields {
    var fields: [(id: Int16, value: ThriftNode)] = []

    subscript(id: Int16) -> ThriftNode? {
        for f in fields where f.id == id { return f.value }
        return nil
    }
}

/// Decodes compact-protocol structs from untrusted bytes: every length is checked against the
/// bytes left, nesting is limited, and any malformation is a `ParquetError`, never a trap.
struct ThriftCompactReader {
    private let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read.
    private(set) var position: Int
    /// What is being decoded, for messages ("the footer", "a page header").
    let context: String

    static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0, context: String) {
        self.bytes = bytes
        self.position = position
        self.context = context
    }

    private func fail(_ what: String) -> ParquetError {
        ParquetError("malformed Thrift in \(context): \(what) at byte \(position)")
    }

    mutating func readStruct(depth: Int = 0) throws(ParquetError) -> ThriftFields {
        guard depth < Self.maxDepth else { throw fail("structs nested more than \(Self.maxDepth) deep") }
        var result = ThriftFields()
        var lastId: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return result }
            let type = header & 0x0F
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                let raw = zigzag(try readVarint())
                guard let v = Int16(exactly: raw) else { throw fail("field id \(raw) out of range") }
                id = v
            } else {
                id = lastId &+ Int16(delta)
            }
            lastId = id
            let value: ThriftNode
            switch type {
            case 1: value = .bool(true)
            case 2: value = .bool(false)
            default: value = try readValue(type: type, depth: depth)
            }
            result.fields.append((id, value))
        }
    }

    private mutating func readValue(type: UInt8, depth: Int) throws(ParquetError) -> ThriftNode {
        switch type {
        case 1, 2: return .bool(try readByte() == 1)  // list element
        case 3: return .int(Int64(Int8(bitPattern: try readByte())))
        case 4, 5, 6: return .int(zigzag(try readVarint()))
        case 7:
            guard bytes.count - position >= 8 else { throw fail("a double runs past the end") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return .double(Double(bitPattern: bits))
        case 8:
            let count = try readVarint()
            guard count <= UInt64(bytes.count - position) else {
                throw fail("a binary of \(count) bytes runs past the end")
            }
            let n = Int(count)
            defer { position += n }
            return .binary(Array(bytes[position..<(position + n)]))
        case 9, 10:
            let header = try readByte()
            var count = UInt64(header >> 4)
            if count == 15 { count = try readVarint() }
            // Every element takes at least one byte.
            guard count <= UInt64(bytes.count - position) else {
                throw fail("a list of \(count) elements runs past the end")
            }
            guard depth + 1 < Self.maxDepth else { throw fail("lists nested too deep") }
            var elements: [ThriftNode] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                elements.append(try readValue(type: header & 0x0F, depth: depth + 1))
            }
            return .list(elements)
        case 11:
            let count = try readVarint()
            if count == 0 { return .map }
            guard count <= UInt64(bytes.count - position) else {
                throw fail("a map of \(count) entries runs past the end")
            }
            let types = try readByte()
            for _ in 0..<Int(count) {
                _ = try readValue(type: types >> 4, depth: depth + 1)
                _ = try readValue(type: types & 0x0F, depth: depth + 1)
            }
            return .map
        case 12: return .structure(try readStruct(depth: depth + 1))
        default:
            throw fail("unknown compact type \(type)")
        }
    }

    private mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw fail("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            guard shift < 64 else { throw fail("a varint is longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private func zigzag(_ v: UInt64) -> Int64 {
        Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }
}

/// Typed access to decoded fields, with errors naming the field.
extension ThriftFields {
    func int(_ id: Int16, _ name: String, in what: String) throws(ParquetError) -> Int64 {
        guard case .int(let v)? = self[id] else {
            throw ParquetError("\(what) lacks its required field \(name) (or it has the wrong type)")
        }
        return v
    }

    func optionalInt(_ id: Int16) -> Int64? {
        if case .int(let v)? = self[id] { return v }
        return nil
    }

    func int32(_ id: Int16, _ name: String, in what: String) throws(ParquetError) -> Int32 {
        let v = try int(id, name, in: what)
        guard let r = Int32(exactly: v) else { throw ParquetError("\(what) has \(name) \(v), out of range") }
        return r
    }

    func optionalBinary(_ id: Int16) -> [UInt8]? {
        if case .binary(let v)? = self[id] { return v }
        return nil
    }

    func optionalString(_ id: Int16) -> String? {
        optionalBinary(id).map { String(decoding: $0, as: UTF8.self) }
    }

    func optionalBool(_ id: Int16) -> Bool? {
        if case .bool(let v)? = self[id] { return v }
        return nil
    }

    func optionalStruct(_ id: Int16) -> ThriftFields? {
        if case .structure(let v)? = self[id] { return v }
        return nil
    }

    func list(_ id: Int16) -> [ThriftNode]? {
        if case .list(let v)? = self[id] { return v }
        return nil
    }
}

/// `withUnsafeBytes` for a body that throws `ParquetError` (the standard one rethrows `any Error`).
func withRawBytes<R>(
    _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R
) throws(ParquetError) -> R {
    var result: Result<R, ParquetError>?
    array.withUnsafeBytes { raw in
        do throws(ParquetError) { result = .success(try body(raw)) } catch { result = .failure(error) }
    }
    return try result!.get()
}
