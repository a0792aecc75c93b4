import Crypto
import Foundation

/// Keyed pseudonyms (HMAC-SHA-256, lower-case hex) for case and child identifiers. The same key
/// and id always give the same pseudonym; without the key the id cannot be recovered or tested.
public struct Pseudonymizer: Sendable {
    private let keyBytes: [UInt8]

    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 16

    /// `keyBytes` is the secret key, at least `minimumKeyBytes` long (a shorter key is a
    /// programming error: callers check the configured key first and explain the problem); it
    /// is never logged or written out.
    public init(keyBytes: [UInt8]) {
        precondition(
            keyBytes.count >= Self.minimumKeyBytes,
            "the pseudonymisation key must be at least \(Self.minimumKeyBytes) bytes")
        self.keyBytes = keyBytes
    }

    /// Pseudonym of a member's local case id.
    public func caseKey(member: String, caseID: String) -> String {
        hex(["case", member, caseID])
    }

    /// Pseudonym of a child within a member's case.
    public func childKey(member: String, caseID: String, childID: String) -> String {
        hex(["child", member, caseID, childID])
    }

    private func hex(_ parts: [String]) -> String {
        // The unit separator cannot occur in ids, so different splits cannot collide.
        let message = Data(parts.joined(separator: "\u{1F}").utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes))
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in mac {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
