/// Renders values and statistics for people (`inspect`) and as JSON (interop tests), given the
/// column's descriptor. JSON conventions: null; true/false; integers (DATE as days since
/// 1970-01-01, TIMESTAMP as microseconds); floating point in shortest round-trip form, with
/// "NaN", "Infinity" and "-Infinity" as strings; STRING as a JSON string; other BYTE_ARRAY as
/// `{"hex": "..."}`.
public enum ParquetValueFormatter {
    /// The JSON text of every value of `buffer`.
    public static func jsonValues(_ buffer: ParquetColumnBuffer, _ column: ParquetColumnDescriptor) -> [String] {
        var out: [String] = []
        out.reserveCapacity(buffer.count)
        var next = 0
        for row in 0..<buffer.count {
            if buffer.isNull(row: row) {
                out.append("null")
                continue
            }
            out.append(json(buffer, next, column))
            next += 1
        }
        return out
    }

    /// Display text of every value (`null` for nulls), e.g. dates as 2025-03-01.
    public static func displayValues(_ buffer: ParquetColumnBuffer, _ column: ParquetColumnDescriptor) -> [String] {
        var out: [String] = []
        var next = 0
        for row in 0..<buffer.count {
            if buffer.isNull(row: row) {
                out.append("null")
                continue
            }
            out.append(display(buffer, next, column))
            next += 1
        }
        return out
    }

    static func json(_ b: ParquetColumnBuffer, _ i: Int, _ column: ParquetColumnDescriptor) -> String {
        switch b.physicalType {
        case .boolean: return b.booleans[i] ? "true" : "false"
        case .int32:
            if case .integer(_, signed: false) = column.logicalType { return String(UInt32(bitPattern: b.int32s[i])) }
            return String(b.int32s[i])
        case .int64:
            if case .integer(_, signed: false) = column.logicalType { return String(UInt64(bitPattern: b.int64s[i])) }
            return String(b.int64s[i])
        case .float: return floating(Double(b.floats[i]))
        case .double: return floating(b.doubles[i])
        case .byteArray:
            let bytes = b.byteValue(i)
            if column.logicalType == .string, let s = String(validating: bytes, as: UTF8.self) {
                return jsonString(s)
            }
            return "{\"hex\": \"\(hex(bytes))\"}"
        }
    }

    static func display(_ b: ParquetColumnBuffer, _ i: Int, _ column: ParquetColumnDescriptor) -> String {
        switch (b.physicalType, column.logicalType) {
        case (.int32, .date?): return date(Int64(b.int32s[i]))
        case (.int64, .timestampMicrosUTC?): return timestamp(b.int64s[i])
        case (.byteArray, _):
            let bytes = b.byteValue(i)
            if column.logicalType == .string || column.annotation == nil,
                let s = String(validating: bytes, as: UTF8.self)
            {
                return jsonString(s)
            }
            return "0x" + hex(bytes)
        default: return json(b, i, column)
        }
    }

    /// Display text of a statistics value (PLAIN bytes of the physical type), or nil if it does
    /// not have the physical type's size.
    public static func statisticsValue(_ bytes: [UInt8], _ column: ParquetColumnDescriptor) -> String? {
        guard let type = column.physicalType else { return "0x" + hex(bytes[...]) }
        var b = ParquetColumnBuffer(type)
        var cursor = ByteCursor(type == .byteArray ? PlainEncoder.littleEndianBytes(UInt32(bytes.count)) + bytes : bytes, context: "statistics")
        guard (try? cursor.plain(type, count: 1, into: &b)) != nil else { return nil }
        if type != .byteArray && type != .boolean && cursor.position != bytes.count { return nil }
        return display(b, 0, column)
    }

    static func floating(_ v: Double) -> String {
        if v.isNaN { return "\"NaN\"" }
        if v.isInfinite { return v < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return v.description
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let h = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Proleptic Gregorian date of `days` since 1970-01-01.
    static func date(_ days: Int64) -> String {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func timestamp(_ micros: Int64) -> String {
        let (days, rest) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        let (d, r) = rest < 0 ? (days - 1, rest + 86_400_000_000) : (days, rest)
        let seconds = r / 1_000_000
        let fraction = r % 1_000_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let f = String(fraction)
        return "\(date(d))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))."
            + String(repeating: "0", count: 6 - f.count) + f + "Z"
    }
}
