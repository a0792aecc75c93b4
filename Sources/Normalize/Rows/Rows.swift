/// One row of the `cases` dataset: one child in one case, pseudonymised, on the common taxonomy.
public struct CaseRow: Sendable, Hashable {
    public var memberID: String
    public var country: String
    public var caseKey: Pseudonym
    public var childKey: Pseudonym
    public var caseStatus: String
    public var openedOn: CivilDate
    public var closedOn: CivilDate?
    public var category: String
    public var crossBorder: Bool?
    public var destinationCountry: String?
    public var childAge: Int?
    public var childGender: String
    public var repeatMissing: Bool?
    public var violenceExperienced: Bool?
    public var outcome: String
    public var foundBy: String?
    public var daysMissing: Int?
    public var firstChannel: String?
    public var sourceFile: String
    public var sourceRecord: Int

    public init(
        memberID: String,
        country: String,
        caseKey: Pseudonym,
        childKey: Pseudonym,
        caseStatus: String,
        openedOn: CivilDate,
        closedOn: CivilDate?,
        category: String,
        crossBorder: Bool?,
        destinationCountry: String?,
        childAge: Int?,
        childGender: String,
        repeatMissing: Bool?,
        violenceExperienced: Bool?,
        outcome: String,
        foundBy: String?,
        daysMissing: Int?,
        firstChannel: String?,
        sourceFile: String,
        sourceRecord: Int
    ) {
        self.memberID = memberID
        self.country = country
        self.caseKey = caseKey
        self.childKey = childKey
        self.caseStatus = caseStatus
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.category = category
        self.crossBorder = crossBorder
        self.destinationCountry = destinationCountry
        self.childAge = childAge
        self.childGender = childGender
        self.repeatMissing = repeatMissing
        self.violenceExperienced = violenceExperienced
        self.outcome = outcome
        self.foundBy = foundBy
        self.daysMissing = daysMissing
        self.firstChannel = firstChannel
        self.sourceFile = sourceFile
        self.sourceRecord = sourceRecord
    }
}

/// One row of the `contacts` dataset: a count of contacts of one type on one channel in one month.
public struct ContactRow: Sendable, Hashable {
    public var memberID: String
    public var country: String
    public var month: Int
    public var channel: String
    public var contactType: String
    public var count: Int
    public var sourceFile: String
    public var sourceRecord: Int

    public init(
        memberID: String,
        country: String,
        month: Int,
        channel: String,
        contactType: String,
        count: Int,
        sourceFile: String,
        sourceRecord: Int
    ) {
        self.memberID = memberID
        self.country = country
        self.month = month
        self.channel = channel
        self.contactType = contactType
        self.count = count
        self.sourceFile = sourceFile
        self.sourceRecord = sourceRecord
    }
}

/// One row of the `quarantine` dataset: a record that was not loaded, and why.
public struct QuarantineRow: Sendable, Hashable {
    public var memberID: String
    public var sourceFile: String
    public var sourceRecord: Int
    /// The canonical field concerned (or the source column, for unreadable bytes).
    public var field: String?
    public var reason: QuarantineReason
    /// The offending raw value; nil for identifiers, which must not leave the pipeline raw.
    public var value: String?
    public var message: String

    public init(
        memberID: String,
        sourceFile: String,
        sourceRecord: Int,
        field: String?,
        reason: QuarantineReason,
        value: String?,
        message: String
    ) {
        self.memberID = memberID
        self.sourceFile = sourceFile
        self.sourceRecord = sourceRecord
        self.field = field
        self.reason = reason
        self.value = value
        self.message = message
    }
}

/// What normalisation made of one extracted record.
public enum NormalizedRecord: Sendable, Hashable {
    case caseRow(CaseRow)
    case contactRow(ContactRow)
    case quarantined(QuarantineRow)
}
