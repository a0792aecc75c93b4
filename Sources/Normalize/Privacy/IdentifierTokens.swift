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
    /// By field: the last value and what was staged for it.
    private var last: [(value: String, staged: String)?]
    /// The same for `token(field:utf8:)`: the last value's bytes and its token.
    private var hasLastBytes: [Bool]
    private var lastValueBytes: [[UInt8]]
    private var lastTokens: [Pseudonym?]

    /// Tokens for `fieldCount` identifier fields (numbered from 0) of `member`'s records, whose
    /// submission's null values (`SubmissionMapping.nullValues`) are `nullValues`.
    public init(pseudonymizer: Pseudonymizer, member: String, fieldCount: Int, nullValues: Set<String> = []) {
        self.pseudonymizer = pseudonymizer
        self.member = member
        self.nullValues = NullValues(nullValues)
        last = Array(repeating: nil, count: fieldCount)
        hasLastBytes = Array(repeating: false, count: fieldCount)
        lastValueBytes = Array(repeating: [], count: fieldCount)
        lastTokens = Array(repeating: nil, count: fieldCount)
    }

    /// What is staged for `value` in identifier field `field`: the token of the id it holds, or
    /// the value itself when it holds none.
    public mutating func staged(field: Int, value: String) -> String {
        if let (previous, staged) = last[field], Self.sameBytes(previous, value) { return staged }
        let staged = token(ofValue: value)?.hex ?? value
        last[field] = (value, staged)
        return staged
    }

    /// The token staged for the value whose UTF-8 is `value` in identifier field `field`, or nil
    /// when it holds no id (then it is staged as it is): the bytes form of `staged(field:value:)`.
    /// A value that starts and ends with a visible ASCII character and is no null value (the
    /// bytes decide that only when both are ASCII) is an id as it is, keyed from the bytes in
    /// place; any other value is read as text by the same rule as `staged(field:value:)`.
    public mutating func token(field: Int, utf8 value: UnsafeBufferPointer<UInt8>) -> Pseudonym? {
        if hasLastBytes[field], Self.sameBytes(lastValueBytes[field], value) { return lastTokens[field] }
        let token: Pseudonym?
        if let first = value.first, let last = value.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80,
            nullValues.match(value) == .no
        {
            token = pseudonymizer.token(member: member, rawID: value)
        } else {
            token = self.token(ofValue: String(decoding: value, as: UTF8.self))
        }
        // Kept in the array's own room: a case id is new on every record.
        lastValueBytes[field].removeAll(keepingCapacity: true)
        lastValueBytes[field].append(contentsOf: value)
        lastTokens[field] = token
        hasLastBytes[field] = true
        return token
    }

    /// The rule: the id a value holds is the value trimmed, unless that is empty or a null value.
    private func token(ofValue value: String) -> Pseudonym? {
        let id = MappingLoader.trim(value)
        return nullValues.holdsID(id) ? pseudonymizer.token(member: member, rawID: id) : nil
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
