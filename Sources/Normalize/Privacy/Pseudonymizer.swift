import CLibCrypto

/// Keyed pseudonyms (HMAC-SHA-256, lower-case hex) for case and child identifiers. The same key
/// and id always give the same pseudonym; without the key the id cannot be recovered or tested.
///
/// A pseudonym is HMAC-SHA-256 (RFC 2104), written as lower-case hex, under the secret key of the
/// message made of a tag ("id", "case" or "child") and the parts that follow it, as UTF-8, joined
/// by the unit separator 0x1F. SHA-256 is OpenSSL's libcrypto (SHA-NI where the CPU has it).
///
/// This runs four times per case record, so it avoids all per-call set-up: the key's inner and
/// outer SHA-256 states (key XOR ipad, key XOR opad) are absorbed once in `init` and kept as plain
/// C structs; each pseudonym copies the message into a buffer on the stack, pads it there and
/// compresses its blocks (`SHA256_Transform`) into a copy of the inner state, does the same for
/// the outer hash, and returns the 32-byte MAC as a `Pseudonym` (an identifier token as its hex).
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
        // Both states have absorbed exactly one block, so nothing waits in their buffers and
        // the message's blocks can be compressed straight into copies of them.
        precondition(inner.num == 0 && outer.num == 0, "an HMAC key block is one whole SHA-256 block")
        self.inner = inner
        self.outer = outer
    }

    /// The keyed token that stands for a raw identifier from the first stage on, so that no raw
    /// id is ever written, not even to staging. Case and child keys are then computed from it.
    /// Its text is the 64 hex digits of the MAC.
    public func identifierToken(member: String, rawID: String) -> String {
        keyedMAC(tag: "id", member, rawID).hex
    }

    /// Pseudonym of a member's local case id.
    public func caseKey(member: String, caseID: String) -> Pseudonym {
        keyedMAC(tag: "case", member, caseID)
    }

    /// Pseudonym of a child within a member's case.
    public func childKey(member: String, caseID: String, childID: String) -> Pseudonym {
        keyedMAC(tag: "child", member, caseID, childID)
    }

    /// The raw 32-byte HMAC-SHA-256 of `message` (for the known-answer tests).
    func mac(_ message: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: Self.digestBytes)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.messageCapacity) { buffer in
            result.withUnsafeMutableBufferPointer { out in
                message.withUnsafeBufferPointer { message in
                    if message.count <= Self.messageCapacity - Self.paddingBytes {
                        if let base = message.baseAddress {
                            buffer.baseAddress!.update(from: base, count: message.count)
                        }
                        macOfPaddable(buffer.baseAddress!, count: message.count, into: out.baseAddress!)
                    } else {
                        macStreamed(message, into: out.baseAddress!)
                    }
                }
            }
        }
        return result
    }

    // MARK: - Hashing

    /// The most bytes of message (with its padding) hashed by compressing whole blocks in place:
    /// four blocks, enough for every key the pipeline makes (a child key over two identifier
    /// tokens is about 150 bytes). A longer message (a very long raw id) is streamed.
    private static let messageCapacity = 4 * blockBytes
    /// SHA-256's padding: the 0x80 byte and the 64-bit message length.
    private static let paddingBytes = 9

    /// The MAC of the message `tag`, then each part after the unit separator 0x1F
    /// (`forEachPiece`).
    private func keyedMAC(tag: StaticString, _ first: String, _ second: String, _ third: String? = nil) -> Pseudonym {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.messageCapacity + Self.digestBytes) { buffer in
            let message = UnsafeMutableBufferPointer(rebasing: buffer[..<Self.messageCapacity])
            let mac = buffer.baseAddress! + Self.messageCapacity
            var writer = MessageWriter(buffer: message, limit: Self.messageCapacity - Self.paddingBytes)
            Self.forEachPiece(tag: tag, first, second, third) { writer.append($0) }
            if writer.fits {
                macOfPaddable(message.baseAddress!, count: writer.count, into: mac)
            } else {
                var context = inner
                Self.forEachPiece(tag: tag, first, second, third) { SHA256_Update(&context, $0.baseAddress, $0.count) }
                finish(innerContext: &context, into: mac)
            }
            return Pseudonym(bytes: mac)
        }
    }

    /// Calls `body` with the message's pieces in order: the tag, then for each part the unit
    /// separator 0x1F and the part's UTF-8 (read in place from a native string). The separator
    /// cannot occur in ids, so different splits of the same characters cannot collide.
    @inline(__always)
    private static func forEachPiece(
        tag: StaticString, _ first: String, _ second: String, _ third: String?,
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        body(UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { separator in
            separator[0] = 0x1F
            func piece(_ part: String) {
                body(UnsafeBufferPointer(separator))
                let feed = { (bytes: UnsafeBufferPointer<UInt8>) -> Void in if !bytes.isEmpty { body(bytes) } }
                if part.utf8.withContiguousStorageIfAvailable(feed) == nil {
                    var copy = part
                    copy.withUTF8(feed)
                }
            }
            piece(first)
            piece(second)
            if let third { piece(third) }
        }
    }

    /// Copies a message's pieces into a buffer, up to `limit` bytes; past it, `fits` is false.
    private struct MessageWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        let limit: Int
        private(set) var count = 0
        private(set) var fits = true

        init(buffer: UnsafeMutableBufferPointer<UInt8>, limit: Int) {
            self.buffer = buffer
            self.limit = limit
        }

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard fits, count + bytes.count <= limit else {
                fits = false
                return
            }
            if let base = bytes.baseAddress { (buffer.baseAddress! + count).update(from: base, count: bytes.count) }
            count += bytes.count
        }
    }

    /// The HMAC of the `count` bytes at `message`, whose buffer has room for the padding
    /// (`messageCapacity` bytes in all): pads the message in place as SHA-256 does and
    /// compresses its blocks straight into a copy of the keyed inner state, then the inner
    /// digest likewise into the outer one. (The same result as `SHA256_Update` and
    /// `SHA256_Final`, without their copying into the context's buffer and call per part;
    /// those were about as much work as the compressions themselves.)
    private func macOfPaddable(_ message: UnsafeMutablePointer<UInt8>, count: Int, into mac: UnsafeMutablePointer<UInt8>) {
        // The inner hash has absorbed the key block; the message follows it.
        let blocks = Self.pad(message, count: count, hashedBefore: Self.blockBytes)
        var context = inner
        for block in 0..<blocks { SHA256_Transform(&context, message + block * Self.blockBytes) }
        Self.digest(of: context, into: message)
        let outerBlocks = Self.pad(message, count: Self.digestBytes, hashedBefore: Self.blockBytes)
        var outerContext = outer
        for block in 0..<outerBlocks { SHA256_Transform(&outerContext, message + block * Self.blockBytes) }
        Self.digest(of: outerContext, into: mac)
    }

    /// Appends SHA-256's padding to the `count` bytes at `bytes`, which follow `hashedBefore`
    /// bytes already absorbed: 0x80, zeros, then the bit length of everything hashed, big-endian,
    /// to a whole number of blocks. Returns that number of blocks.
    @inline(__always)
    private static func pad(_ bytes: UnsafeMutablePointer<UInt8>, count: Int, hashedBefore: Int) -> Int {
        let blocks = (count + paddingBytes + blockBytes - 1) / blockBytes
        let end = blocks * blockBytes
        bytes[count] = 0x80
        (bytes + count + 1).update(repeating: 0, count: end - 8 - count - 1)
        var bits = UInt64(hashedBefore + count) * 8
        for index in stride(from: end - 1, through: end - 8, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: bits)
            bits >>= 8
        }
        return blocks
    }

    /// The 32-byte digest held in `context`'s state words (big-endian, as SHA-256 writes it).
    @inline(__always)
    private static func digest(of context: SHA256_CTX, into out: UnsafeMutablePointer<UInt8>) {
        withUnsafeBytes(of: context.h) { words in
            for index in 0..<8 {
                let word = UInt32(bigEndian: words.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
                (UnsafeMutableRawPointer(out) + 4 * index).storeBytes(of: word, as: UInt32.self)
            }
        }
    }

    /// The HMAC of a message too long for `macOfPaddable`, through `SHA256_Update`/`SHA256_Final`.
    private func macStreamed(_ message: UnsafeBufferPointer<UInt8>, into mac: UnsafeMutablePointer<UInt8>) {
        var context = inner
        if let base = message.baseAddress { SHA256_Update(&context, base, message.count) }
        finish(innerContext: &context, into: mac)
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
}
