import DatasetContract
import Foundation
import HexDigits
import Normalize
import Parquet

/// Appends values in the staging files' compact binary layout: unsigned LEB128 varints,
/// zigzag signed varints, and length-prefixed UTF-8 strings.
///
/// The bytes live in a zero-filled array that only grows, with `count` marking the end: values
/// are written through a pointer into room reserved beforehand (`Room`), never by per-byte
/// `append` with its uniqueness and capacity checks, which was most of the cost of staging a
/// record. `withRoom` reserves room for many values (a whole staged record or row) at once;
/// `varint` and `string` reserve room for one (the files' headers).
struct BinaryWriter {
    private var storage: [UInt8]
    /// How many bytes have been written.
    private(set) var count = 0

    init(capacity: Int = 4096) { storage = [UInt8](repeating: 0, count: Swift.max(capacity, 64)) }

    /// The bytes written, as a new array.
    var bytes: [UInt8] { Array(storage[..<count]) }

    /// Calls `body` with the bytes written (valid only during the call).
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    /// Reserves `room` bytes, lets `body` write values into them through one pointer (with one
    /// check of the buffer's capacity and uniqueness for them all), and keeps what it wrote.
    /// `body` writing more than `room` bytes is a programming error and traps (`Room` checks
    /// every value against the room left; nothing is written past it).
    @inline(__always)
    mutating func withRoom<Result>(_ room: Int, _ body: (inout Room) -> Result) -> Result {
        if count + room > storage.count {
            storage.append(contentsOf: repeatElement(0, count: Swift.max(count + room, storage.count * 2) - storage.count))
        }
        let at = count
        let (result, written) = storage.withUnsafeMutableBufferPointer { buffer in
            var reserved = Room(start: buffer.baseAddress! + at, capacity: room)
            let result = body(&reserved)
            return (result, reserved.written)
        }
        count = at + written
        return result
    }

    /// Bytes reserved in a `BinaryWriter` by `withRoom`, written value by value; valid only
    /// during that call. A value takes at most `mostBeyondText` bytes beyond its string's UTF-8
    /// (a number at most `mostForInt`); a value that would not fit in the room left traps.
    struct Room {
        private let start: UnsafeMutablePointer<UInt8>
        private let capacity: Int
        /// Bytes written so far.
        private(set) var written = 0

        fileprivate init(start: UnsafeMutablePointer<UInt8>, capacity: Int) {
            self.start = start
            self.capacity = capacity
        }

        /// The most a varint or an `int` takes.
        static let mostForInt = 10
        /// The most an optional int takes, and the most any value takes beyond its string's UTF-8.
        static let mostBeyondText = 11

        /// Lets `write` fill at most `most` bytes at the end of what was written; it returns how
        /// many it wrote.
        @inline(__always)
        private mutating func put(atMost most: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
            precondition(written + most <= capacity, "a staged value does not fit in the room reserved for it")
            written += write(start + written)
        }

        @inline(__always)
        private static func putVarint(_ value: UInt64, _ out: UnsafeMutablePointer<UInt8>) -> Int {
            var v = value
            var n = 0
            while v >= 0x80 {
                out[n] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                n += 1
            }
            out[n] = UInt8(v)
            return n + 1
        }

        /// Writes `prefix` (if any), the varint length of `utf8`, then `utf8` at `out`, which has
        /// room for `11 + utf8.count` bytes; returns how many it wrote.
        @inline(__always)
        private static func putLengthPrefixed(
            prefix: UInt8?, _ utf8: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>
        ) -> Int {
            var n = 0
            if let prefix {
                out[0] = prefix
                n = 1
            }
            n += putVarint(UInt64(utf8.count), out + n)
            if let base = utf8.baseAddress { (out + n).update(from: base, count: utf8.count) }
            return n + utf8.count
        }

        /// `prefix` (if any), the varint length of `utf8`, then `utf8`.
        @inline(__always)
        private mutating func lengthPrefixed(prefix: UInt8?, _ utf8: UnsafeBufferPointer<UInt8>) {
            put(atMost: Self.mostBeyondText + utf8.count) { Self.putLengthPrefixed(prefix: prefix, utf8, $0) }
        }

        mutating func varint(_ value: UInt64) {
            put(atMost: Self.mostForInt) { Self.putVarint(value, $0) }
        }

        mutating func int(_ value: Int) {
            let v = Int64(value)
            varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        }

        mutating func byte(_ value: UInt8) {
            put(atMost: 1) { out in
                out[0] = value
                return 1
            }
        }

        mutating func string(_ value: String) {
            BinaryWriter.withUTF8(value) { utf8 in lengthPrefixed(prefix: nil, utf8) }
        }

        /// 0 for nil, else 1 + the value.
        mutating func optionalInt(_ value: Int?) {
            if let value { byte(1); int(value) } else { byte(0) }
        }

        mutating func optionalString(_ value: String?) {
            guard let value else { return byte(0) }
            taggedString(value)
        }

        /// `optionalString` of the string whose UTF-8 is `utf8`.
        mutating func optionalUTF8(_ utf8: UnsafeBufferPointer<UInt8>?) {
            guard let utf8 else { return byte(0) }
            lengthPrefixed(prefix: 1, utf8)
        }

        /// 1, then the string: the form an optional or repeated string takes when present.
        private mutating func taggedString(_ value: String) {
            BinaryWriter.withUTF8(value) { utf8 in lengthPrefixed(prefix: 1, utf8) }
        }

        mutating func optionalBool(_ value: Bool?) {
            byte(value == nil ? 0 : value! ? 2 : 1)
        }

