/// Whether a submission holds case records or contact counts.
public enum RecordKind: String, Sendable, Hashable, CaseIterable {
    case cases
    case contacts
}

/// How a canonical field's raw text is interpreted.
public enum FieldValueType: Sendable, Hashable {
    /// A local identifier, pseudonymised and never stored raw.
    case identifier
    /// A code from the named taxonomy code list.
    case code(list: String)
    case date
    case boolean
    /// An integer; `valid` is the accepted range, `inScope` the part of it the dataset covers.
    case integer(valid: ClosedRange<Int>, inScope: ClosedRange<Int>)
    /// An ISO 3166-1 alpha-2 country code.
    case country
}

/// A field of the common dataset that a member mapping can fill. Declaration order is the order
/// in which a record's fields are checked (only the first problem of a record is reported).
public enum CanonicalField: String, Sendable, Hashable, CaseIterable {
    // Cases
    case caseID = "case_id"
    case childID = "child_id"
    case openedOn = "opened_on"
    case closedOn = "closed_on"
    case category
    case crossBorder = "cross_border"
    case repeatMissing = "repeat_missing"
    case violenceExperienced = "violence_experienced"
    case destinationCountry = "destination_country"
    case childAge = "child_age"
    /// Not a dataset column: `child_age` is derived from it (age in whole years at `opened_on`).
    case birthDate = "birth_date"
    case childGender = "child_gender"
    case outcome
    case foundBy = "found_by"
    case daysMissing = "days_missing"
    /// Not a dataset column: with `found_on`, `days_missing` is derived from it.
    case missingSince = "missing_since"
    /// Not a dataset column: `days_missing` is `found_on` minus `missing_since`, in days.
    case foundOn = "found_on"
    case firstChannel = "first_channel"
    // Contacts
    case month
    case channel
    case contactType = "contact_type"
    case count

    public var recordKind: RecordKind {
        switch self {
        case .month, .channel, .contactType, .count: .contacts
        default: .cases
        }
    }

    /// Required fields must come from the record, a constant or a default.
    public var isRequired: Bool {
        switch self {
        case .caseID, .openedOn, .category, .childGender, .outcome, .month, .channel, .contactType, .count: true
        default: false
        }
    }

    public var valueType: FieldValueType {
        switch self {
        case .caseID, .childID: .identifier
        case .openedOn, .closedOn, .birthDate, .missingSince, .foundOn: .date
        case .category: .code(list: "category")
        case .childGender: .code(list: "child_gender")
        case .outcome: .code(list: "outcome")
        case .foundBy: .code(list: "found_by")
        case .firstChannel, .channel: .code(list: "channel")
        case .contactType: .code(list: "contact_type")
        case .crossBorder, .repeatMissing, .violenceExperienced: .boolean
        case .destinationCountry: .country
        case .childAge: .integer(valid: 0...130, inScope: 0...17)
        case .daysMissing: .integer(valid: 0...36_600, inScope: 0...36_600)
        case .month: .integer(valid: 1...12, inScope: 1...12)
        case .count: .integer(valid: 0...Int(Int32.max), inScope: 0...Int(Int32.max))
        }
    }

    /// Whether the field only feeds a derived column (`birth_date`, `missing_since`, `found_on`)
    /// and is never stored itself.
    public var isDerivationSource: Bool {
        switch self {
        case .birthDate, .missingSince, .foundOn: true
        default: false
        }
    }

    /// The canonical fields a submission of `kind` can map.
    public static func fields(of kind: RecordKind) -> [CanonicalField] {
        allCases.filter { $0.recordKind == kind }
    }
}
