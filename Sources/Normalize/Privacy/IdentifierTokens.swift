import Foundation

/// What the extract stage stages for the identifier values of one member's records, field by
/// field: a value that holds an id becomes the keyed token of the id (the value trimmed, so an id
/// padded with spaces is the same id, as the normalizer reads it); a value that is empty or one of
/// the submission's null values once trimmed holds no id and is staged as it is, so that the
/// normalizer reports it missing (or uses the mapping's default) exactly as it would from the
/// raw record. Staging never holds a raw id either way.
///
/// Each field's last value and what was staged for it are remembered: a case's child id is "1"
/// on row after row (most cases have one child), and its token (two SHA-256 compressions, a
/// 64-digit string) is then made once, not per row. A remembered result is reused only for a
/// value with exactly the same UTF-8 bytes, not merely an equal `String` (canonically equivalent
/// text, "é" precomposed or not, gets different tokens, as `Pseudonymizer.identifierToken` gives
/// it), so the result is always exactly what the rule above gives.
public struct IdentifierTokens: Sendable {
    private let pseudonymizer: Pseudonymizer
    private let member: String
    /// The submission's null values.
    private let nullValues: NullValues
    /// By field: the last value's bytes, its token (nil: it held no id) and the token's digits
    /// once `staged(field:value:)` has made them. (Not optional, so that the value's array is
    /// changed in place, not copied.)
    private var last: [Remembered]

    private struct Remembered: Sendable {
        var isSet = false
        var value: [UInt8] = []
        var token: Pseudonym?
        var digits: String?
    }

    /// Tokens for `fieldCount` identifier fields (numbered from 0) of `member`'s records, whose
    /// submission's null values (`SubmissionMapping.nullValues`) are `nullValues`.
    public init(pseudonymizer: Pseudonymizer, member: String, fieldCount: Int, nullValues: Set<String> = []) {
        self.pseudonymizer = pseudonymizer
        self.member = member
        self.nullValues = NullValues(nullValues)
        last = Array(repeating: Remembered(), count: fieldCount)
    }

    /// What is staged for `value` in identifier field `field`: the token of the id it holds (its
    /// 64 hex digits), or the value itself when it holds none.
    public mutating func staged(field: Int, value: String) -> String {
        var bytes = value
        guard let token = bytes.withUTF8({ token(field: field, utf8: $0) }) else { return value }
        if let digits = last[field].digits { return digits }
        let digits = token.hex
        last[field].digits = digits
        return digits
    }

    /// The token of the id that the value whose UTF-8 is `value` holds in identifier field
    /// `field`, or nil when it holds none (then it is staged as it is). A value that starts and
    /// ends with a visible ASCII character and is no null value (the bytes decide that only when
    /// both are ASCII) is an id as it is, keyed from the bytes in place; any other value is read
    /// as text: trimmed, and no id when that is empty or a null value.
    public mutating func token(field: Int, utf8 value: UnsafeBufferPointer<UInt8>) -> Pseudonym? {
        if last[field].isSet, Self.sameBytes(last[field].value, value) { return last[field].token }
        let token: Pseudonym?
        if MappingLoader.trimKeeps(value), nullValues.match(value) == .no {
            token = pseudonymizer.token(member: member, rawID: value)
        } else {
            let id = MappingLoader.trim(String(decoding: value, as: UTF8.self))
            token = nullValues.holdsID(id) ? pseudonymizer.token(member: member, rawID: id) : nil
        }
        // Kept in the array's own room: a case id is new on every record.
        last[field].isSet = true
        last[field].value.removeAll(keepingCapacity: true)
        last[field].value.append(contentsOf: value)
        last[field].token = token
        last[field].digits = nil
        return token
    }

    /// Whether `a` holds the bytes of `b` (one `memcmp`).
    private static func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.count == 0 || a.withUnsafeBufferPointer { memcmp($0.baseAddress!, b.baseAddress!, a.count) == 0 }
    }

    /// Whether `a` and `b` have the same UTF-8 bytes: one `memcmp` over their storage (ids are
    /// native strings), where `elementsEqual` walked the views byte by byte.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in
                count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0
            }
        }
        if let compared, let same = compared { return same }
        return a.utf8.elementsEqual(b.utf8)
    }
}