        /// A string that usually repeats the previous row's: 0 when it equals `previous`, else 1
        /// and the string (which becomes `previous`).
        mutating func repeatedString(_ value: String, previous: inout String) {
            if value == previous {
                byte(0)
            } else {
                taggedString(value)
                previous = value
            }
        }

        /// A pseudonym: 2 and its 32 bytes. (A 1 and the key's text was written for a key that
        /// was not 64 lower-case hex digits, which the pipeline never made; such a key is no
        /// `Pseudonym`, and the readers take it for damage.)
        mutating func key(_ pseudonym: Pseudonym) {
            put(atMost: 1 + Pseudonym.byteCount) { out in
                out[0] = 2
                pseudonym.withBytes { UnsafeMutableRawPointer(out + 1).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                return 1 + Pseudonym.byteCount
            }
        }
    }

    /// Calls `body` with `text`'s UTF-8 in place: a native string's own storage (no copy of the
    /// String, so no retain and release per value), else a contiguous copy.
    @inline(__always)
    fileprivate static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    /// The room `text` needs at most as any one value: its UTF-8 and `Room.mostBeyondText`.
    private static func mostFor(_ text: String) -> Int { Room.mostBeyondText + text.utf8.count }

    mutating func varint(_ value: UInt64) { withRoom(Room.mostForInt) { $0.varint(value) } }

    mutating func string(_ value: String) { withRoom(Self.mostFor(value)) { $0.string(value) } }

    /// Forgets what was written, keeping the room.
    mutating func removeAll() { count = 0 }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked, so a damaged staging file is
/// an error, never a crash.
struct BinaryReader {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    struct Damaged: Error {}

    mutating func byte() throws(Damaged) -> UInt8 {
        guard position < bytes.count else { throw Damaged() }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(Damaged) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw Damaged() }
        }
    }

    mutating func int() throws(Damaged) -> Int {
        let raw = try varint()
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    mutating func string() throws(Damaged) -> String {
        let count = Int(try varint())
        guard count >= 0, count <= bytes.count - position else { throw Damaged() }
        defer { position += count }
        // Validated, not repaired: a damaged staging file is an error, never a silent U+FFFD.
        guard let text = String(validating: bytes[position..<position + count], as: UTF8.self) else { throw Damaged() }
        return text
    }

    mutating func optionalInt() throws(Damaged) -> Int? {
        try byte() == 0 ? nil : try int()
    }

    /// Reads what `BinaryWriter.repeatedString` wrote.
    mutating func repeatedString(previous: inout String) throws(Damaged) -> String {
        switch try byte() {
        case 0: return previous
        case 1:
            previous = try string()
            return previous
        default: throw Damaged()
        }
    }

    /// Reads what `BinaryWriter.key` wrote.
    mutating func key() throws(Damaged) -> Pseudonym {
        guard try byte() == 2, bytes.count - position >= Pseudonym.byteCount else { throw Damaged() }
        defer { position += Pseudonym.byteCount }
        return bytes.withUnsafeBytes { Pseudonym(bytes: $0.baseAddress! + position) }
    }

    mutating func optionalString() throws(Damaged) -> String? {
        try byte() == 0 ? nil : try string()
    }

    mutating func optionalBool() throws(Damaged) -> Bool? {
        switch try byte() {
        case 0: return nil
        case 1: return false
        case 2: return true
        default: throw Damaged()
        }
    }
    // MARK: Straight into column buffers (the load stage's path: no String per value)

    /// A string's UTF-8, appended to `column` after checking it is UTF-8 (staging files carry no
    /// checksum, and a damaged one must not put invalid text into a STRING column).
    mutating func appendString(to column: inout ParquetColumnBuffer) throws(Damaged) {
        let count = Int(try varint())
        guard count >= 0, count <= bytes.count - position else { throw Damaged() }
        defer { position += count }
        let valid = bytes.withUnsafeBytes { all -> Bool in
            let value = UnsafeRawBufferPointer(rebasing: all[position..<position + count])
            guard Self.isUTF8(value) else { return false }
            column.append(bytes: value)
            return true
        }
        guard valid else { throw Damaged() }
    }

    /// Reads what `optionalString` reads, into `column` (a null when absent).
    mutating func appendOptionalString(to column: inout ParquetColumnBuffer) throws(Damaged) {
        if try byte() == 0 { column.appendNull() } else { try appendString(to: &column) }
    }

    /// Reads what `key` reads, into `column`: a packed key as its 64 hex digits. Returns the
    /// key's `KeyDigest`.
    mutating func appendKey(to column: inout ParquetColumnBuffer) throws(Damaged) -> KeyDigest {
        let key = try key()
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { out in
            key.withBytes { Hex.encode($0, into: out) }
            column.append(bytes: UnsafeRawBufferPointer(out))
        }
        return key.keyDigest
    }

    /// Reads what `optionalBool` reads, into `column`.
    mutating func appendOptionalBool(to column: inout ParquetColumnBuffer) throws(Damaged) {
        if let value = try optionalBool() { column.append(value) } else { column.appendNull() }
    }

    /// Reads what `optionalInt` reads, into an INT32 `column`; a value outside Int32 is damage.
    mutating func appendOptionalInt32(to column: inout ParquetColumnBuffer) throws(Damaged) {
        guard let value = try optionalInt() else { return column.appendNull() }
        guard let narrow = Int32(exactly: value) else { throw Damaged() }
        column.append(narrow)
    }

    /// Whether `bytes` are UTF-8 (what a staged text must be; anything else is damage).
    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // ASCII (every value the pipeline stages but free text) is checked eight bytes at a time.
        var high: UInt64 = 0
        var index = 0
        while index + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        if high & 0x8080_8080_8080_8080 == 0 { return true }
        return String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
    }
}
