/// A submission's null values (`null_values`: `""`, `n/a`...), the raw values that mean "not
/// recorded", compared after trimming: as text, with `String` equality as the mapping language
/// says, and, for the normalizer's byte path, as bytes. Also the one rule for what an identifier
/// value holds, which the extract stage (`IdentifierTokens`) and the normalizer both follow.
///
/// Few and short, so a scan that first compares byte counts beats hashing the value.
struct NullValues: Sendable {
    /// A null value as text and as bytes.
    private struct Marker: Sendable {
        let text: String
        let bytes: [UInt8]
        let isASCII: Bool

        init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
            isASCII = bytes.allSatisfy { $0 < 0x80 }
        }
    }

    private let markers: [Marker]
    /// `""` is one of them.
    let includesEmpty: Bool

    init(_ values: Set<String>) {
        markers = values.sorted().map(Marker.init)
        includesEmpty = values.contains("")
    }

    /// Whether the trimmed value `text` is one of them.
    func contains(_ text: String) -> Bool {
        let length = text.utf8.count
        for marker in markers where marker.bytes.count == length && marker.text == text { return true }
        return false
    }

    /// Whether a trimmed identifier value holds an id: not one of the null values, and not empty
    /// whatever they are (keyed, every record without an id would be one case).
    func holdsID(_ text: String) -> Bool {
        !text.isEmpty && !contains(text)
    }

    /// Whether raw bytes are one of them, decided as `contains` would decide it for their text:
    /// only a value of the same byte count can be equal, and the bytes decide only when both are
    /// ASCII (where equal text is equal bytes); otherwise `.undecided`, and the text decides.
    enum Match { case no, yes, undecided }

    @inline(__always)
    func match(_ raw: UnsafeBufferPointer<UInt8>) -> Match {
        for marker in markers where marker.bytes.count == raw.count {
            if !marker.isASCII || raw.contains(where: { $0 >= 0x80 }) { return .undecided }
            if marker.bytes.elementsEqual(raw) { return .yes }
        }
        return .no
    }
}
