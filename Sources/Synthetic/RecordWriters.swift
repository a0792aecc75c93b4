/// Text helpers shared by the format writers.
enum Text {
    static func iso(_ day: Day) -> String {
        let (y, m, d) = day.civil
        return "\(y)-\(pad(m))-\(pad(d))"
    }

    static func dayFirst(_ day: Day, separator: String) -> String {
        let (y, m, d) = day.civil
        return pad(d) + separator + pad(m) + separator + "\(y)"
    }

    static func pad(_ n: Int, _ width: Int = 2) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func xml(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A YAML double-quoted scalar.
    static func yaml(_ text: String) -> String {
        json(text)
    }

    static func csv(_ text: String, delimiter: Character) -> String {
        guard text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The local words of one case, ready to be written in any format (nil: not recorded).
struct LocalCase {
    var id: String
    var opened: Day
    var closed: Day?
    var category: String
    var crossBorder: String?
    var destination: String?
    var repeatMissing: String?
    var violence: String?
    var violenceFlag: Bool?
    var age: Int?
    var gender: String?
    var outcome: String?
    var foundBy: String?
    var daysMissing: Int?
    var channel: String?
    var name: String
    var remark: String?

    init(_ c: SyntheticCase, id: String, vocabulary v: Vocabulary) {
        func yn(_ flag: Bool?) -> String? { flag.map { $0 ? v.yes : v.no } }
        self.id = id
        opened = c.opened
        closed = c.closed
        category = v.categories[c.category]
        crossBorder = yn(c.crossBorder)
        destination = c.destination
        repeatMissing = yn(c.repeatMissing)
        violence = yn(c.violence)
        violenceFlag = c.violence
        age = c.age
        gender = c.gender.map { v.genders[$0] }
        outcome = c.outcome.map { v.outcomes[$0] }
        foundBy = c.foundBy.map { v.foundBy[$0] }
        daysMissing = c.daysMissing
        channel = c.channel.map { v.channels[$0] }
        name = c.firstName + " " + c.lastName
        remark = c.remark
    }
}
