/// The taxonomy codes the report lays out (pipelines/taxonomy.yaml), in display order, with
/// plain-language labels for the page.
enum Codes {
    static let categories = [
        "RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT", "LOST_INJURED",
        "OTHERWISE_MISSING",
    ]
    static let channels = ["PHONE", "SMS", "EMAIL", "CHAT", "SOCIAL_MEDIA", "APP", "IN_PERSON", "OTHER"]
    static let contactTypes = ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK", "ABUSIVE", "WRONG_NUMBER", "OTHER"]
    static let foundBy = ["POLICE", "OWN_ACCORD", "FAMILY", "PUBLIC", "OTHER"]
    /// Known genders; UNKNOWN means "not recorded".
    static let genders = ["FEMALE", "MALE", "OTHER"]
    /// Known outcomes; UNKNOWN means "not recorded".
    static let knownOutcomes = ["FOUND", "FOUND_DECEASED", "NOT_FOUND"]
    static let found = ["FOUND", "FOUND_DECEASED"]

    static let labels: [String: String] = [
        "RUNAWAY": "Runaways", "PARENTAL_ABDUCTION": "Parental abductions",
        "CRIMINAL_ABDUCTION": "Criminal abductions", "MISSING_MIGRANT": "Missing migrant children",
        "LOST_INJURED": "Lost or injured", "OTHERWISE_MISSING": "Otherwise missing",
        "PHONE": "Phone", "SMS": "SMS", "EMAIL": "E-mail", "CHAT": "Chat", "SOCIAL_MEDIA": "Social media",
        "APP": "App", "IN_PERSON": "In person",
        "CASE_RELATED": "About a case", "INFORMATION": "Information or advice", "SILENT": "Silent",
        "PRANK": "Prank", "ABUSIVE": "Abusive", "WRONG_NUMBER": "Wrong number",
        "POLICE": "Police", "OWN_ACCORD": "Came back on own accord", "FAMILY": "Family or carers",
        "PUBLIC": "The public", "OTHER": "Other",
        "FEMALE": "Girls", "MALE": "Boys",
        "ALL": "All",
    ]

    static func label(_ code: String) -> String { labels[code] ?? code }

    /// `known` codes that occur in `present` first in taxonomy order, then any other code sorted.
    static func ordered(_ known: [String], present: Set<String>) -> [String] {
        known.filter(present.contains) + present.subtracting(known).sorted()
    }
}

/// Calendar arithmetic for DATE columns (days since 1970-01-01, proleptic Gregorian).
enum CivilDate {
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = month
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
