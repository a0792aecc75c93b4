import Extract

/// Maps extracted records of one submission onto the common taxonomy: interprets every mapped
/// field, derives case_status, pseudonymises identifiers, and sends unusable records to quarantine.
public struct Normalizer: Sendable {
    public let member: MemberMapping
    public let submission: SubmissionMapping
    public let taxonomy: Taxonomy
    public let reportYear: Int
    private let pseudonymizer: Pseudonymizer

    public init(
        member: MemberMapping, submission: SubmissionMapping, taxonomy: Taxonomy, reportYear: Int,
        pseudonymizer: Pseudonymizer
    ) {
        self.member = member
        self.submission = submission
        self.taxonomy = taxonomy
        self.reportYear = reportYear
        self.pseudonymizer = pseudonymizer
    }

    public func normalize(_ record: ExtractedRecord) -> NormalizedRecord {
        if let defect = record.defect {
            return .quarantined(quarantine(
                record, field: defect.field.map(canonicalName(ofSource:)), reason: .malformed, value: nil,
                message: defect.message))
        }
        var values: [CanonicalField: FieldValue] = [:]
        for field in CanonicalField.fields(of: submission.kind) {
            guard let rule = submission.fields[field] else { continue }
            switch value(of: field, rule: rule, in: record, after: values) {
            case .success(let value?): values[field] = value
            case .success(nil): break
            case .failure(let rejection): return .quarantined(rejection.row)
            }
        }
        switch submission.kind {
        case .cases: return caseRow(values, record)
        case .contacts: return .contactRow(contactRow(values, record))
        }
    }

    /// The interpreted value of one field, nil when not recorded, or the quarantine row.
    /// `earlier` holds the fields already read (those before `field` in checking order), so that
    /// the date checks are reported at their field, in the documented order.
    private func value(
        of field: CanonicalField, rule: FieldRule, in record: ExtractedRecord, after earlier: [CanonicalField: FieldValue]
    ) -> Result<FieldValue?, Rejection> {
        var canonical: String
        let shownValue: String?
        if let constant = rule.constant {
            canonical = constant
            shownValue = constant
        } else {
            let raw = rule.source.flatMap { record.fields[$0] }.map(MappingLoader.trim)
            shownValue = field.valueType == .identifier ? nil : raw
            if let raw, !submission.nullValues.contains(raw) {
                if let map = rule.map {
                    if let target = map[raw] {
                        canonical = target
                    } else if let fallback = rule.defaultValue {
                        canonical = fallback
                    } else {
                        return .failure(Rejection(row: quarantine(
                            record, field: field.rawValue, reason: .unknownCode, value: shownValue,
                            message: "\(rule.source ?? field.rawValue) = \"\(raw)\" has no mapping for "
                                + "\(field.rawValue) in \(member.path); add it under fields.\(field.rawValue).map")))
                    }
                } else {
                    canonical = raw
                }
            } else if let fallback = rule.defaultValue {
                canonical = fallback
            } else if field.isRequired {
                let source = rule.source ?? field.rawValue
                return .failure(Rejection(row: quarantine(
                    record, field: field.rawValue, reason: .missingRequired, value: shownValue,
                    message: "required field \(field.rawValue) (\(source)) is "
                        + (raw == nil ? "missing" : "empty (\"\(raw!)\")")
                        + "; ask the member for it or give a default in \(member.path)")))
            } else {
                return .success(Optional<FieldValue>.none)
            }
        }
        switch FieldInterpreter.interpret(canonical, field: field, formats: rule.formats, taxonomy: taxonomy) {
        case .success(let value):
            if let problem = dateProblem(field, value, after: earlier) {
                return .failure(Rejection(row: quarantine(
                    record, field: field.rawValue, reason: problem.reason, value: shownValue, message: problem.message)))
            }
            return .success(value)
        case .failure(let problem):
            return .failure(Rejection(row: quarantine(
                record, field: field.rawValue, reason: problem.reason, value: shownValue,
                message: "\(field.rawValue): \(problem.message)")))
        }
    }

