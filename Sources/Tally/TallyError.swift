/// A temporary file of `DigestBuckets` could not be created, written or read back: says which
/// file and why (usually a full or read-only temporary folder).
public struct TallyError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
