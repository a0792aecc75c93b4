import Extract

/// A mapped field with the parts of its rule that normalising reads, and its prepared map:
/// shared by every record's pass and read field by field (copying a whole `FieldRule` per record
/// and field retained every string and list in it: a tenth of the normalizer's time).
private final class PreparedRule: Sendable {
    let field: CanonicalField
    /// `field.valueType == .identifier`, worked out once (the type is built anew on each call).
    let isIdentifier: Bool
    let source: String?
    let constant: String?
    let defaultValue: String?
    let formats: [DatePattern]
    let decimalComma: Bool
    let lookup: MapLookup?
    /// Each of `lookup`'s targets already interpreted (they do not depend on the record).
    let interpretedTargets: [Result<FieldValue, FieldProblem>]
    /// Per target of an exactly matched map without a constant: its value when it needs no
    /// further check (interpreted without a problem, not a date), else nil. Empty when the field
    /// cannot take the byte path (`Normalizer.exactCode`).
    let exactCodeValues: [FieldValue?]
    /// How `Normalizer.plainValue` reads the raw bytes of this field, or nil when it leaves the
    /// field to `value(of:...)` (a constant, a map or a default; a code or yes/no without a map).
    let plainKind: PlainKind?

    /// The field types whose values the byte path reads (`Normalizer.plainValue`).
    enum PlainKind {
        case identifier, date, country
        case integer(valid: ClosedRange<Int>, inScope: ClosedRange<Int>)
    }

    init(field: CanonicalField, rule: FieldRule, lookup: MapLookup?, taxonomy: Taxonomy) {
        self.field = field
        isIdentifier = field.valueType == .identifier
        source = rule.source
        constant = rule.constant
        defaultValue = rule.defaultValue
        formats = rule.formats
        decimalComma = rule.options.decimalComma
        self.lookup = lookup
        interpretedTargets = (lookup?.targets ?? []).map {
            FieldInterpreter.interpret(
                $0, field: field, formats: rule.formats, taxonomy: taxonomy, decimalComma: rule.options.decimalComma)
        }
        let byteMatched = rule.constant == nil && !isIdentifier && rule.options.isExactMatch
        exactCodeValues = !byteMatched ? [] : interpretedTargets.map { target in
            switch target {
            case .success(.date): nil
            case .success(let value): value
            case .failure: nil
            }
        }
        let plain: PlainKind? = switch field.valueType {
        case .identifier: .identifier
        case .date: .date
        case .country: .country
        case .integer(let valid, let inScope): .integer(valid: valid, inScope: inScope)
        case .code, .boolean: nil
        }
        plainKind = rule.constant == nil && lookup == nil && rule.defaultValue == nil ? plain : nil
    }
}

/// Maps extracted records of one submission onto the common taxonomy: interprets every mapped
/// field, derives case_status, child_age (from birth_date) and days_missing (from missing_since and
/// found_on), checks plausible date bounds, pseudonymises identifiers, and sends unusable records
/// to quarantine.
public struct Normalizer: Sendable {
    public let member: MemberMapping
    public let submission: SubmissionMapping
    public let taxonomy: Taxonomy
    public let reportYear: Int
    /// What the records' case and child id values are: raw ids or the extract stage's tokens.
    public let identifiers: IdentifierValues
    private let pseudonymizer: Pseudonymizer
    /// The token of child id "1", the child of a case record without one.
    private let firstChildToken: Pseudonym
    /// What a record holds for child id "1" (most children): "1", or its token's 64 digits. Such
    /// a value is recognised by its bytes and needs no MAC or decoding.
    private let firstChildValue: String
    /// Each mapped field's map, prepared for lookups under its options.
    private let lookups: [CanonicalField: MapLookup]
    /// The submission's mapped fields with their rules and lookups, in checking order (prepared
    /// once: this is the per-record hot path).
    private let orderedRules: [PreparedRule]

    /// No event date (opening, closing, going missing, being found) is earlier than this.
    public static let earliestEventDate = CivilDate(year: 1990, month: 1, day: 1)!