    private func caseRow(_ values: [CanonicalField: FieldValue], _ record: ExtractedRecord) -> NormalizedRecord {
        guard case .text(let caseID)? = values[.caseID], case .date(let openedOn)? = values[.openedOn],
            case .text(let category)? = values[.category], case .text(let gender)? = values[.childGender],
            case .text(let outcome)? = values[.outcome]
        else {
            preconditionFailure("required case fields are checked by the mapping loader")
        }
        let closedOn = values[.closedOn].flatMap(Self.date)
        let childID = values[.childID].flatMap(Self.text) ?? "1"
        return .caseRow(CaseRow(
            memberID: member.memberID, country: member.country,
            caseKey: pseudonymizer.caseKey(member: member.memberID, caseID: caseID),
            childKey: pseudonymizer.childKey(member: member.memberID, caseID: caseID, childID: childID),
            caseStatus: openedOn.year == reportYear ? "NEW" : "ONGOING",
            openedOn: openedOn, closedOn: closedOn, category: category,
            crossBorder: values[.crossBorder].flatMap(Self.boolean),
            destinationCountry: values[.destinationCountry].flatMap(Self.text),
            childAge: values[.childAge].flatMap(Self.integer),
            childGender: gender,
            repeatMissing: values[.repeatMissing].flatMap(Self.boolean),
            violenceExperienced: values[.violenceExperienced].flatMap(Self.boolean),
            outcome: outcome,
            foundBy: values[.foundBy].flatMap(Self.text),
            daysMissing: values[.daysMissing].flatMap(Self.integer),
            firstChannel: values[.firstChannel].flatMap(Self.text),
            sourceFile: record.locator.file, sourceRecord: record.locator.record))
    }

    /// A case opened after the report year, or closed before it was opened.
    private func dateProblem(
        _ field: CanonicalField, _ value: FieldValue, after earlier: [CanonicalField: FieldValue]
    ) -> FieldProblem? {
        guard case .date(let date) = value else { return nil }
        switch field {
        case .openedOn where date.year > reportYear:
            return FieldProblem(.outOfScope, "opened_on \(date) is after the report year \(reportYear)")
        case .closedOn:
            guard let openedOn = earlier[.openedOn].flatMap(Self.date), date < openedOn else { return nil }
            return FieldProblem(.badDate, "closed_on \(date) is before opened_on \(openedOn)")
        default:
            return nil
        }
    }

    private func contactRow(_ values: [CanonicalField: FieldValue], _ record: ExtractedRecord) -> ContactRow {
        guard case .integer(let month)? = values[.month], case .text(let channel)? = values[.channel],
            case .text(let type)? = values[.contactType], case .integer(let count)? = values[.count]
        else {
            preconditionFailure("required contact fields are checked by the mapping loader")
        }
        return ContactRow(
            memberID: member.memberID, country: member.country, month: month, channel: channel,
            contactType: type, count: count, sourceFile: record.locator.file, sourceRecord: record.locator.record)
    }

    /// A record rejected while reading one field.
    struct Rejection: Error {
        let row: QuarantineRow
    }

    private func quarantine(
        _ record: ExtractedRecord, field: String?, reason: QuarantineReason, value: String?, message: String
    ) -> QuarantineRow {
        QuarantineRow(
            memberID: member.memberID, sourceFile: record.locator.file, sourceRecord: record.locator.record,
            field: field, reason: reason, value: value, message: message)
    }

    /// The canonical field mapped from a source path, or the path itself.
    private func canonicalName(ofSource source: String) -> String {
        submission.fields.first { $0.value.source == source }?.key.rawValue ?? source
    }

    private static func text(_ value: FieldValue) -> String? {
        if case .text(let text) = value { text } else { nil }
    }
    private static func date(_ value: FieldValue) -> CivilDate? {
        if case .date(let date) = value { date } else { nil }
    }
    private static func boolean(_ value: FieldValue) -> Bool? {
        if case .boolean(let flag) = value { flag } else { nil }
    }
    private static func integer(_ value: FieldValue) -> Int? {
        if case .integer(let number) = value { number } else { nil }
    }
}
