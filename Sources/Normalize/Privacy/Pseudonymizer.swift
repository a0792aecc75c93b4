import CLibCrypto

/// Keyed pseudonyms (HMAC-SHA-256, lower-case hex) for case and child identifiers. The same key
/// and id always give the same pseudonym; without the key the id cannot be recovered or tested.
///
/// Every MAC is HMAC-SHA-256 (RFC 2104) under the secret key of a message made of a tag ("id" or
/// "child") and the parts that follow it, each after the unit separator 0x1F: text as its UTF-8,
/// a pseudonym as its 32 bytes. SHA-256 is OpenSSL's libcrypto (SHA-NI where the CPU has it).
///
/// - An identifier token is the MAC of "id", the member id and the raw id. The extract stage
///   stages it (as 64 hex digits) in place of every raw case and child id.
/// - A case key (`case_key`) is the case id's token.
/// - A child key (`child_key`) is the MAC of "child", the member id, the case key and the child
///   id's token (the token of "1" when the member sends no child id).
///
/// So a staged record's case key is read, not made, and a case record costs two MACs (the case
/// id's token and the child key; a child id repeated from the record before reuses its token)
/// of five SHA-256 compressions in all. (Until tool version 0.2.0 the keys were MACs over the
/// tokens' hex digits, "case" and "child" messages of two and three blocks: nine compressions.)
///
/// Each MAC avoids all per-call set-up: the key's inner and outer SHA-256 states (key XOR ipad,
/// key XOR opad) are absorbed once in `init` and kept as plain C structs; each pseudonym copies
/// the message into a buffer on the stack, pads it there and compresses its blocks
/// (`SHA256_Transform`) into a copy of the inner state, does the same for the outer hash, and
/// returns the 32-byte MAC as a `Pseudonym` (an identifier token as its hex).
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
    /// id is ever written, not even to staging. Its text is the 64 hex digits of `token`.
    public func identifierToken(member: String, rawID: String) -> String {
        token(member: member, rawID: rawID).hex
    }

    /// The keyed token of a raw identifier as its 32 bytes: the MAC of "id", the member and the id.
    public func token(member: String, rawID: String) -> Pseudonym {
        keyedMAC(tag: "id", .text(member), .text(rawID))
    }

    /// `token(member:rawID:)` of the id whose UTF-8 is `rawID` (the same bytes, the same token).
    public func token(member: String, rawID: UnsafeBufferPointer<UInt8>) -> Pseudonym {
        keyedMAC(tag: "id", .text(member), .utf8(rawID))
    }

    /// Pseudonym of a member's local case id: the case id's identifier token. The extract stage
    /// stages that token, so normalising staged records reads the case key instead of making it.
    public func caseKey(member: String, caseID: String) -> Pseudonym {
        token(member: member, rawID: caseID)
    }

    /// Pseudonym of a child within a member's case, from the raw ids.
    public func childKey(member: String, caseID: String, childID: String) -> Pseudonym {
        childKey(
            member: member, caseKey: caseKey(member: member, caseID: caseID),
            childToken: token(member: member, rawID: childID))
    }

    /// Pseudonym of a child within a member's case, from the case key and the child id's token:
    /// the MAC of "child", the member, the case key's 32 bytes and the token's 32 bytes. (As
    /// bytes rather than hex digits the message is one SHA-256 block shorter.)
    public func childKey(member: String, caseKey: Pseudonym, childToken: Pseudonym) -> Pseudonym {
        keyedMAC(tag: "child", .text(member), .key(caseKey), .key(childToken))
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
    /// four blocks, enough for every key the pipeline makes (a child key over two 32-byte
    /// pseudonyms is about 80 bytes). A longer message (a very long raw id) is streamed.
    private static let messageCapacity = 4 * blockBytes
    /// SHA-256's padding: the 0x80 byte and the 64-bit message length.
    private static let paddingBytes = 9

    /// One part of a keyed message after its tag: text (its UTF-8, from a `String` or in place)
    /// or a pseudonym's 32 bytes.
    private enum MessagePart {
        case text(String)
        case utf8(UnsafeBufferPointer<UInt8>)
        case key(Pseudonym)
    }

    /// The MAC of the message `tag`, then each part after the unit separator 0x1F
    /// (`forEachPiece`).
    private func keyedMAC(
        tag: StaticString, _ first: MessagePart, _ second: MessagePart, _ third: MessagePart? = nil
    ) -> Pseudonym {
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
    /// separator 0x1F and the part's UTF-8 (read in place from a native string) or 32 bytes. The
    /// separator cannot occur in ids (and the byte parts have a fixed length), so different
    /// splits of the same bytes cannot collide.
    @inline(__always)
    private static func forEachPiece(
        tag: StaticString, _ first: MessagePart, _ second: MessagePart, _ third: MessagePart?,
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        body(UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { separator in
            separator[0] = 0x1F
            func piece(_ part: MessagePart) {
                body(UnsafeBufferPointer(separator))
                func feed(_ bytes: UnsafeBufferPointer<UInt8>) { if !bytes.isEmpty { body(bytes) } }
                switch part {
                case .text(let text):
                    if text.utf8.withContiguousStorageIfAvailable(feed) == nil {
                        var copy = text
                        copy.withUTF8(feed)
                    }
                case .utf8(let bytes):
                    feed(bytes)
                case .key(let key):
                    key.withBytes { feed($0.assumingMemoryBound(to: UInt8.self)) }
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
