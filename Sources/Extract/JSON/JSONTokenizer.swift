/// What `JSONTokenizer.next(collect:)` found.
enum JSONToken: UInt8, Sendable {
    case beginObject, endObject, beginArray, endArray
    /// An object key; with `collect`, its unescaped UTF-8 bytes are in `scratch`.
    case key
    /// A string value; with `collect`, its unescaped UTF-8 bytes are in `scratch`.
    case string
    /// A number; with `collect`, its text exactly as written is in `scratch`.
    case number
    case trueLiteral, falseLiteral, null
    /// The end of the document (or, for JSON lines, of the last line).
    case endOfInput

    /// The value's kind in words, for messages: "an object", "a string"...
    var valueDescription: String {
        switch self {
        case .beginObject: "an object"
        case .beginArray: "an array"
        case .string: "a string"
        case .number: "a number"
        case .trueLiteral, .falseLiteral: "a boolean"
        case .null: "null"
        case .endObject, .endArray, .key, .endOfInput: "not a value"
        }
    }
}

/// A validating RFC 8259 pull tokenizer over a refillable 64 KiB buffer of a `ByteSource`.
///
/// It checks the whole grammar as it goes (structure, strings, escapes, UTF-8, numbers,
/// literals, trailing bytes) with an explicit container stack, so nesting is bounded by
/// `maxDepth` and never by the call stack. Only values asked for with `collect: true` are copied
/// (into `scratch`); everything else is validated in place. Lines only end in whitespace (a raw
/// line feed inside a string is an error), so line tracking lives in `skipWhitespace`.
/// Columns are 1-based byte columns.
final class JSONTokenizer {
    static let bufferCapacity = 64 * 1024

    @exclusivity(unchecked) private var source: any ByteSource
    let displayName: String
    let maxDepth: Int
    /// Largest key, string or number copied into `scratch`.
    let maxValueBytes: Int
    /// JSON lines: one value per line, a line feed inside a value is an error.
    let linesMode: Bool

    let buffer: UnsafeMutablePointer<UInt8>
    /// Next unread byte in `buffer`.
    @exclusivity(unchecked) var pos = 0
    /// End of the valid bytes in `buffer`.
    @exclusivity(unchecked) var end = 0
    /// Absolute offset of `buffer[0]` in the stream.
    @exclusivity(unchecked) var base = 0
    @exclusivity(unchecked) private var sourceExhausted = false

    /// 1-based line of the next unread byte.
    @exclusivity(unchecked) private(set) var line = 1
    /// Absolute offset of the first byte of the current line.
    @exclusivity(unchecked) var lineStart = 0

    /// Where the token last returned by `next` starts.
    @exclusivity(unchecked) private(set) var tokenOffset = 0
    @exclusivity(unchecked) private(set) var tokenLine = 1
    @exclusivity(unchecked) private(set) var tokenColumn = 1

    /// Storage of the collected key, string or number text (see `scratch`). Raw storage rather
    /// than an array keeps the hot loops free of dynamic exclusivity checks.
    ///
    /// The stored `var`s are `@exclusivity(unchecked)`: the tokenizer is used by one extractor on
    /// one thread and never hands out `inout` access to them, and the runtime checks Swift adds
    /// for class properties cost about a third of JSON extraction time (perf, 1M cases).
    @exclusivity(unchecked) private var scratchStorage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCapacity: Int
    /// Number of collected bytes in `scratchStorage`.
    @exclusivity(unchecked) var scratchCount = 0

    /// Open containers, innermost at `depth - 1`: true for an object, false for an array.
    private let containers: UnsafeMutablePointer<Bool>
    /// Number of open arrays and objects.
    @exclusivity(unchecked) private(set) var depth = 0
    @exclusivity(unchecked) private var state: State = .start

    private enum State {
        case start, top, afterTop
        case objectFirst, objectNext, objectValue, afterMember
        case arrayFirst, arrayNext, afterElement
        case done
    }

    init(source: any ByteSource, displayName: String, limits: ExtractLimits, linesMode: Bool) {
        self.source = source
        self.displayName = displayName
        self.maxDepth = max(1, limits.maxDepth)
        self.maxValueBytes = max(1, limits.maxFieldBytes)
        self.linesMode = linesMode
        self.buffer = .allocate(capacity: Self.bufferCapacity)
        self.scratchCapacity = 256
        self.scratchStorage = .allocate(capacity: scratchCapacity)
        self.containers = .allocate(capacity: maxDepth)
    }

    deinit {
        buffer.deallocate()
        scratchStorage.deallocate()
        containers.deallocate()
    }

