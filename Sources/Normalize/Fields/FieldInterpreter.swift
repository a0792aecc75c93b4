/// A canonical value after interpretation.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case date(CivilDate)
    case boolean(Bool)
    case integer(Int)
}

/// Why a value cannot be used, as a stable reason code plus a message for the data steward.
public struct FieldProblem: Error, Sendable, Hashable {
    public var reason: QuarantineReason
    public var message: String

    public init(_ reason: QuarantineReason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// Turns canonical text (after `map`) into a typed value according to the field's type.
enum FieldInterpreter {
    static func interpret(
        _ text: String, field: CanonicalField, formats: [DatePattern], taxonomy: Taxonomy, decimalComma: Bool = false
    ) -> Result<FieldValue, FieldProblem> {
        switch field.valueType {
        case .identifier:
            return .success(.text(text))
        case .code(let list):
            guard taxonomy.contains(text, in: list) else {
                return .failure(FieldProblem(
                    .unknownCode, "\"\(text)\" is not \(article(list)) \(list) code of the taxonomy"))
            }
            return .success(.text(text))
        case .date:
            for format in formats {
                if let date = format.parse(text) { return .success(.date(date)) }
            }
            let tried = formats.map(\.description).joined(separator: ", ")
            return .failure(FieldProblem(.badDate, "\"\(text)\" is not a real date in the format \(tried)"))
        case .boolean:
            switch text {
            case "true": return .success(.boolean(true))
            case "false": return .success(.boolean(false))
            default:
                return .failure(FieldProblem(.unknownCode, "\"\(text)\" is not a yes/no value (map it to true or false)"))
            }
        case .integer(let valid, let inScope):
            guard let value = parseWholeNumber(text, decimalComma: decimalComma) else {
                return .failure(FieldProblem(.malformed, "\"\(text)\" is not a whole number"))
            }
            guard valid.contains(value) else {
                return .failure(FieldProblem(
                    .outOfRange, "\(value) is outside \(valid.lowerBound)...\(valid.upperBound)"))
            }
            guard inScope.contains(value) else {
                return .failure(FieldProblem(
                    .outOfScope, "\(value) is outside the dataset's scope \(inScope.lowerBound)...\(inScope.upperBound)"))
            }
            return .success(.integer(value))
        case .country:
            // ASCII letters only: String.uppercased() would turn "ß" into the valid-looking "SS".
            let upper = String(decoding: text.utf8.map {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) ? $0 - 32 : $0
            }, as: UTF8.self)
            guard MappingLoader.isCountry(upper) else {
                return .failure(FieldProblem(.malformed, "\"\(text)\" is not a two-letter ISO country code"))
            }
            return .success(.text(upper))
        }
    }

    /// "an" before a vowel, "a" otherwise: "an outcome code", "a category code".
    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first.lowercased()) ? "an" : "a"
    }

    /// A whole number: optional sign, ASCII digits, and optionally a decimal separator (`.`, or `,`
    /// with `decimalComma`) followed by zeros only, as spreadsheets write `15.0` or `15,0`. A
    /// fraction (`2,5`), the other separator, grouping or an exponent give nil.
    static func parseWholeNumber(_ text: String, decimalComma: Bool) -> Int? {
        var text = text
        return text.withUTF8 { parseWholeNumber(utf8: $0, decimalComma: decimalComma) }
    }

    /// `parseWholeNumber(_:decimalComma:)` over the value's UTF-8 bytes.
    static func parseWholeNumber(utf8 bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Int? {
        let separator = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        guard let index = bytes.firstIndex(of: separator) else { return parseInteger(bytes[...]) }
        let fraction = bytes[(index + 1)...]
        guard !fraction.isEmpty, fraction.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        return parseInteger(bytes[..<index])
    }

    /// Optional sign and ASCII digits, at most 18 of them; nothing else. Over UTF-8 in place (no
    /// array per value: two integers a case record).
    private static func parseInteger(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        var bytes = bytes
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return negative ? -value : value
    }
}
