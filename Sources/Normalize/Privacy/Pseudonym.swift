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

    /// Calls `body` with the 32 bytes.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: self) { try body($0) }
    }

    /// The 64 lower-case hex digits the dataset stores.
    public var hex: String {
        withBytes { bytes in
            String(unsafeUninitializedCapacity: 2 * Self.byteCount) { out in
                let digits: StaticString = "0123456789abcdef"
                let digit = digits.utf8Start
                for index in 0..<Self.byteCount {
                    out[2 * index] = digit[Int(bytes[index] >> 4)]
                    out[2 * index + 1] = digit[Int(bytes[index] & 0x0F)]
                }
                return 2 * Self.byteCount
            }
        }
    }

    public var description: String { hex }
}
