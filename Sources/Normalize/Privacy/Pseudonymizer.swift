import Crypto
import Foundation

/// Keyed pseudonyms (HMAC-SHA-256, lower-case hex) for case and child identifiers. The same key
/// and id always give the same pseudonym; without the key the id cannot be recovered or tested.
///
/// Unchecked Sendable: the only stored state is an HMAC already keyed and never updated in place;
/// every pseudonym is computed on a copy, so sharing it across threads is safe.
public struct Pseudonymizer: @unchecked Sendable {
    /// Keyed once (the expensive part of HMAC); copied for each message.
    private let keyed: HMAC<SHA256>

    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 16

    /// `keyBytes` is the secret key, at least `minimumKeyBytes` long (a shorter key is a
    /// programming error: callers check the configured key first and explain the problem); it
    /// is never logged or written out.
    public init(keyBytes: [UInt8]) {
        precondition(
            keyBytes.count >= Self.minimumKeyBytes,
            "the pseudonymisation key must be at least \(Self.minimumKeyBytes) bytes")
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: keyBytes))
    }

    /// The keyed token that stands for a raw identifier from the first stage on, so that no raw
    /// id is ever written, not even to staging. Case and child keys are then computed from it.
    public func identifierToken(member: String, rawID: String) -> String {
        hex(["id", member, rawID])
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
        var message = [UInt8]()
        message.reserveCapacity(parts.reduce(parts.count) { $0 + $1.utf8.count })
        for (index, part) in parts.enumerated() {
            if index > 0 { message.append(0x1F) }
            message.append(contentsOf: part.utf8)
        }
        var hmac = keyed
        message.withUnsafeBytes { hmac.update(data: $0) }
        let mac = hmac.finalize()
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