    // MARK: - Collected text

    /// The collected key, string or number text of the last token read with `collect: true`;
    /// valid until the next call to `next`.
    var scratch: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: scratchStorage, count: scratchCount) }

    /// Whether the collected text equals `bytes`.
    func scratchEquals(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == scratchCount else { return false }
        for index in 0..<scratchCount where scratchStorage[index] != bytes[index] { return false }
        return true
    }

    @inline(__always)
    func appendScratch(_ byte: UInt8) {
        if scratchCount == scratchCapacity { growScratch(to: scratchCount + 1) }
        scratchStorage[scratchCount] = byte
        scratchCount += 1
    }

    @inline(__always)
    func appendScratch(_ bytes: UnsafePointer<UInt8>, count: Int) {
        if scratchCount + count > scratchCapacity { growScratch(to: scratchCount + count) }
        (scratchStorage + scratchCount).update(from: bytes, count: count)
        scratchCount += count
    }

    private func growScratch(to needed: Int) {
        var capacity = scratchCapacity
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: scratchStorage, count: scratchCount)
        scratchStorage.deallocate()
        scratchStorage = grown
        scratchCapacity = capacity
    }

    /// Absolute offset of the next unread byte.
    var offset: Int { base + pos }

    // MARK: - Buffer

    /// Makes at least one unread byte available; false at the end of the source.
    func refill() throws(ExtractError) -> Bool {
        if pos < end { return true }
        if sourceExhausted { return false }
        base += end
        pos = 0
        end = 0
        let count = try source.read(
            into: UnsafeMutableRawBufferPointer(start: buffer, count: Self.bufferCapacity))
        guard count > 0 else {
            sourceExhausted = true
            return false
        }
        end = min(count, Self.bufferCapacity)
        return true
    }

    /// The next unread byte without consuming it, or nil at the end of the input.
    @inline(__always)
    func peek() throws(ExtractError) -> UInt8? {
        if pos < end { return buffer[pos] }
        guard try refill() else { return nil }
        return buffer[pos]
    }

    /// Skips JSON whitespace, counting lines; returns the next byte (unconsumed) or nil at the end.
    /// With `stopAtNewline`, a line feed is returned instead of skipped.
    func skipWhitespace(stopAtNewline: Bool) throws(ExtractError) -> UInt8? {
        while true {
            var p = pos
            let e = end
            while p < e {
                let b = buffer[p]
                if b == 0x20 || b == 0x09 || b == 0x0D {
                    p += 1
                } else if b == 0x0A && !stopAtNewline {
                    p += 1
                    line += 1
                    lineStart = base + p
                } else {
                    pos = p
                    return b
                }
            }
            pos = p
            guard try refill() else { return nil }
        }
    }

    // MARK: - Errors

    func error(_ kind: ExtractError.Kind, at offset: Int, _ message: String) -> ExtractError {
        ExtractError(
            kind, file: displayName, line: line, column: max(1, offset - lineStart + 1),
            byteOffset: offset, message: message)
    }

    /// "`expectation`, found `b`" at the current position.
    func unexpected(_ b: UInt8?, _ expectation: String) -> ExtractError {
        var message = "\(expectation), found \(Self.describe(b))"
        if b == 0x0A && linesMode {
            message += " (each JSON line must hold one complete value)"
        }
        return error(.malformed, at: offset, message)
    }

    /// A byte as a message shows it: `'x'`, `a space`, `control character U+0001`, `byte 0xE9`.
    static func describe(_ b: UInt8?) -> String {
        guard let b else { return "end of input" }
        switch b {
        case 0x0A: return "end of line"
        case 0x20: return "a space"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(b)))'"
        case 0x00..<0x20, 0x7F: return "control character U+\(hex(b, digits: 4))"
        default: return "byte 0x\(hex(b, digits: 2))"
        }
    }

    static func hex(_ value: some BinaryInteger, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: - Structure

    /// Reads the next token, validating it. With `collect`, a key, string or number is copied
    /// into `scratch` (unescaped; numbers as written).
    func next(collect: Bool) throws(ExtractError) -> JSONToken {
        while true {
            switch state {
            case .start:
                try skipByteOrderMark()
                state = .top
            case .top:
                guard let b = try skipWhitespace(stopAtNewline: false) else {
                    state = .done
                    if linesMode { return .endOfInput }
                    throw error(.malformed, at: offset, "the document is empty, expected a JSON value")
                }
                return try value(startingWith: b, collect: collect, expected: "expected a value")
            case .afterTop:
                if linesMode {
                    try finishLine()
                    continue
                }
                if let b = try skipWhitespace(stopAtNewline: false) {
                    throw unexpected(b, "expected the end of the document after the top-level value")
                }
                state = .done
                return .endOfInput
            case .objectFirst:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: "}") { return closeContainer(.endObject) }
                if b == UInt8(ascii: "\"") { return try key(collect: collect) }
                throw unexpected(b, "expected a string key or '}'")
            case .objectNext:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: "\"") { return try key(collect: collect) }
                if b == UInt8(ascii: "}") {
                    throw unexpected(b, "expected a string key after ',' (trailing commas are not allowed)")
                }
                throw unexpected(b, "expected a string key after ','")
            case .objectValue:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                return try value(startingWith: b, collect: collect, expected: "expected a value after ':'")
            case .afterMember:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: ",") {
                    pos += 1
                    state = .objectNext
                } else if b == UInt8(ascii: "}") {
                    return closeContainer(.endObject)
                } else {
                    throw unexpected(b, "expected ',' or '}' after an object member")
                }
            case .arrayFirst:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: "]") { return closeContainer(.endArray) }
                return try value(startingWith: b, collect: collect, expected: "expected a value or ']'")
            case .arrayNext:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: "]") {
                    throw unexpected(b, "expected a value after ',' (trailing commas are not allowed)")
                }
                return try value(startingWith: b, collect: collect, expected: "expected a value after ','")
            case .afterElement:
                let b = try skipWhitespace(stopAtNewline: linesMode)
                if b == UInt8(ascii: ",") {
                    pos += 1
                    state = .arrayNext
                } else if b == UInt8(ascii: "]") {
                    return closeContainer(.endArray)
                } else {
                    throw unexpected(b, "expected ',' or ']' after an array element")
                }
            case .done:
                return .endOfInput
            }
        }
    }

    /// JSON lines: after a complete value, only spaces may follow on its line. Consumes the line
    /// feed. Does nothing unless a top-level value has just been completed.
    func finishLine() throws(ExtractError) {
        guard linesMode, state == .afterTop else { return }
        let b = try skipWhitespace(stopAtNewline: true)
        if let b {
            guard b == 0x0A else {
                throw unexpected(b, "expected the end of the line after the JSON value")
            }
            pos += 1
            line += 1
            lineStart = offset
        }
        state = .top
    }

    /// A UTF-8 byte order mark at the very start is tolerated (RFC 8259 section 8.1).
    private func skipByteOrderMark() throws(ExtractError) {
        guard try peek() == 0xEF else { return }
        let start = offset
        for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
            guard try peek() == expected else {
                throw error(.encoding, at: start, "invalid UTF-8 at the start of the document")
            }
            pos += 1
        }
        lineStart = offset
    }

    private func markToken() {
        tokenOffset = offset
        tokenLine = line
        tokenColumn = tokenOffset - lineStart + 1
    }

    private func value(startingWith b: UInt8?, collect: Bool, expected: String) throws(ExtractError)
        -> JSONToken
    {
        markToken()
        guard let b else { throw unexpected(nil, expected) }
        switch b {
        case UInt8(ascii: "{"):
            try push(isObject: true)
            state = .objectFirst
            return .beginObject
        case UInt8(ascii: "["):
            try push(isObject: false)
            state = .arrayFirst
            return .beginArray
        case UInt8(ascii: "\""):
            try scanString(collect: collect)
            afterValue()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber(collect: collect)
            afterValue()
            return .number
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            afterValue()
            return .trueLiteral
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            afterValue()
            return .falseLiteral
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            afterValue()
            return .null
        default:
            throw unexpected(b, expected)
        }
    }

    private func key(collect: Bool) throws(ExtractError) -> JSONToken {
        markToken()
        try scanString(collect: collect)
        let b = try skipWhitespace(stopAtNewline: linesMode)
        guard b == UInt8(ascii: ":") else { throw unexpected(b, "expected ':' after an object key") }
        pos += 1
        state = .objectValue
        return .key
    }

    private func push(isObject: Bool) throws(ExtractError) {
        guard depth < maxDepth else {
            throw error(
                .limitExceeded, at: offset,
                "arrays and objects are nested more than \(maxDepth) levels deep (limit maxDepth)")
        }
        containers[depth] = isObject
        depth += 1
        pos += 1
    }

    private func closeContainer(_ token: JSONToken) -> JSONToken {
        markToken()
        pos += 1
        depth -= 1
        afterValue()
        return token
    }

    private func afterValue() {
        if depth > 0 {
            state = containers[depth - 1] ? .afterMember : .afterElement
        } else {
            state = .afterTop
        }
    }
}
