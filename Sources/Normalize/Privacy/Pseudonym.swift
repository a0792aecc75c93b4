import HexDigits

/// A case or child pseudonym as the 32 bytes of its HMAC-SHA-256 (`Pseudonymizer`). The dataset
/// writes it as 64 lower-case hex digits (`hex`: the `case_key` and `child_key` columns); a row
/// carries the bytes, so the normalizer makes no string per key and staging stores the bytes as
/// they are instead of parsing the digits back.
public struct Pseudonym: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes, eight at a time, in memory order (so `withBytes` sees them as the MAC).
    private var word0: UInt64 = 0, word1: UInt64 = 0, word2: UInt64 = 0, word3: UInt64 = 0

    /// The number of bytes in a pseudonym.
    public static let byteCount = 32

    /// The pseudonym whose bytes are the 32 at `bytes`.
    public init(bytes: UnsafeRawPointer) {
        withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: Self.byteCount)) }
    }

    /// The pseudonym whose 64 lower-case hex digits are `token` (an identifier token as the
    /// extract stage stages it), or nil when `token` is anything else.
    public init?(token: String) {
        guard token.utf8.count == 2 * Self.byteCount else { return nil }
        var token = token
        let parsed = token.withUTF8 { digits in
            withUnsafeMutableBytes(of: &self) { Hex.decodeLowercase(digits, into: $0) }
        }
        guard parsed else { return nil }
    }

    /// Calls `body` with the 32 bytes.
    /// (Inlinable: the load calls it twice a row from another module.)
    @inlinable
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: self) { try body($0) }
    }

    /// The 64 lower-case hex digits the dataset stores.
    public var hex: String {
        withBytes { Hex.encode($0) }
    }

    /// Writes `hex`'s 64 digits at `out`.
    public func writeHex(to out: UnsafeMutablePointer<UInt8>) {
        withBytes { Hex.encode($0, into: UnsafeMutableRawBufferPointer(start: out, count: 2 * Self.byteCount)) }
    }

    public var description: String { hex }
}
