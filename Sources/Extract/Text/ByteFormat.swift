/// Formatting of byte values for messages.
enum ByteFormat {
    /// `0xC3`, `0xD800`: a value in upper-case hexadecimal with at least `digits` digits.
    static func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