    /// The latest plausible closing, missing or found date: the end of the year after the report
    /// year (members send their figures in the following year).
    public var latestEventDate: CivilDate { CivilDate(year: reportYear + 1, month: 12, day: 31)! }

    /// The earliest plausible birth date: 1 January, 30 years before the report year.
    public var earliestBirthDate: CivilDate { CivilDate(year: reportYear - 30, month: 1, day: 1)! }

    /// `identifiers` says what the records' identifier values are: `.raw` for records straight
    /// from an extractor, `.tokens` for staged records (the keys are the same either way).
    public init(
        member: MemberMapping, submission: SubmissionMapping, taxonomy: Taxonomy, reportYear: Int,
        pseudonymizer: Pseudonymizer, identifiers: IdentifierValues = .raw
    ) {
        self.member = member
        self.submission = submission
        self.taxonomy = taxonomy
        self.reportYear = reportYear
        self.identifiers = identifiers
        self.pseudonymizer = pseudonymizer
        firstChildToken = pseudonymizer.token(member: member.memberID, rawID: "1")
        firstChildValue = identifiers == .tokens ? firstChildToken.hex : "1"
        var lookups: [CanonicalField: MapLookup] = [:]
        for (field, rule) in submission.fields {
            if let map = rule.map { lookups[field] = MapLookup(map: map, options: rule.options) }
        }
        self.lookups = lookups
        nullValues = NullValues(submission.nullValues)
        self.orderedRules = CanonicalField.fields(of: submission.kind).compactMap { field in
            submission.fields[field].map { rule in
                var rule = rule
                if identifiers == .tokens, field.valueType == .identifier {
                    // A mapping's constant or default id stands beside the staged tokens as one.
                    let token = { pseudonymizer.identifierToken(member: member.memberID, rawID: $0) }
                    rule.constant = rule.constant.map(token)
                    rule.defaultValue = rule.defaultValue.map(token)
                }
                return PreparedRule(field: field, rule: rule, lookup: lookups[field], taxonomy: taxonomy)
            }
        }
    }

    /// Where each mapped field's source sits among a record's values, for records whose field
    /// names are `names` (every record of one extractor shares its names array).
    public struct FieldSlots: Sendable {
        public let names: [String]
        /// Per entry of `orderedRules`: the index in `names` of its source, or -1.
        fileprivate let slots: [Int]
    }

    /// The submission's null values.
    private let nullValues: NullValues

    /// The slots of this submission's sources among `names`.
    public func slots(for names: [String]) -> FieldSlots {
        FieldSlots(names: names, slots: orderedRules.map { entry in
            entry.source.flatMap { names.firstIndex(of: $0) } ?? -1
        })
    }

    public func normalize(_ record: ExtractedRecord) -> NormalizedRecord {
        var slots = slots(for: record.fieldNames)
        return normalize(record, slots: &slots)
    }

    /// Normalises a record with `slots` kept by the caller across records: the per-record path
    /// of the pipeline. They are worked out again only when the record's names array is not the
    /// one they were made for (comparing an array with itself costs nothing).
    public func normalize(_ record: borrowing ExtractedRecord, slots: inout FieldSlots) -> NormalizedRecord {
        if slots.names != record.fieldNames { slots = self.slots(for: record.fieldNames) }
        return normalized(record, slots: slots)
    }

    /// Normalises every record of `batch`, in order, handing each one's row to `body`: the same
    /// rows as `normalize(_:slots:)` gives for the batch's records one by one, read in place.
    public func normalize(
        _ batch: RecordBatch, slots: inout FieldSlots, _ body: (consuming NormalizedRecord) throws -> Void
    ) rethrows {
        if slots.names != batch.fieldNames { slots = self.slots(for: batch.fieldNames) }
        let slots = slots
        try batch.withRows { rows in
            for index in 0..<rows.count { try body(normalized(rows[index], slots: slots)) }
        }
    }

