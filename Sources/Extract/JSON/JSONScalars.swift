/// Strings, numbers and literals: the byte-level scanners of `JSONTokenizer`.
extension JSONTokenizer {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    // MARK: - Strings

    /// Scans a string whose opening quote is at `pos`, validating escapes and UTF-8; with
    /// `collect`, its unescaped bytes go to `scratch`.
    func scanString(collect: Bool) throws(ExtractError) {
        let start = offset
        pos += 1
        if collect { scratchCount = 0 }
        while true {
            var p = pos
            let e = end
            let runStart = p
            while p < e {
                let b = buffer[p]
                if b == Self.quote || b == Self.backslash || b < 0x20 || b >= 0x80 { break }
                p += 1
            }
            if collect && p > runStart {
                appendScratch(buffer + runStart, count: p - runStart)
                try checkCollected(start: start)
            }
            pos = p
            if p == e {
                guard try refill() else { throw endInsideString(start) }
                continue
            }
            let b = buffer[p]
            if b == Self.quote {
                pos = p + 1
                return
            } else if b == Self.backslash {
                try scanEscape(collect: collect, stringStart: start)
            } else if b < 0x20 {
                throw error(
                    .malformed, at: offset,
                    "unescaped control character U+\(Self.hex(b, digits: 4)) in a string")
            } else {
                try scanUTF8Sequence(collect: collect, stringStart: start)
            }
            if collect { try checkCollected(start: start) }
        }
    }

    private func checkCollected(start: Int) throws(ExtractError) {
        guard scratchCount > maxValueBytes else { return }
        throw error(
            .limitExceeded, at: start,
            "a key or value longer than the limit of \(maxValueBytes) bytes (limit maxFieldBytes)")
    }

    private func endInsideString(_ start: Int) -> ExtractError {
        error(.malformed, at: start, "unexpected end of input inside a string")
    }

    /// The next byte of a string, consumed.
    @inline(__always)
    private func takeStringByte(stringStart: Int) throws(ExtractError) -> UInt8 {
        guard let b = try peek() else { throw endInsideString(stringStart) }
        pos += 1
        return b
    }

    /// A backslash escape at `pos`.
    private func scanEscape(collect: Bool, stringStart: Int) throws(ExtractError) {
        let escapeStart = offset
        pos += 1
        let b = try takeStringByte(stringStart: stringStart)
        let decoded: UInt8
        switch b {
        case UInt8(ascii: "\""): decoded = 0x22
        case UInt8(ascii: "\\"): decoded = 0x5C
        case UInt8(ascii: "/"): decoded = 0x2F
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
            try scanUnicodeEscape(collect: collect, escapeStart: escapeStart, stringStart: stringStart)
            return
        default:
            throw error(
                .malformed, at: escapeStart,
                "invalid escape in a string: '\\' followed by \(Self.describe(b))")
        }
        if collect { appendScratch(decoded) }
    }

    /// `\uXXXX` after the `u`, with a following `\uXXXX` low surrogate when it is a high surrogate.
    private func scanUnicodeEscape(collect: Bool, escapeStart: Int, stringStart: Int) throws(ExtractError) {
        let unit = try scanHex4(escapeStart: escapeStart, stringStart: stringStart)
        var scalar = UInt32(unit)
        if (0xDC00...0xDFFF).contains(unit) {
            throw loneSurrogate(unit, at: escapeStart)
        }
        if (0xD800...0xDBFF).contains(unit) {
            let lowStart = offset
            guard try peek() == Self.backslash else { throw loneSurrogate(unit, at: escapeStart) }
            pos += 1
            guard try peek() == UInt8(ascii: "u") else { throw loneSurrogate(unit, at: escapeStart) }
            pos += 1
            let low = try scanHex4(escapeStart: lowStart, stringStart: stringStart)
            guard (0xDC00...0xDFFF).contains(low) else { throw loneSurrogate(unit, at: escapeStart) }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        }
        if collect { appendUTF8(scalar) }
    }

    private func loneSurrogate(_ unit: UInt16, at offset: Int) -> ExtractError {
        error(
            .malformed, at: offset,
            "invalid \\u escape in a string: lone surrogate \\u\(Self.hex(unit, digits: 4))"
                + " (a surrogate pair needs a high \\uD800-\\uDBFF then a low \\uDC00-\\uDFFF)")
    }

