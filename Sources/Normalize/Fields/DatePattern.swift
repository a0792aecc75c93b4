/// A date layout such as `dd.MM.yyyy` or `yyyy-MM-dd`: `yyyy` four-digit year, `MM` and `dd`
/// one- or two-digit month and day, any other character a literal separator.
public struct DatePattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case year, month, day
        case literal(UInt8)
    }

    let tokens: [Token]
    public let description: String

    /// Parses a pattern; nil when it lacks yyyy, MM or dd, or repeats one, or has non-ASCII separators.
    public init?(_ pattern: String) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        func starts(with token: String) -> Bool {
            let t = Array(token.utf8)
            return index + t.count <= bytes.count && Array(bytes[index..<index + t.count]) == t
        }
        while index < bytes.count {
            if starts(with: "yyyy") {
                tokens.append(.year); index += 4
            } else if starts(with: "MM") {
                tokens.append(.month); index += 2
            } else if starts(with: "dd") {
                tokens.append(.day); index += 2
            } else {
                let byte = bytes[index]
                guard byte < 0x80, !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte),
                    !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                else { return nil }
                tokens.append(.literal(byte)); index += 1
            }
        }
        for part in [Token.year, .month, .day] where tokens.filter({ $0 == part }).count != 1 {
            return nil
        }
        self.tokens = tokens
        self.description = pattern
    }

    /// The calendar date in `text`, or nil when it does not match or is not a real date.
    public func parse(_ text: String) -> CivilDate? {
        // Over the UTF-8 in place: up to five dates a record, so no array per call.
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The calendar date these UTF-8 bytes spell, or nil when they do not match or are not a
    /// real date (the normalizer's byte path; `parse(_:)` of the same text gives the same).
    func parse(utf8: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var year = 0, month = 0, day = 0
        var position = 0
        func digits(min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while count < max, position < utf8.count, (48...57).contains(utf8[position]) {
                value = value * 10 + Int(utf8[position] - 48)
                count += 1
                position += 1
            }
            return count >= min ? value : nil
        }
        for token in tokens {
            switch token {
            case .year: guard let v = digits(min: 4, max: 4) else { return nil }; year = v
            case .month: guard let v = digits(min: 1, max: 2) else { return nil }; month = v
            case .day: guard let v = digits(min: 1, max: 2) else { return nil }; day = v
            case .literal(let byte):
                guard position < utf8.count, utf8[position] == byte else { return nil }
                position += 1
            }
        }
        guard position == utf8.count else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}

/// A proleptic Gregorian calendar date, convertible to Parquet's days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the day does not exist (31.02., 29.02. of a common year, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's days_from_civil.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// ISO 8601, `yyyy-MM-dd`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