    /// The row of one record, read through `RecordValues` (specialised for each kind of record).
    private func normalized<Record: RecordValues>(_ record: Record, slots: FieldSlots) -> NormalizedRecord {
        if let defect = record.defect {
            return .quarantined(quarantine(
                record, field: defect.field.map(canonicalName(ofSource:)), reason: .malformed, value: nil,
                message: defect.message))
        }
        var values = FieldValues()
        do throws(Rejection) {
            for index in orderedRules.indices {
                let prepared = orderedRules[index]
                let field = prepared.field
                let slot = slots.slots[index]
                if slot >= 0, !prepared.exactCodeValues.isEmpty,
                    let code = record.withUTF8(at: slot, { $0.flatMap { exactCode(prepared, utf8: $0) } })
                {
                    values[field] = code
                    continue
                }
                if let kind = prepared.plainKind {
                    switch plainValue(prepared, kind, record, slot: slot, after: &values) {
                    case .value(let value):
                        values[field] = value
                        derive(from: field, value, into: &values)
                        continue
                    case .absent:
                        continue
                    case .fullPath:
                        break
                    }
                }
                let raw = slot >= 0 ? record.value(at: slot) : nil
                if let value = try value(of: field, rule: prepared, raw: raw, in: record, after: &values) {
                    values[field] = value
                    derive(from: field, value, into: &values)
                }
            }
        } catch {
            return .quarantined(error.row)
        }
        switch submission.kind {
        case .cases: return caseRow(values, record)
        case .contacts: return .contactRow(contactRow(values, record))
        }
    }

    /// The byte path for most mapped codes: the value of a raw value that needs no trimming (it
    /// starts and ends with a visible ASCII character), is no null marker and is a map key byte
    /// for byte, when its target needs no further check. Nil sends the field down `value(of:...)`,
    /// which gives the same value for these (it trims, finds the same key first, and the target
    /// was interpreted from the same text) and deals with everything else.
    @inline(__always)
    private func exactCode(_ rule: PreparedRule, utf8 raw: UnsafeBufferPointer<UInt8>) -> FieldValue? {
        guard MappingLoader.trimKeeps(raw), let index = rule.lookup?.exactTargetIndex(utf8: raw)
        else { return nil }
        guard nullValues.match(raw) == .no else { return nil }
        return rule.exactCodeValues[index]
    }

    /// What the byte path made of a field: its value, no value (absent or a null marker, and the
    /// field may be left out), or nothing it can decide (then `value(of:...)` does).
    private enum PlainOutcome {
        case value(FieldValue)
        case absent
        case fullPath
    }

