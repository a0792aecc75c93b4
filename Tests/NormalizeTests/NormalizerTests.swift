import Crypto
import Extract
import Foundation
import Testing
@testable import Normalize

/// HMAC-SHA-256 of the documented message (parts joined by U+001F), in lower-case hex, computed
/// here with swift-crypto independently of Pseudonymizer.
func expectedPseudonym(key: [UInt8], _ parts: String...) -> String {
    independentMAC(key: key, Array(parts.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
}

/// swift-crypto's HMAC-SHA-256 of `message` under `key`.
func independentMAC(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
}

/// The documented case key of a raw case id, computed with swift-crypto: the id's identifier
/// token, the MAC of "id", the member and the id.
func expectedCaseKey(key: [UInt8], member: String, caseID: String) -> Pseudonym {
    let mac = independentMAC(key: key, Array(["id", member, caseID].joined(separator: "\u{1F}").utf8))
    return mac.withUnsafeBytes { Pseudonym(bytes: $0.baseAddress!) }
}

/// The documented child key of raw ids, computed with swift-crypto: the MAC of "child", the
/// member, the case key's 32 bytes and the child id token's 32 bytes, each after U+001F.
func expectedChildKey(key: [UInt8], member: String, caseID: String, childID: String) -> Pseudonym {
    func token(_ id: String) -> [UInt8] {
        independentMAC(key: key, Array(["id", member, id].joined(separator: "\u{1F}").utf8))
    }
    let message = Array("child\u{1F}\(member)\u{1F}".utf8) + token(caseID) + [0x1F] + token(childID)
    return independentMAC(key: key, message).withUnsafeBytes { Pseudonym(bytes: $0.baseAddress!) }
}

@Suite struct NormalizerTests {
    static let key = Array("0123456789abcdef0123456789abcdef".utf8)
    static let mappingPath = "pipelines/members/de-ivk.yaml"
    static let file = "de-ivk/faelle-2025.csv.gz"
    static let dotted = [DatePattern("dd.MM.yyyy")!]

    static let caseFields: [CanonicalField: FieldRule] = [
        .caseID: FieldRule(source: "Nr"),
        .childID: FieldRule(source: "Kind"),
        .openedOn: FieldRule(source: "Auf", formats: dotted),
        .closedOn: FieldRule(source: "Zu", formats: dotted),
        .category: FieldRule(source: "Kategorie", map: ["Ausreißer": "RUNAWAY", "Kindesentziehung": "PARENTAL_ABDUCTION"]),
        .crossBorder: FieldRule(source: "GÜ", map: ["ja": "true", "nein": "false"]),
        .repeatMissing: FieldRule(source: "Wdh", map: ["ja": "true", "nein": "false"]),
        .violenceExperienced: FieldRule(source: "Gewalt"),
        .destinationCountry: FieldRule(source: "Ziel"),
        .childAge: FieldRule(source: "Alter"),
        .childGender: FieldRule(source: "Geschlecht", map: ["w": "FEMALE", "m": "MALE", "d": "OTHER"], defaultValue: "UNKNOWN"),
        .outcome: FieldRule(source: "Ergebnis", map: ["gefunden": "FOUND", "nicht gefunden": "NOT_FOUND"], defaultValue: "UNKNOWN"),
        .foundBy: FieldRule(source: "Durch", map: ["Polizei": "POLICE", "Familie": "FAMILY"]),
        .daysMissing: FieldRule(source: "Tage"),
        .firstChannel: FieldRule(source: "Kanal", map: ["Telefon": "PHONE", "Chat": "CHAT"]),
    ]

    static let goodFields: [String: String] = [
        "Nr": "2025-0042", "Kind": "2", "Auf": "03.02.2025", "Zu": "10.02.2025", "Kategorie": " Ausreißer ",
        "GÜ": "ja", "Wdh": "nein", "Gewalt": "false", "Ziel": "at", "Alter": "14", "Geschlecht": "w",
        "Ergebnis": "gefunden", "Durch": "Polizei", "Tage": "7", "Kanal": "Telefon",
        "Vorname": "never read",
    ]

    static func normalizer(
        fields: [CanonicalField: FieldRule] = caseFields, kind: RecordKind = .cases, reportYear: Int = 2025,
        key: [UInt8] = key, nullValues: Set<String> = ["", "-"], identifiers: IdentifierValues = .raw
    ) -> Normalizer {
        let submission = SubmissionMapping(
            match: "de-ivk/faelle-*.csv.gz", kind: kind, format: .csv(CSVOptions(delimiter: UInt8(ascii: ";"))),
            nullValues: nullValues, fields: fields)
        let member = MemberMapping(
            memberID: "DE-IVK", country: "DE", name: "test", path: mappingPath, submissions: [submission])
        return Normalizer(
            member: member, submission: submission, taxonomy: Support.codedTaxonomy, reportYear: reportYear,
            pseudonymizer: Pseudonymizer(keyBytes: key), identifiers: identifiers)
    }

    static func record(_ changes: [String: String?] = [:], at position: Int = 5) -> ExtractedRecord {
        var fields = goodFields
        for (name, value) in changes { fields[name] = value }
        return ExtractedRecord(locator: RecordLocator(file: file, record: position, line: position), fields: fields)
    }

    static func normalize(_ changes: [String: String?] = [:], reportYear: Int = 2025) -> NormalizedRecord {
        normalizer(reportYear: reportYear).normalizeBothWays(record(changes))
    }

    static func caseRow(_ result: NormalizedRecord, sourceLocation: SourceLocation = #_sourceLocation) -> CaseRow? {
        guard case .caseRow(let row) = result else {
            Issue.record("expected a case row, got \(result)", sourceLocation: sourceLocation)
            return nil
        }
        return row
    }

    static func quarantined(_ result: NormalizedRecord, sourceLocation: SourceLocation = #_sourceLocation) -> QuarantineRow? {
        guard case .quarantined(let row) = result else {
            Issue.record("expected quarantine, got \(result)", sourceLocation: sourceLocation)
            return nil
        }
        return row
    }

    static func quarantine(
        _ field: String?, _ reason: QuarantineReason, value: String?, _ message: String
    ) -> NormalizedRecord {
        .quarantined(QuarantineRow(
            memberID: "DE-IVK", sourceFile: file, sourceRecord: 5, field: field, reason: reason, value: value,
            message: message))
    }

    // MARK: Good records

    @Test func completeCaseRow() {
        let expected = CaseRow(
            memberID: "DE-IVK", country: "DE",
            caseKey: expectedCaseKey(key: Self.key, member: "DE-IVK", caseID: "2025-0042"),
            childKey: expectedChildKey(key: Self.key, member: "DE-IVK", caseID: "2025-0042", childID: "2"),
            caseStatus: "NEW", openedOn: Support.date(2025, 2, 3), closedOn: Support.date(2025, 2, 10),
            category: "RUNAWAY", crossBorder: true, destinationCountry: "AT", childAge: 14, childGender: "FEMALE",
            repeatMissing: false, violenceExperienced: false, outcome: "FOUND", foundBy: "POLICE", daysMissing: 7,
            firstChannel: "PHONE", sourceFile: Self.file, sourceRecord: 5)
        #expect(Self.normalize() == .caseRow(expected))
    }

    @Test func pseudonymsMatchAnIndependentHMAC() throws {
        let row = try #require(Self.caseRow(Self.normalize()))
        // Computed with openssl, key K = 0123456789abcdef0123456789abcdef:
        //   case  = `printf 'id\x1fDE-IVK\x1f2025-0042' | openssl dgst -sha256 -hmac K`
        //   token = `printf 'id\x1fDE-IVK\x1f2' | openssl dgst -sha256 -hmac K`
        //   child = `{ printf 'child\x1fDE-IVK\x1f'; echo -n $case | xxd -r -p; printf '\x1f';
        //             echo -n $token | xxd -r -p; } | openssl dgst -sha256 -hmac K` (a 78-byte message)
        #expect(row.caseKey.hex == "b70a69a934585e062f5d29ca3b3cd69fb1f23b5273a88c4fd57cb4540dc78521")
        #expect(row.childKey.hex == "1be4a50d11bea3d633effcf789e45b2db0d72aae6fd44af97b9a83b1a25ca923")
        for key in [row.caseKey.hex, row.childKey.hex] {
            #expect(key.utf8.count == 64)
            #expect(key.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
        }
        // the raw id appears nowhere in the row
        #expect(!"\(row)".contains("2025-0042"))
    }

    @Test func pseudonymsDependOnKeyAndIDs() throws {
        let first = try #require(Self.caseRow(Self.normalize()))
        let again = try #require(Self.caseRow(Self.normalize()))
        #expect(first.caseKey == again.caseKey && first.childKey == again.childKey)

        let otherKey = Array("fedcba9876543210fedcba9876543210".utf8)
        let keyed = try #require(Self.caseRow(Self.normalizer(key: otherKey).normalizeBothWays(Self.record())))
        #expect(keyed.caseKey != first.caseKey)
        #expect(keyed.childKey != first.childKey)
        #expect(keyed.caseKey == expectedCaseKey(key: otherKey, member: "DE-IVK", caseID: "2025-0042"))

        let sibling = try #require(Self.caseRow(Self.normalize(["Kind": "3"])))
        #expect(sibling.caseKey == first.caseKey)
        #expect(sibling.childKey != first.childKey)

        let otherCase = try #require(Self.caseRow(Self.normalize(["Nr": "2025-0043"])))
        #expect(otherCase.caseKey != first.caseKey)
        #expect(otherCase.childKey != first.childKey)
    }

    @Test func childIDDefaultsToOne() throws {
        let withoutChild = try #require(Self.caseRow(Self.normalize(["Kind": nil])))
        #expect(withoutChild.childKey == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: "2025-0042", childID: "1"))
        let explicitOne = try #require(Self.caseRow(Self.normalize(["Kind": "1"])))
        #expect(explicitOne.childKey == withoutChild.childKey)
        let nullChild = try #require(Self.caseRow(Self.normalize(["Kind": "-"])))
        #expect(nullChild.childKey == withoutChild.childKey)
    }

    /// Staged records hold the extract stage's tokens in place of the ids: normalised as tokens,
    /// they give the rows (keys included) that the raw ids give.
    @Test func stagedTokensGiveTheKeysOfTheRawIDs() throws {
        let pseudonymizer = Pseudonymizer(keyBytes: Self.key)
        func staged(_ changes: [String: String?]) -> ExtractedRecord {
            var staged = changes
            for name in ["Nr", "Kind"] {
                let raw = changes.keys.contains(name) ? changes[name]! : Self.goodFields[name]
                staged.updateValue(raw.map { pseudonymizer.identifierToken(member: "DE-IVK", rawID: $0) }, forKey: name)
            }
            return Self.record(staged)
        }
        let tokens = Self.normalizer(identifiers: .tokens)
        for changes: [String: String?] in [[:], ["Kind": nil], ["Kind": "1"], ["Kind": "3"], ["Nr": "IVK 17/25"]] {
            let fromTokens = try #require(Self.caseRow(tokens.normalizeBothWays(staged(changes))))
            let fromRaw = try #require(Self.caseRow(Self.normalize(changes)))
            #expect(fromTokens == fromRaw, "\(changes)")
            let caseID = changes["Nr"].flatMap { $0 } ?? "2025-0042"
            let childID = changes["Kind"].map { $0 ?? "1" } ?? "2"
            #expect(fromTokens.caseKey == expectedCaseKey(key: Self.key, member: "DE-IVK", caseID: caseID))
            #expect(fromTokens.childKey
                == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: caseID, childID: childID))
        }
        // A record without a child id and one whose child id is "1" are the same child.
        let noChild = try #require(Self.caseRow(tokens.normalizeBothWays(staged(["Kind": nil]))))
        let childOne = try #require(Self.caseRow(tokens.normalizeBothWays(staged(["Kind": "1"]))))
        #expect(noChild.childKey == childOne.childKey)
    }

    /// A mapping's constant or default child id is a raw id beside the staged tokens: it is
    /// keyed as the extract stage would have keyed it, so both forms give the same key.
    @Test func mappedChildIDsGiveTheSameKeysBesideStagedTokens() throws {
        let pseudonymizer = Pseudonymizer(keyBytes: Self.key)
        let caseToken = pseudonymizer.identifierToken(member: "DE-IVK", rawID: "2025-0042")
        var constant = Self.caseFields
        constant[.childID] = FieldRule(constant: "7")
        var fallback = Self.caseFields
        fallback[.childID] = FieldRule(source: "Kind", defaultValue: "9")
        for (fields, childID, kind) in [(constant, "7", "2"), (fallback, "9", "-")] {
            let raw = try #require(Self.caseRow(Self.normalizer(fields: fields).normalizeBothWays(Self.record(["Kind": kind]))))
            let staged = try #require(Self.caseRow(Self.normalizer(fields: fields, identifiers: .tokens).normalizeBothWays(
                Self.record(["Nr": caseToken, "Kind": kind]))))
            #expect(staged == raw, "child id \(childID)")
            #expect(staged.childKey
                == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: "2025-0042", childID: childID))
        }
    }

    /// An empty id is no id even when the null values do not list "": a case without one goes to
    /// quarantine, a child without one is child "1", from raw records and from staged ones alike.
    @Test func anEmptyIDIsNoIDWhateverTheNullValues() throws {
        let pseudonymizer = Pseudonymizer(keyBytes: Self.key)
        var tokens = IdentifierTokens(pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 2, nullValues: ["-"])
        let raw = Self.normalizer(nullValues: ["-"])
        let staged = Self.normalizer(nullValues: ["-"], identifiers: .tokens)
        for empty in ["", "   "] {
            let stagedEmpty = tokens.staged(field: 0, value: empty)
            #expect(stagedEmpty == empty)
            for (normalizer, value) in [(raw, empty), (staged, stagedEmpty)] {
                let row = try #require(Self.quarantined(normalizer.normalizeBothWays(Self.record(["Nr": value]))))
                #expect(row.field == "case_id")
                #expect(row.reason == .missingRequired)
                #expect(row.value == nil)
                #expect(row.message == "required field case_id (Nr) is empty (\"\"); ask the member for it or give a default in \(Self.mappingPath)")
            }
            let caseToken = tokens.staged(field: 0, value: "2025-0042")
            let childless = try #require(Self.caseRow(staged.normalizeBothWays(Self.record([
                "Nr": caseToken, "Kind": tokens.staged(field: 1, value: empty),
            ]))))
            #expect(childless == (try #require(Self.caseRow(raw.normalizeBothWays(Self.record(["Kind": empty]))))))
            #expect(childless.childKey
                == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: "2025-0042", childID: "1"))
        }
    }

    /// A staged id value that is no token (a damaged or edited staging file) is keyed as a raw id.
    @Test func aStagedValueThatIsNoTokenIsKeyedAsARawID() throws {
        let tokens = Self.normalizer(identifiers: .tokens)
        let upperCase = String(repeating: "AB", count: 32)
        for caseID in ["2025-0042", upperCase, String(repeating: "a", count: 63)] {
            let row = try #require(Self.caseRow(tokens.normalizeBothWays(Self.record(["Nr": caseID, "Kind": nil]))))
            #expect(row.caseKey == expectedCaseKey(key: Self.key, member: "DE-IVK", caseID: caseID), "\(caseID)")
            #expect(row.childKey == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: caseID, childID: "1"))
        }
    }

    @Test func caseStatus() throws {
        #expect(Self.caseRow(Self.normalize(["Auf": "01.01.2025"]))?.caseStatus == "NEW")
        #expect(Self.caseRow(Self.normalize(["Auf": "31.12.2025", "Zu": nil]))?.caseStatus == "NEW")
        #expect(Self.caseRow(Self.normalize(["Auf": "31.12.2024"]))?.caseStatus == "ONGOING")
        #expect(Self.caseRow(Self.normalize(["Auf": "15.06.2019"]))?.caseStatus == "ONGOING")
        let ongoing = try #require(Self.caseRow(Self.normalize(["Auf": "20.11.2024", "Zu": "-"])))
        #expect(ongoing.openedOn == Support.date(2024, 11, 20))
        #expect(ongoing.closedOn == nil)
    }

    @Test func nullValuesOfOptionalFieldsBecomeNil() throws {
        let row = try #require(Self.caseRow(Self.normalize([
            "Zu": "-", "GÜ": "", "Wdh": " - ", "Gewalt": nil, "Ziel": "-", "Alter": "", "Durch": "-", "Tage": nil,
            "Kanal": "",
        ])))
        #expect(row.closedOn == nil)
        #expect(row.crossBorder == nil)
        #expect(row.repeatMissing == nil)
        #expect(row.violenceExperienced == nil)
        #expect(row.destinationCountry == nil)
        #expect(row.childAge == nil)
        #expect(row.foundBy == nil)
        #expect(row.daysMissing == nil)
        #expect(row.firstChannel == nil)
        #expect(row.category == "RUNAWAY")
    }

    @Test func defaultsForMissingNullAndUnmappedValues() {
        #expect(Self.caseRow(Self.normalize(["Geschlecht": nil]))?.childGender == "UNKNOWN")
        #expect(Self.caseRow(Self.normalize(["Geschlecht": "-"]))?.childGender == "UNKNOWN")
        #expect(Self.caseRow(Self.normalize(["Geschlecht": "x"]))?.childGender == "UNKNOWN")
        #expect(Self.caseRow(Self.normalize(["Geschlecht": " m"]))?.childGender == "MALE")
        #expect(Self.caseRow(Self.normalize(["Ergebnis": "vielleicht"]))?.outcome == "UNKNOWN")
        #expect(Self.caseRow(Self.normalize(["Ergebnis": "nicht gefunden"]))?.outcome == "NOT_FOUND")
    }

    @Test func constantsViaValue() throws {
        var fields = Self.caseFields
        fields[.category] = FieldRule(constant: "MISSING_MIGRANT")
        fields[.outcome] = FieldRule(constant: "NOT_FOUND")
        fields[.crossBorder] = FieldRule(constant: "true")
        fields[.destinationCountry] = FieldRule(constant: "it")
        let row = try #require(Self.caseRow(Self.normalizer(fields: fields).normalizeBothWays(
            Self.record(["Kategorie": "Quatsch", "Ergebnis": nil, "GÜ": "nein"]))))
        #expect(row.category == "MISSING_MIGRANT")
        #expect(row.outcome == "NOT_FOUND")
        #expect(row.crossBorder == true)
        #expect(row.destinationCountry == "IT")
    }

    // MARK: Mapped codes read by their bytes

    /// A mapped code that needs no trimming is read straight from its bytes; with spaces around it
    /// (or a tab) it takes the full path, which trims. The two must give the same row.
    @Test func mappedCodesGiveTheSameRowWithOrWithoutSpacesAround() throws {
        let plain = Self.normalize([
            "Kategorie": "Kindesentziehung", "GÜ": "nein", "Wdh": "ja", "Geschlecht": "d", "Ergebnis": "nicht gefunden",
            "Durch": "Familie", "Kanal": "Chat",
        ])
        let spaced = Self.normalize([
            "Kategorie": " Kindesentziehung", "GÜ": "nein\t", "Wdh": " ja ", "Geschlecht": " d", "Ergebnis": "nicht gefunden ",
            "Durch": "Familie ", "Kanal": "\tChat",
        ])
        #expect(plain == spaced)
        let row = try #require(Self.caseRow(plain))
        #expect(row.category == "PARENTAL_ABDUCTION")
        #expect(row.crossBorder == false)
        #expect(row.repeatMissing == true)
        #expect(row.childGender == "OTHER")
        #expect(row.outcome == "NOT_FOUND")
        #expect(row.foundBy == "FAMILY")
        #expect(row.firstChannel == "CHAT")
    }

    /// A null marker stays null even when the map has it as a key (the full path checks null
    /// markers first; the byte path must not find the key instead).
    @Test func aNullMarkerThatIsAlsoAMapKeyStaysNull() throws {
        var fields = Self.caseFields
        fields[.foundBy] = FieldRule(source: "Durch", map: ["Polizei": "POLICE", "-": "OTHER"])
        fields[.childGender] = FieldRule(source: "Geschlecht", map: ["w": "FEMALE", "-": "OTHER"], defaultValue: "UNKNOWN")
        let row = try #require(Self.caseRow(Self.normalizer(fields: fields).normalizeBothWays(
            Self.record(["Durch": "-", "Geschlecht": "-"]))))
        #expect(row.foundBy == nil)
        #expect(row.childGender == "UNKNOWN")
    }

    /// A null marker matches a value that is the same text (canonically equivalent) with the same
    /// number of bytes, as the full path compares them, even when the bytes differ (combining
    /// marks in another order) and the value's own bytes are a map key.
    @Test func aNullMarkerMatchesItsCanonicalEquivalentOnTheBytePathToo() throws {
        let marker = "xa\u{0301}\u{0323}x", reordered = "xa\u{0323}\u{0301}x"
        #expect(marker == reordered && Array(marker.utf8) != Array(reordered.utf8))
        var fields = Self.caseFields
        fields[.foundBy] = FieldRule(source: "Durch", map: ["Polizei": "POLICE", reordered: "FAMILY"])
        let submission = SubmissionMapping(
            match: "de-ivk/faelle-*.csv.gz", kind: .cases, format: .csv(CSVOptions(delimiter: UInt8(ascii: ";"))),
            nullValues: ["", marker], fields: fields)
        let member = MemberMapping(
            memberID: "DE-IVK", country: "DE", name: "test", path: Self.mappingPath, submissions: [submission])
        let normalizer = Normalizer(
            member: member, submission: submission, taxonomy: Support.codedTaxonomy, reportYear: 2025,
            pseudonymizer: Pseudonymizer(keyBytes: Self.key))
        let row = try #require(Self.caseRow(normalizer.normalizeBothWays(Self.record(["Durch": reordered]))))
        #expect(row.foundBy == nil)
        #expect(Self.caseRow(normalizer.normalizeBothWays(Self.record(["Durch": "Polizei"])))?.foundBy == "POLICE")
    }

    // MARK: Identifiers, dates, numbers and countries read by their bytes

    /// A value with no map, default or constant is read from its bytes when it starts and ends
    /// with a visible ASCII character; with spaces around it it takes the full path, which trims.
    /// The two must give the same row.
    @Test func unmappedValuesGiveTheSameRowWithOrWithoutSpacesAround() throws {
        let plain = Self.normalize([
            "Nr": "2025-0077", "Kind": "3", "Auf": "4.2.2025", "Zu": "28.02.2025", "Ziel": "PL", "Alter": "9",
            "Tage": "12.0",
        ])
        let spaced = Self.normalize([
            "Nr": " 2025-0077", "Kind": "3 ", "Auf": "\t4.2.2025", "Zu": "28.02.2025 ", "Ziel": " PL ", "Alter": " 9",
            "Tage": "12.0\t",
        ])
        #expect(plain == spaced)
        let row = try #require(Self.caseRow(plain))
        #expect(row.caseKey == expectedCaseKey(key: Self.key, member: "DE-IVK", caseID: "2025-0077"))
        #expect(row.childKey == expectedChildKey(key: Self.key, member: "DE-IVK", caseID: "2025-0077", childID: "3"))
        #expect(row.openedOn == Support.date(2025, 2, 4))
        #expect(row.closedOn == Support.date(2025, 2, 28))
        #expect(row.destinationCountry == "PL")
        #expect(row.childAge == 9)
        #expect(row.daysMissing == 12)
        // A lower-case country is for the full path, which upper-cases it.
        #expect(Self.caseRow(Self.normalize(["Ziel": "pl"]))?.destinationCountry == "PL")
    }

    /// A null marker, an empty value (when "" is a marker) or no value leaves an optional
    /// unmapped field out; in a required field it is MISSING_REQUIRED with the full path's message.
    @Test func nullMarkersAndEmptyValuesOfUnmappedFields() throws {
        let row = try #require(Self.caseRow(Self.normalize(["Zu": "-", "Ziel": "", "Alter": " - ", "Tage": nil])))
        #expect(row.closedOn == nil)
        #expect(row.destinationCountry == nil)
        #expect(row.childAge == nil)
        #expect(row.daysMissing == nil)
        #expect(Self.normalize(["Auf": ""]) == Self.quarantine(
            "opened_on", .missingRequired, value: "",
            "required field opened_on (Auf) is empty (\"\"); ask the member for it or give a default in "
                + "pipelines/members/de-ivk.yaml"))
        #expect(Self.normalize(["Auf": "-"]) == Self.quarantine(
            "opened_on", .missingRequired, value: "-",
            "required field opened_on (Auf) is empty (\"-\"); ask the member for it or give a default in "
                + "pipelines/members/de-ivk.yaml"))
        // Where "" is no null marker, an empty date is a bad date and an empty country malformed.
        let strict = Self.normalizer(nullValues: ["-"])
        #expect(strict.normalizeBothWays(Self.record(["Zu": ""])) == Self.quarantine(
            "closed_on", .badDate, value: "", "closed_on: \"\" is not a real date in the format dd.MM.yyyy"))
        #expect(strict.normalizeBothWays(Self.record(["Ziel": ""])) == Self.quarantine(
            "destination_country", .malformed, value: "",
            "destination_country: \"\" is not a two-letter ISO country code"))
    }

    /// An unmapped field's value that is canonically equivalent to a non-ASCII null marker of the
    /// same byte count is null, as the full path's String comparison finds.
    @Test func anUnmappedValueEquivalentToANullMarkerIsNull() throws {
        let marker = "xa\u{0301}\u{0323}x", reordered = "xa\u{0323}\u{0301}x"
        let normalizer = Self.normalizer(nullValues: ["", marker])
        let row = try #require(Self.caseRow(normalizer.normalizeBothWays(Self.record(["Zu": reordered, "Tage": marker]))))
        #expect(row.closedOn == nil)
        #expect(row.daysMissing == nil)
    }

    /// A map whose target fails the field's checks quarantines the record on either path: a
    /// target that is no taxonomy code, and a date target before the earliest plausible date.
    @Test func mappedTargetsThatFailTheirChecksAreQuarantined() {
        var fields = Self.caseFields
        fields[.foundBy] = FieldRule(source: "Durch", map: ["Polizei": "POLIZEI"])
        #expect(Self.normalizer(fields: fields).normalizeBothWays(Self.record()) == Self.quarantine(
            "found_by", .unknownCode, value: "Polizei",
            "found_by: \"POLIZEI\" is not a found_by code of the taxonomy"))
        fields = Self.caseFields
        fields[.closedOn] = FieldRule(source: "Zu", map: ["alt": "01.01.1980"], formats: Self.dotted)
        #expect(Self.normalizer(fields: fields).normalizeBothWays(Self.record(["Zu": "alt"])) == Self.quarantine(
            "closed_on", .badDate, value: "alt",
            "closed_on 1980-01-01 is before 1990-01-01, the earliest plausible date"))
    }

    // MARK: Quarantine

    @Test func requiredNullValueIsMissingRequired() {
        #expect(Self.normalize(["Kategorie": "-"]) == Self.quarantine(
            "category", .missingRequired, value: "-",
            "required field category (Kategorie) is empty (\"-\"); ask the member for it or give a default in "
                + "pipelines/members/de-ivk.yaml"))
    }

    @Test func requiredAbsentFieldIsMissingRequired() {
        #expect(Self.normalize(["Auf": nil]) == Self.quarantine(
            "opened_on", .missingRequired, value: nil,
            "required field opened_on (Auf) is missing; ask the member for it or give a default in "
                + "pipelines/members/de-ivk.yaml"))
    }

    @Test func identifierValuesAreNeverShown() throws {
        let row = try #require(Self.quarantined(Self.normalize(["Nr": "-"])))
        #expect(row.field == "case_id")
        #expect(row.reason == .missingRequired)
        #expect(row.value == nil)
        let absent = try #require(Self.quarantined(Self.normalize(["Nr": nil])))
        #expect(absent.value == nil)
        #expect(absent.message.hasPrefix("required field case_id (Nr) is missing"))
    }

    @Test func unknownCode() {
        #expect(Self.normalize(["Kategorie": "Ausreißerin"]) == Self.quarantine(
            "category", .unknownCode, value: "Ausreißerin",
            "Kategorie = \"Ausreißerin\" has no mapping for category in pipelines/members/de-ivk.yaml; "
                + "add it under fields.category.map"))
        // a yes/no field with a map is an unknown code too
        let row = Self.quarantined(Self.normalize(["GÜ": "vielleicht"]))
        #expect(row?.reason == .unknownCode)
        #expect(row?.field == "cross_border")
        // and so is an unmapped yes/no field whose value is not true/false
        #expect(Self.quarantined(Self.normalize(["Gewalt": "ja"]))?.reason == .unknownCode)
    }

    @Test func unknownCodeWithoutMap() {
        var fields = Self.caseFields
        fields[.firstChannel] = FieldRule(source: "Kanal")
        #expect(Self.normalizer(fields: fields).normalizeBothWays(Self.record(["Kanal": "FAX"])) == Self.quarantine(
            "first_channel", .unknownCode, value: "FAX", "first_channel: \"FAX\" is not a channel code of the taxonomy"))
    }

    @Test func badDate() {
        #expect(Self.normalize(["Auf": "31.02.2025"]) == Self.quarantine(
            "opened_on", .badDate, value: "31.02.2025",
            "opened_on: \"31.02.2025\" is not a real date in the format dd.MM.yyyy"))
        #expect(Self.quarantined(Self.normalize(["Zu": "2025-02-10"]))?.reason == .badDate)
    }

    @Test func numbersAndCountries() {
        #expect(Self.normalize(["Alter": "18"]) == Self.quarantine(
            "child_age", .outOfScope, value: "18", "child_age: 18 is outside the dataset's scope 0...17"))
        #expect(Self.normalize(["Alter": "-1"]) == Self.quarantine(
            "child_age", .outOfRange, value: "-1", "child_age: -1 is outside 0...130"))
        #expect(Self.normalize(["Tage": "tre"]) == Self.quarantine(
            "days_missing", .malformed, value: "tre", "days_missing: \"tre\" is not a whole number"))
        #expect(Self.normalize(["Ziel": "AUT"]) == Self.quarantine(
            "destination_country", .malformed, value: "AUT",
            "destination_country: \"AUT\" is not a two-letter ISO country code"))
    }

    @Test func openedAfterTheReportYearIsOutOfScope() {
        #expect(Self.normalize(["Auf": "02.01.2026", "Zu": nil]) == Self.quarantine(
            "opened_on", .outOfScope, value: "02.01.2026", "opened_on 2026-01-02 is after the report year 2025"))
        // the same record is in scope for the report year 2026
        #expect(Self.caseRow(Self.normalize(["Auf": "02.01.2026", "Zu": nil], reportYear: 2026))?.caseStatus == "NEW")
    }

    @Test func closedBeforeOpenedIsBadDate() {
        #expect(Self.normalize(["Zu": "01.02.2025"]) == Self.quarantine(
            "closed_on", .badDate, value: "01.02.2025", "closed_on 2025-02-01 is before opened_on 2025-02-03"))
        // closed on the day it was opened is fine
        #expect(Self.caseRow(Self.normalize(["Zu": "03.02.2025"]))?.closedOn == Support.date(2025, 2, 3))
    }

    @Test func firstProblemInFieldOrderIsReported() {
        // opened_on comes before category: the case is out of scope, not an unmapped code
        #expect(Self.quarantined(Self.normalize(["Auf": "02.01.2026", "Kategorie": "Ausreißerin"]))?.reason
            == .outOfScope)
        // closed_on comes before category
        #expect(Self.quarantined(Self.normalize(["Zu": "01.01.2025", "Kategorie": "Ausreißerin"]))?.field
            == "closed_on")
        // case_id before opened_on
        #expect(Self.quarantined(Self.normalize(["Nr": "", "Auf": "x"]))?.field == "case_id")
        // child_age before first_channel
        #expect(Self.quarantined(Self.normalize(["Alter": "200", "Kanal": "Brief"]))?.field == "child_age")
        // category before child_gender (which has a default) and outcome
        #expect(Self.quarantined(Self.normalize(["Kategorie": "-", "Durch": "Nachbar"]))?.field == "category")
    }

    @Test func recordDefectIsMalformed() {
        let defect = RecordDefect(field: "Alter", message: "line 7: byte 0x81 is not windows-1252")
        let record = ExtractedRecord(
            locator: RecordLocator(file: Self.file, record: 5), fields: Self.goodFields, defect: defect)
        #expect(Self.normalizer().normalizeBothWays(record) == Self.quarantine(
            "child_age", .malformed, value: nil, "line 7: byte 0x81 is not windows-1252"))

        let unmapped = ExtractedRecord(
            locator: RecordLocator(file: Self.file, record: 5), fields: [:],
            defect: RecordDefect(field: "Bemerkung", message: "bad bytes"))
        #expect(Self.normalizer().normalizeBothWays(unmapped) == Self.quarantine("Bemerkung", .malformed, value: nil, "bad bytes"))

        let ragged = ExtractedRecord(
            locator: RecordLocator(file: Self.file, record: 5), fields: [:],
            defect: RecordDefect(message: "row has 3 fields, the header 16"))
        #expect(Self.normalizer().normalizeBothWays(ragged) == Self.quarantine(
            nil, .malformed, value: nil, "row has 3 fields, the header 16"))
    }

    // MARK: Contacts

    static let contactFields: [CanonicalField: FieldRule] = [
        .month: FieldRule(source: "Monat"),
        .channel: FieldRule(source: "Kanal", map: ["Telefon": "PHONE", "Chat": "CHAT"]),
        .contactType: FieldRule(source: "Art", map: ["Schweigeanruf": "SILENT", "fallbezogen": "CASE_RELATED"]),
        .count: FieldRule(source: "Anzahl"),
    ]

    static func contact(_ fields: [String: String]) -> NormalizedRecord {
        normalizer(fields: contactFields, kind: .contacts).normalizeBothWays(
            ExtractedRecord(locator: RecordLocator(file: "de-ivk/kontakte-2025.csv.gz", record: 9), fields: fields))
    }

    @Test func contactRow() {
        #expect(Self.contact(["Monat": "3", "Kanal": "Telefon", "Art": "Schweigeanruf", "Anzahl": "12"])
            == .contactRow(ContactRow(
                memberID: "DE-IVK", country: "DE", month: 3, channel: "PHONE", contactType: "SILENT", count: 12,
                sourceFile: "de-ivk/kontakte-2025.csv.gz", sourceRecord: 9)))
        #expect(Self.contact(["Monat": "12", "Kanal": "Chat", "Art": "fallbezogen", "Anzahl": "0"])
            == .contactRow(ContactRow(
                memberID: "DE-IVK", country: "DE", month: 12, channel: "CHAT", contactType: "CASE_RELATED", count: 0,
                sourceFile: "de-ivk/kontakte-2025.csv.gz", sourceRecord: 9)))
    }

    @Test func badContactRows() {
        #expect(Self.contact(["Monat": "13", "Kanal": "Telefon", "Art": "Schweigeanruf", "Anzahl": "12"])
            == .quarantined(QuarantineRow(
                memberID: "DE-IVK", sourceFile: "de-ivk/kontakte-2025.csv.gz", sourceRecord: 9, field: "month",
                reason: .outOfRange, value: "13", message: "month: 13 is outside 1...12")))
        let fractional = Self.contact(["Monat": "1", "Kanal": "Telefon", "Art": "Schweigeanruf", "Anzahl": "1.5"])
        #expect(Self.quarantined(fractional)?.reason == .malformed)
        #expect(Self.quarantined(fractional)?.field == "count")
        let missing = Self.contact(["Monat": "1", "Kanal": "Telefon", "Art": "Schweigeanruf"])
        #expect(Self.quarantined(missing)?.reason == .missingRequired)
        let unknown = Self.contact(["Monat": "1", "Kanal": "Fax", "Art": "Schweigeanruf", "Anzahl": "1"])
        #expect(Self.quarantined(unknown)?.message
            == "Kanal = \"Fax\" has no mapping for channel in pipelines/members/de-ivk.yaml; add it under fields.channel.map")
    }
}
