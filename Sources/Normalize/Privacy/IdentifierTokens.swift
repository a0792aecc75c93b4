import Foundation

/// The identifier tokens of one member's records, field by field, remembering each field's last
/// raw id and its token: a case's child id is "1" on row after row (most cases have one child),
/// and its token (two SHA-256 compressions, a 64-digit string) is then made once, not per row.
///
/// A remembered token is reused only for a raw id with exactly the same UTF-8 bytes, not merely
/// an equal `String` (canonically equivalent text, "é" precomposed or not, gets different
/// tokens, as `Pseudonymizer.identifierToken` gives it), so the tokens are always exactly those
/// of `identifierToken(member:rawID:)`.
public struct IdentifierTokens: Sendable {
    private let pseudonymizer: Pseudonymizer
    private let member: String
    /// By field: the last raw id and its token.
    private var last: [(rawID: String, token: String)?]

    /// Tokens for `fieldCount` identifier fields (numbered from 0) of `member`'s records.
    public init(pseudonymizer: Pseudonymizer, member: String, fieldCount: Int) {
        self.pseudonymizer = pseudonymizer
        self.member = member
        last = Array(repeating: nil, count: fieldCount)
    }

    /// The token of `rawID` in identifier field `field`.
    public mutating func token(field: Int, rawID: String) -> String {
        if let (previous, token) = last[field], Self.sameBytes(previous, rawID) { return token }
        let token = pseudonymizer.identifierToken(member: member, rawID: rawID)
        last[field] = (rawID, token)
        return token
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
