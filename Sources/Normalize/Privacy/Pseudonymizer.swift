import CLibCrypto

/// Keyed pseudonyms (HMAC-SHA-256, lower-case hex) for case and child identifiers. The same key
/// and id always give the same pseudonym; without the key the id cannot be recovered or tested.
///
/// A pseudonym is the lower-case hex of HMAC-SHA-256 (RFC 2104) under the secret key of the
/// message made of a tag ("id", "case" or "child") and the parts that follow it, as UTF-8, joined
/// by the unit separator 0x1F. SHA-256 is OpenSSL's libcrypto (SHA-NI where the CPU has it).
///
/// This runs four times per case record, so it avoids all per-call set-up: the key's inner and
/// outer SHA-256 states (key XOR ipad, key XOR opad) are absorbed once in `init` and kept as plain
/// C structs; each pseudonym copies them by value, streams the parts' UTF-8 straight into the
/// hash and hex-encodes the 32-byte MAC directly into the new string.
public struct Pseudonymizer: Sendable {
    /// SHA-256 state after absorbing the block key XOR ipad; copied, never updated in place.
    private let inner: SHA256_CTX
    /// SHA-256 state after absorbing the block key XOR opad; copied, never updated in place.
    private let outer: SHA256_CTX

    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 16

    /// SHA-256's block size: HMAC pads (or first hashes) the key to this length.
    private static let blockBytes = 64
    /// SHA-256's digest size.
    private static let digestBytes = 32

    /// `keyBytes` is the secret key, at least `minimumKeyBytes` long (a shorter key is a
    /// programming error: callers check the configured key first and explain the problem); it
    /// is never logged or written out.
    public init(keyBytes: [UInt8]) {
        precondition(
            keyBytes.count >= Self.minimumKeyBytes,
            "the pseudonymisation key must be at least \(Self.minimumKeyBytes) bytes")
        self.init(anyLengthKey: keyBytes)
    }

    /// Plain HMAC keying for any key length, without the minimum (the RFC 4231 test vectors use
    /// a 4-byte key). Keys longer than a block are hashed first, as RFC 2104 says.
    init(anyLengthKey keyBytes: [UInt8]) {
        var block = keyBytes
        if block.count > Self.blockBytes {
            var context = SHA256_CTX()
            SHA256_Init(&context)
            SHA256_Update(&context, block, block.count)
            block = [UInt8](repeating: 0, count: Self.digestBytes)
            SHA256_Final(&block, &context)
        }
        block += repeatElement(0, count: Self.blockBytes - block.count)

        var inner = SHA256_CTX()
        SHA256_Init(&inner)
        SHA256_Update(&inner, block.map { $0 ^ 0x36 }, Self.blockBytes)
        var outer = SHA256_CTX()
        SHA256_Init(&outer)
        SHA256_Update(&outer, block.map { $0 ^ 0x5C }, Self.blockBytes)
        self.inner = inner
        self.outer = outer
    }

    /// The keyed token that stands for a raw identifier from the first stage on, so that no raw
    /// id is ever written, not even to staging. Case and child keys are then computed from it.
    public func identifierToken(member: String, rawID: String) -> String {
        var context = inner
        Self.absorb("id", into: &context)
        Self.absorbSeparated(member, into: &context)
        Self.absorbSeparated(rawID, into: &context)
        return hexMAC(innerContext: &context)
    }

    /// Pseudonym of a member's local case id.
    public func caseKey(member: String, caseID: String) -> String {
        var context = inner
        Self.absorb("case", into: &context)
        Self.absorbSeparated(member, into: &context)
        Self.absorbSeparated(caseID, into: &context)
        return hexMAC(innerContext: &context)
    }

    /// Pseudonym of a child within a member's case.
    public func childKey(member: String, caseID: String, childID: String) -> String {
        var context = inner
        Self.absorb("child", into: &context)
        Self.absorbSeparated(member, into: &context)
        Self.absorbSeparated(caseID, into: &context)
        Self.absorbSeparated(childID, into: &context)
        return hexMAC(innerContext: &context)
    }

    /// The raw 32-byte HMAC-SHA-256 of `message` (for the known-answer tests).
    func mac(_ message: [UInt8]) -> [UInt8] {
        var context = inner
        SHA256_Update(&context, message, message.count)
        var result = [UInt8](repeating: 0, count: Self.digestBytes)
        result.withUnsafeMutableBufferPointer { finish(innerContext: &context, into: $0.baseAddress!) }
        return result
    }

    // MARK: - Hashing

    /// Feeds the unit separator, then `part`. The separator cannot occur in ids, so different
    /// splits of the same characters cannot collide.
    @inline(__always)
    private static func absorbSeparated(_ part: String, into context: inout SHA256_CTX) {
        var separator: UInt8 = 0x1F
        SHA256_Update(&context, &separator, 1)
        absorb(part, into: &context)
    }

    /// Feeds `part`'s UTF-8 straight from the string's storage (a native string is not copied).
    @inline(__always)
    private static func absorb(_ part: String, into context: inout SHA256_CTX) {
        var part = part
        part.withUTF8 { bytes in
            if !bytes.isEmpty { SHA256_Update(&context, bytes.baseAddress, bytes.count) }
        }
    }

    /// Completes the HMAC from the inner state that has absorbed the whole message: writes the
    /// 32-byte MAC to `mac`.
    @inline(__always)
    private func finish(innerContext: inout SHA256_CTX, into mac: UnsafeMutablePointer<UInt8>) {
        SHA256_Final(mac, &innerContext)
        var context = outer
        SHA256_Update(&context, mac, Self.digestBytes)
        SHA256_Final(mac, &context)
    }

    /// Completes the HMAC and returns it as 64 lower-case hex digits.
    private func hexMAC(innerContext: inout SHA256_CTX) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.digestBytes) { mac in
            let mac = mac.baseAddress!
            finish(innerContext: &innerContext, into: mac)
            return String(unsafeUninitializedCapacity: 2 * Self.digestBytes) { out in
                let digits: StaticString = "0123456789abcdef"
                let digit = digits.utf8Start
                for index in 0..<Self.digestBytes {
                    let byte = mac[index]
                    out[2 * index] = digit[Int(byte >> 4)]
                    out[2 * index + 1] = digit[Int(byte & 0x0F)]
                }
                return 2 * Self.digestBytes
            }
        }
    }
}