    /// The byte path for identifiers, dates, whole numbers and country codes that need no map,
    /// default or constant: the raw value read as UTF-8 in place, with no trimmed copy, no
    /// String comparison and no `Result`. It decides only what it can decide exactly as
    /// `value(of:...)` would: a value that starts and ends with a visible ASCII character (so
    /// trimming leaves it as it is), compared with the null markers byte for byte when both are
    /// ASCII, and read without a problem. Anything else, every problem included, is `.fullPath`,
    /// so the messages and quarantine rows come from one place.
    @inline(__always)
    private func plainValue<Record: RecordValues>(
        _ rule: PreparedRule, _ kind: PreparedRule.PlainKind, _ record: Record, slot: Int, after earlier: inout FieldValues
    ) -> PlainOutcome {
        let field = rule.field
        guard slot >= 0 else { return field.isRequired ? .fullPath : .absent }
        return record.withUTF8(at: slot) { bytes -> PlainOutcome in
            guard let bytes else { return field.isRequired ? .fullPath : .absent }
            guard !bytes.isEmpty else { return nullValues.includesEmpty && !field.isRequired ? .absent : .fullPath }
            guard MappingLoader.trimKeeps(bytes) else { return .fullPath }
            switch nullValues.match(bytes) {
            case .yes: return field.isRequired ? .fullPath : .absent
            case .undecided: return .fullPath
            case .no: break
            }
            switch kind {
            case .identifier:
                return .value(.text(record.value(at: slot)!))
            case .date:
                for format in rule.formats {
                    guard let date = format.parse(utf8: bytes) else { continue }
                    let value = FieldValue.date(date)
                    return dateProblem(field, value, after: &earlier) == nil ? .value(value) : .fullPath
                }
                return .fullPath
            case .integer(let valid, let inScope):
                guard let number = FieldInterpreter.parseWholeNumber(utf8: bytes, decimalComma: rule.decimalComma),
                    valid.contains(number), inScope.contains(number)
                else { return .fullPath }
                return .value(.integer(number))
            case .country:
                guard bytes.count == 2, bytes.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                    return .fullPath
                }
                return .value(.text(record.value(at: slot)!))
            }
        }
    }

    /// The interpreted value of one field, nil when not recorded; throws the quarantine row.
    /// `earlier` holds the fields already read (those before `field` in checking order), so that
    /// the date checks are reported at their field, in the documented order. (Thrown rather than
    /// returned in a `Result`: the large rejection then costs nothing on the path every valid
    /// field takes, where copying and destroying the `Result` was a few percent of the stage.)
    /// `earlier` is `inout` only so that it is passed by reference: it is read, never changed
    /// (passed by value, its 704 bytes were copied for every field).
    private func value<Record: RecordValues>(
        of field: CanonicalField, rule: PreparedRule, raw rawValue: String?,
        in record: Record, after earlier: inout FieldValues
    ) throws(Rejection) -> FieldValue? {
        var canonical: String
        let shownValue: String?
        var interpreted: Result<FieldValue, FieldProblem>?
        if let constant = rule.constant {
            canonical = constant
            shownValue = constant
        } else {
            let raw = rawValue.map(MappingLoader.trim)
            shownValue = rule.isIdentifier ? nil : raw
            if let raw, rule.isIdentifier ? nullValues.holdsID(raw) : !nullValues.contains(raw) {
                if let lookup = rule.lookup {
                    if let index = lookup.targetIndex(for: raw) {
                        canonical = lookup.targets[index]
                        interpreted = rule.interpretedTargets[index]
                    } else if let fallback = rule.defaultValue {
                        canonical = fallback
                    } else {
                        throw Rejection(row: quarantine(
                            record, field: field.rawValue, reason: .unknownCode, value: shownValue,
                            message: "\(rule.source ?? field.rawValue) = \"\(raw)\" has no mapping for "
                                + "\(field.rawValue) in \(member.path); add it under fields.\(field.rawValue).map"))
                    }
                } else {
                    canonical = raw
                }
            } else if let fallback = rule.defaultValue {
                canonical = fallback
            } else if field.isRequired {
                let source = rule.source ?? field.rawValue
                throw Rejection(row: quarantine(
                    record, field: field.rawValue, reason: .missingRequired, value: shownValue,
                    message: "required field \(field.rawValue) (\(source)) is "
                        + (raw == nil ? "missing" : "empty (\"\(raw!)\")")
                        + "; ask the member for it or give a default in \(member.path)"))
            } else {
                return nil
            }
        }
        switch interpreted ?? FieldInterpreter.interpret(
            canonical, field: field, formats: rule.formats, taxonomy: taxonomy, decimalComma: rule.decimalComma)
        {
        case .success(let value):
            if case .date = value, let problem = dateProblem(field, value, after: &earlier) {
                throw Rejection(row: quarantine(
                    record, field: field.rawValue, reason: problem.reason, value: shownValue, message: problem.message))
            }
            return value
        case .failure(let problem):
            throw Rejection(row: quarantine(
                record, field: field.rawValue, reason: problem.reason, value: shownValue,
                message: "\(field.rawValue): \(problem.message)"))
        }
    }

    /// Every value of `record` that has no entry in its field's map (and no default), field by
    /// field rather than only the record's first problem: what `hotline-etl validate --inbox`
    /// counts. Identifiers are never included; neither are records the extractor could not read.
    public func unmappedValues(in record: ExtractedRecord) -> [UnmappedValue] {
        guard record.defect == nil else { return [] }
        var found: [UnmappedValue] = []
        for field in CanonicalField.fields(of: submission.kind) {
            guard let rule = submission.fields[field], rule.constant == nil, let source = rule.source,
                field.valueType != .identifier, let raw = record[field: source].map(MappingLoader.trim),
                !nullValues.contains(raw)
            else { continue }
            if let lookup = lookups[field] {
                if lookup.target(for: raw) == nil, rule.defaultValue == nil {
                    found.append(UnmappedValue(field: field, source: source, value: raw))
                }
            } else if case .failure(let problem) = FieldInterpreter.interpret(
                raw, field: field, formats: rule.formats, taxonomy: taxonomy, decimalComma: rule.options.decimalComma),
                problem.reason == .unknownCode, rule.defaultValue == nil
            {
                found.append(UnmappedValue(field: field, source: source, value: raw))
            }
        }
        return found
    }

    private func caseRow<Record: RecordValues>(_ values: FieldValues, _ record: Record) -> NormalizedRecord {
        guard case .text(let caseID)? = values[.caseID], case .date(let openedOn)? = values[.openedOn],
            case .text(let category)? = values[.category], case .text(let gender)? = values[.childGender],
            case .text(let outcome)? = values[.outcome]
        else {
            preconditionFailure("required case fields are checked by the mapping loader")
        }
        let closedOn = values[.closedOn].flatMap(Self.date)
        let caseKey = identifierToken(caseID)
        // (`if let` rather than `.map(identifierToken)`: a method as a closure copies the normalizer.)
        var childToken = firstChildToken
        if let childID = values[.childID].flatMap(Self.text), !IdentifierTokens.sameBytes(childID, firstChildValue) {
            childToken = identifierToken(childID)
        }
        return .caseRow(CaseRow(
            memberID: member.memberID, country: member.country,
            caseKey: caseKey,
            childKey: pseudonymizer.childKey(member: member.memberID, caseKey: caseKey, childToken: childToken),
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
            sourceFile: record.sourceFile, sourceRecord: record.sourceRecord))
    }

    /// The identifier token an id value stands for (a case id's is its case key): read from the
    /// value when the records hold tokens, made from it when they hold raw ids. A staged value
    /// that is no token can only come from a damaged or edited staging file; it is keyed as a
    /// raw id, as the extract stage would have.
    private func identifierToken(_ value: String) -> Pseudonym {
        if identifiers == .tokens, let token = Pseudonym(token: value) { return token }
        return pseudonymizer.token(member: member.memberID, rawID: value)
    }

    /// Dates outside their plausible bounds or in the wrong order, and a child aged 18 or over at
    /// opening by its birth date. `earlier` holds the fields checked before `field` (`inout` to
    /// pass it by reference; it is not changed).
    private func dateProblem(
        _ field: CanonicalField, _ value: FieldValue, after earlier: inout FieldValues
    ) -> FieldProblem? {
        guard case .date(let date) = value else { return nil }
        let openedOn = earlier[.openedOn].flatMap(Self.date)
        switch field {
        case .openedOn, .closedOn, .missingSince, .foundOn:
            if date < Self.earliestEventDate {
                return FieldProblem(
                    .badDate, "\(field.rawValue) \(date) is before \(Self.earliestEventDate), the earliest plausible date")
            }
        case .birthDate:
            if date < earliestBirthDate {
                return FieldProblem(
                    .badDate,
                    "birth_date \(date) is before \(earliestBirthDate), the earliest plausible birth date for the "
                        + "report year \(reportYear)")
            }
        default:
            return nil
        }
        if field == .openedOn, date.year > reportYear {
            return FieldProblem(.outOfScope, "opened_on \(date) is after the report year \(reportYear)")
        }
        if [.closedOn, .missingSince, .foundOn].contains(field), date > latestEventDate {
            return FieldProblem(
                .badDate,
                "\(field.rawValue) \(date) is after \(latestEventDate), the latest plausible date for the report year "
                    + "\(reportYear)")
        }
        switch field {
        case .closedOn:
            guard let openedOn, date < openedOn else { return nil }
            return FieldProblem(.badDate, "closed_on \(date) is before opened_on \(openedOn)")
        case .foundOn:
            guard let missingSince = earlier[.missingSince].flatMap(Self.date), date < missingSince else { return nil }
            return FieldProblem(.badDate, "found_on \(date) is before missing_since \(missingSince)")
        case .birthDate:
            guard let openedOn else { return nil }
            if openedOn < date {
                return FieldProblem(.badDate, "birth_date \(date) is after opened_on \(openedOn)")
            }
            let age = Self.age(born: date, on: openedOn)
            if earlier[.childAge] == nil, age > 17 {
                return FieldProblem(
                    .outOfScope,
                    "the child was \(age) when the case was opened (birth_date \(date), opened_on \(openedOn)); "
                        + "the dataset covers ages 0...17")
            }
            return nil
        default:
            return nil
        }
    }

    /// Fills derived fields once their sources are read: child_age from birth_date (unless the
    /// record gives child_age), days_missing from missing_since and found_on (unless it gives days_missing).
    private func derive(from field: CanonicalField, _ value: FieldValue, into values: inout FieldValues) {
        guard case .date(let date) = value else { return }
        switch field {
        case .birthDate where values[.childAge] == nil:
            if let openedOn = values[.openedOn].flatMap(Self.date) {
                values[.childAge] = .integer(Self.age(born: date, on: openedOn))
            }
        case .foundOn where values[.daysMissing] == nil:
            if let missingSince = values[.missingSince].flatMap(Self.date) {
                values[.daysMissing] = .integer(date.daysSinceEpoch - missingSince.daysSinceEpoch)
            }
        default:
            break
        }
    }

    /// Age in whole years on `day` of a child born on `birth` (a 29 February birthday counts
    /// from 1 March in common years).
    static func age(born birth: CivilDate, on day: CivilDate) -> Int {
        let years = day.year - birth.year
        return (day.month, day.day) < (birth.month, birth.day) ? years - 1 : years
    }

    private func contactRow<Record: RecordValues>(_ values: FieldValues, _ record: Record) -> ContactRow {
        guard case .integer(let month)? = values[.month], case .text(let channel)? = values[.channel],
            case .text(let type)? = values[.contactType], case .integer(let count)? = values[.count]
        else {
            preconditionFailure("required contact fields are checked by the mapping loader")
        }
        return ContactRow(
            memberID: member.memberID, country: member.country, month: month, channel: channel,
            contactType: type, count: count, sourceFile: record.sourceFile, sourceRecord: record.sourceRecord)
    }

    /// A record rejected while reading one field.
    struct Rejection: Error {
        let row: QuarantineRow
    }

    private func quarantine<Record: RecordValues>(
        _ record: Record, field: String?, reason: QuarantineReason, value: String?, message: String
    ) -> QuarantineRow {
        QuarantineRow(
            memberID: member.memberID, sourceFile: record.sourceFile, sourceRecord: record.sourceRecord,
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

/// A local value with no entry in its field's map: the record would be quarantined as UNKNOWN_CODE.
public struct UnmappedValue: Sendable, Hashable {
    /// The canonical field the value is meant for.
    public var field: CanonicalField
    /// The source column or path it was read from (`from:` in the mapping).
    public var source: String
    /// The raw value, trimmed. Never an identifier.
    public var value: String

    public init(field: CanonicalField, source: String, value: String) {
        self.field = field
        self.source = source
        self.value = value
    }
}

/// What the case and child id values of the records a `Normalizer` reads are.
public enum IdentifierValues: Sendable, Hashable {
    /// The raw ids as the member sent them: records straight from an extractor (tools, tests).
    case raw
    /// The extract stage's identifier tokens (`Pseudonymizer.identifierToken`): staged records.
    case tokens
}
