/// Stable reason codes for records that are not loaded (documented in docs/mapping.md).
public enum QuarantineReason: String, Sendable, Hashable, CaseIterable, Codable {
    case unknownCode = "UNKNOWN_CODE"
    case badDate = "BAD_DATE"
    case missingRequired = "MISSING_REQUIRED"
    case outOfRange = "OUT_OF_RANGE"
    case outOfScope = "OUT_OF_SCOPE"
    case malformed = "MALFORMED"
}