    private func scanHex4(escapeStart: Int, stringStart: Int) throws(ExtractError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let b = try peek() else { throw endInsideString(stringStart) }
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default:
                throw error(
                    .malformed, at: escapeStart,
                    "invalid \\u escape in a string: expected 4 hex digits, found \(Self.describe(b))")
            }
            pos += 1
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            appendScratch(UInt8(scalar))
        case 0x80..<0x800:
            appendScratch(UInt8(0xC0 | scalar >> 6))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            appendScratch(UInt8(0xE0 | scalar >> 12))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        default:
            appendScratch(UInt8(0xF0 | scalar >> 18))
            appendScratch(UInt8(0x80 | scalar >> 12 & 0x3F))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// A multi-byte UTF-8 sequence whose lead byte is at `pos` (well-formed per Unicode table 3-7:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    private func scanUTF8Sequence(collect: Bool, stringStart: Int) throws(ExtractError) {
        let start = offset
        let lead = buffer[pos]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; high = 0x9F
        case 0xF0: count = 3; low = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; high = 0x8F
        default: throw invalidUTF8(lead, at: start)
        }
        pos += 1
        if collect { appendScratch(lead) }
        for _ in 0..<count {
            guard let b = try peek() else { throw endInsideString(stringStart) }
            guard b >= low && b <= high else { throw invalidUTF8(lead, at: start) }
            low = 0x80
            high = 0xBF
            pos += 1
            if collect { appendScratch(b) }
        }
    }

    private func invalidUTF8(_ lead: UInt8, at offset: Int) -> ExtractError {
        error(
            .encoding, at: offset,
            "invalid UTF-8 in a string (sequence starting with byte 0x\(Self.hex(lead, digits: 2)));"
                + " JSON files must be UTF-8")
    }

    // MARK: - Numbers

    /// Scans a number starting at `pos` ('-' or a digit) with the exact RFC 8259 grammar; with
    /// `collect`, its text as written goes to `scratch`. What follows it is left to the caller.
    func scanNumber(collect: Bool) throws(ExtractError) {
        let start = offset
        if collect { scratchCount = 0 }
        var b = try peek()
        if b == UInt8(ascii: "-") {
            take(b!, collect: collect)
            b = try peek()
            guard let d = b, isDigit(d) else {
                throw error(.malformed, at: offset, "invalid number: expected a digit after '-', found \(Self.describe(b))")
            }
        }
        if b == UInt8(ascii: "0") {
            let zero = offset
            take(b!, collect: collect)
            b = try peek()
            if let d = b, isDigit(d) {
                throw error(.malformed, at: zero, "invalid number: leading zeros are not allowed")
            }
        } else {
            b = try takeDigits(collect: collect)
        }
        if b == UInt8(ascii: ".") {
            take(b!, collect: collect)
            b = try peek()
            guard let d = b, isDigit(d) else {
                throw error(
                    .malformed, at: offset,
                    "invalid number: expected a digit after the decimal point, found \(Self.describe(b))")
            }
            b = try takeDigits(collect: collect)
        }
        if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            take(b!, collect: collect)
            b = try peek()
            if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                take(b!, collect: collect)
                b = try peek()
            }
            guard let d = b, isDigit(d) else {
                throw error(
                    .malformed, at: offset,
                    "invalid number: expected a digit in the exponent, found \(Self.describe(b))")
            }
            b = try takeDigits(collect: collect)
        }
        if collect && scratchCount > maxValueBytes {
            throw error(
                .limitExceeded, at: start,
                "a key or value longer than the limit of \(maxValueBytes) bytes (limit maxFieldBytes)")
        }
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private func take(_ b: UInt8, collect: Bool) {
        if collect { appendScratch(b) }
        pos += 1
    }

    /// Consumes a run of digits; returns the byte after it (unconsumed), nil at the end.
    private func takeDigits(collect: Bool) throws(ExtractError) -> UInt8? {
        while true {
            var p = pos
            let e = end
            let runStart = p
            while p < e && buffer[p] &- UInt8(ascii: "0") < 10 { p += 1 }
            if collect && p > runStart {
                appendScratch(buffer + runStart, count: p - runStart)
            }
            pos = p
            if p < e { return buffer[p] }
            guard try refill() else { return nil }
        }
    }

    // MARK: - Literals

    /// Scans `true`, `false` or `null` (the first byte is already known to match).
    func scanLiteral(_ word: StaticString) throws(ExtractError) {
        let start = offset
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard try peek() == expected else {
                throw error(.malformed, at: start, "invalid literal, expected '\(word)'")
            }
            pos += 1
        }
    }
}
