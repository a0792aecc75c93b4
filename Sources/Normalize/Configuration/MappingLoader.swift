import Extract
import Yams

extension MemberMapping {
    /// Loads a member mapping file and checks it against the taxonomy; throws every problem found,
    /// each with file, line and column.
    public static func load(path: String, taxonomy: Taxonomy) throws(ConfigurationError) -> MemberMapping {
        var loader = MappingLoader(file: YAMLFile(path: path), taxonomy: taxonomy)
        let mapping = loader.member()
        guard loader.file.problems.isEmpty, let mapping else {
            throw ConfigurationError(loader.file.problems)
        }
        return mapping
    }
}

/// Reads the mapping language documented in docs/mapping.md.
struct MappingLoader {
    var file: YAMLFile
    let taxonomy: Taxonomy

    mutating func member() -> MemberMapping? {
        guard let root = file.mapping(file.root, "a member mapping file") else { return nil }
        file.rejectUnknownKeys(root, allowed: ["member", "country", "name", "submissions"], in: "the mapping file")
        let memberID = required(root, "member", hint: "add a line such as member: DE-IVK")
        if let memberID, !Self.isMemberID(memberID) {
            file.report(
                "member id \"\(memberID)\" is not of the form CC-NAME", at: root["member"],
                hint: "use the country code, a dash and capital letters or digits, e.g. DE-IVK")
        }
        let country = required(root, "country", hint: "add a line such as country: DE")
        if let country, !Self.isCountry(country) {
            file.report("country \"\(country)\" is not an ISO 3166-1 alpha-2 code", at: root["country"],
                        hint: "use two capital letters, e.g. DE")
        }
        let name = file.scalar(root["name"], "name") ?? memberID ?? ""
        var submissions: [SubmissionMapping] = []
        if let list = root["submissions"] {
            if let sequence = list.sequence {
                for entry in sequence {
                    if let submission = submission(entry) { submissions.append(submission) }
                }
                if sequence.isEmpty { file.report("submissions is empty", at: list) }
            } else {
                file.report("submissions must be a list of entries starting with \"- match:\"", at: list)
            }
        } else {
            file.report("the mapping has no submissions", at: file.root,
                        hint: "add a submissions: list, see docs/mapping.md")
        }
        guard let memberID, let country else { return nil }
        return MemberMapping(memberID: memberID, country: country, name: name, path: file.path, submissions: submissions)
    }

    private mutating func required(_ mapping: Node.Mapping, _ key: String, hint: String) -> String? {
        guard let node = mapping[key] else {
            file.report("\"\(key)\" is missing", at: file.root, hint: hint)
            return nil
        }
        return file.scalar(node, key)
    }

    private mutating func submission(_ node: Node) -> SubmissionMapping? {
        guard let entry = file.mapping(node, "a submission entry") else { return nil }
        file.rejectUnknownKeys(
            entry, allowed: ["match", "kind", "format", "csv", "xml", "json", "null_values", "fields"] + Self.switchKeys,
            in: "a submission entry")
        let match = required(entry, "match", hint: "add match: \"member-folder/*.csv.gz\"")
        var kind: RecordKind?
        if let text = required(entry, "kind", hint: "add kind: cases or kind: contacts") {
            kind = RecordKind(rawValue: text)
            if kind == nil { file.report("kind \"\(text)\" is neither cases nor contacts", at: entry["kind"]) }
        }
        let format = submissionFormat(entry)
        let nullValues = file.scalarList(entry["null_values"], "null_values").map { Set($0.map(Self.trim)) } ?? [""]
        let (defaults, _) = valueOptions(entry, base: ValueOptions())
        var fields: [CanonicalField: FieldRule] = [:]
        if let kind, let fieldNodes = file.mapping(entry["fields"], "fields") {
            for (key, value) in fieldNodes {
                let name = key.scalar?.string ?? "?"
                guard let field = CanonicalField(rawValue: name), field.recordKind == kind else {
                    file.report(
                        "unknown field \"\(name)\" for \(kind.rawValue) submissions", at: key,
                        hint: "fields: " + CanonicalField.fields(of: kind).map(\.rawValue).joined(separator: ", "))
                    continue
                }
                if let rule = fieldRule(value, field: field, defaults: defaults) { fields[field] = rule }
            }
            for field in CanonicalField.fields(of: kind) where field.isRequired {
                let rule = fields[field]
                if rule == nil, fieldNodes[field.rawValue] == nil {
                    file.report(
                        "required field \(field.rawValue) is not mapped", at: entry["fields"],
                        hint: "add \(field.rawValue): with from:, value: or default:")
                }
            }
        } else if entry["fields"] == nil {
            file.report("the submission has no fields", at: node)
        }
        guard let match, let kind, let format else { return nil }
        return SubmissionMapping(match: match, kind: kind, format: format, nullValues: nullValues, fields: fields)
    }

    private mutating func submissionFormat(_ entry: Node.Mapping) -> SubmissionFormat? {
        guard let name = required(entry, "format", hint: "add format: csv, xml or json") else { return nil }
        switch name {
        case "csv":
            var options = CSVOptions()
            if let csv = file.mapping(entry["csv"], "csv") {
                file.rejectUnknownKeys(csv, allowed: ["delimiter", "quote", "encoding", "header"], in: "csv")
                if let value = singleByte(csv["delimiter"], "delimiter") { options.delimiter = value }
                if let value = singleByte(csv["quote"], "quote") { options.quote = value }
                if let value = file.scalar(csv["encoding"], "encoding") {
                    if let encoding = TextEncoding(rawValue: value.lowercased()) {
                        options.encoding = encoding
                    } else {
                        file.report("unknown encoding \"\(value)\"", at: csv["encoding"],
                                    hint: "use one of " + TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                }
                if let value = file.scalar(csv["header"], "header") {
                    if let flag = Bool(value) { options.hasHeader = flag } else {
                        file.report("header must be true or false", at: csv["header"])
                    }
                }
            }
            return .csv(options)
        case "xml":
            guard let xml = file.mapping(entry["xml"], "xml") else {
                if entry["xml"] == nil {
                    file.report("an xml submission needs an xml: section with record:", at: entry["format"])
                }
                return nil
            }
            file.rejectUnknownKeys(xml, allowed: ["record", "namespaces"], in: "xml")
            var namespaces: [String: String] = [:]
            if let bound = file.mapping(xml["namespaces"], "namespaces") {
                for (prefix, uri) in bound {
                    if let prefix = prefix.scalar?.string, let uri = file.scalar(uri, "namespace \(prefix)") {
                        namespaces[prefix] = uri
                    }
                }
            }
            guard let record = required(xml, "record", hint: "add record: /root/element/path") else { return nil }
            if !record.hasPrefix("/") {
                file.report("record path \"\(record)\" must start with /", at: xml["record"])
            }
            return .xml(XMLOptions(recordPath: record, namespaces: namespaces))
        case "json":
            guard let json = file.mapping(entry["json"], "json") else {
                if entry["json"] == nil {
                    file.report("a json submission needs a json: section with records: or lines: true", at: entry["format"])
                }
                return nil
            }
            file.rejectUnknownKeys(json, allowed: ["records", "lines"], in: "json")
            if file.scalar(json["lines"], "lines") == "true" { return .json(JSONOptions(records: .lines)) }
            guard let path = required(json, "records", hint: "add records: \"$.dossiers[*]\"") else { return nil }
            guard path.hasPrefix("$"), path.hasSuffix("[*]") else {
                file.report("records path \"\(path)\" must look like $.key[*] or $[*]", at: json["records"])
                return nil
            }
            return .json(JSONOptions(records: .arrayAt(path)))
        default:
            file.report("unknown format \"\(name)\"", at: entry["format"], hint: "use csv, xml or json")
            return nil
        }
    }

    private mutating func singleByte(_ node: Node?, _ what: String) -> UInt8? {
        guard let text = file.scalar(node, what) else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count == 1 else {
            file.report("\(what) must be a single ASCII character, not \"\(text)\"", at: node)
            return nil
        }
        return bytes[0]
    }

    /// The switches that may be set for a whole submission and overridden per field.
    static let switchKeys = ["ignore_case", "ignore_accents", "collapse_spaces", "decimal_comma"]

    /// Reads `ignore_case`, `ignore_accents`, `collapse_spaces` and `decimal_comma` from `mapping`,
    /// starting from `base`; returns the options and the switch keys that were present.
    private mutating func valueOptions(_ mapping: Node.Mapping, base: ValueOptions) -> (ValueOptions, [String]) {
        var options = base
        var present: [String] = []
        for key in Self.switchKeys {
            guard let node = mapping[key], let text = file.scalar(node, key) else { continue }
            guard let flag = Bool(text) else {
                file.report("\(key) must be true or false, not \"\(text)\"", at: node)
                continue
            }
            present.append(key)
            switch key {
            case "ignore_case": options.ignoreCase = flag
            case "ignore_accents": options.ignoreAccents = flag
            case "collapse_spaces": options.collapseSpaces = flag
            default: options.decimalComma = flag
            }
        }
        return (options, present)
    }

    private mutating func fieldRule(_ node: Node, field: CanonicalField, defaults: ValueOptions) -> FieldRule? {
        if let scalar = node.scalar { return FieldRule(source: scalar.string, options: defaults) }
        guard let spec = file.mapping(node, "field \(field.rawValue)") else { return nil }
        file.rejectUnknownKeys(
            spec, allowed: ["from", "map", "yes", "no", "formats", "default", "value"] + Self.switchKeys,
            in: "field \(field.rawValue)")
        var rule = FieldRule(source: file.scalar(spec["from"], "from"), constant: file.scalar(spec["value"], "value"))
        let (options, switches) = valueOptions(spec, base: defaults)
        rule.options = options
        if let formatsNode = spec["formats"] {
            formats(formatsNode, field: field, into: &rule)
        }
        if field.valueType == .identifier {
            for key in ["map", "yes", "no"] {
                guard let keyNode = Self.entry(spec, key)?.key else { continue }
                file.report(
                    "\(field.rawValue) is an identifier and cannot have \(key):", at: keyNode,
                    hint: "ids are pseudonymised as they are; a map would copy local ids into the mapping file and messages")
            }
            if field == .caseID {
                for key in ["value", "default"] {
                    guard let keyNode = Self.entry(spec, key)?.key else { continue }
                    file.report(
                        "case_id cannot have \(key):", at: keyNode,
                        hint: "every record needs its own case id; a record without one is quarantined")
                }
            }
        } else {
            map(spec, field: field, into: &rule)
        }
        for key in switches {
            guard let keyNode = Self.entry(spec, key)?.key else { continue }
            if key == "decimal_comma" {
                if case .integer = field.valueType { continue }
                file.report("decimal_comma only applies to number fields, not \(field.rawValue)", at: keyNode)
            } else if rule.map == nil {
                file.report("\(key) only applies to a field with map:, yes: or no:", at: keyNode)
            }
        }
        if let value = file.scalar(spec["default"], "default"), field != .caseID {
            checkTarget(value, field: field, rule: rule, at: spec["default"], what: "default")
            rule.defaultValue = value
        }
        if let constant = rule.constant {
            if field != .caseID {
                checkTarget(constant, field: field, rule: rule, at: spec["value"], what: "value")
            }
            if rule.source != nil {
                file.report("field \(field.rawValue) has both from: and value:", at: node, hint: "keep one of them")
            }
        } else if rule.source == nil && rule.defaultValue == nil && spec["default"] == nil {
            file.report("field \(field.rawValue) has no from:, value: or default:", at: node)
        }
        return rule
    }

    /// `formats:`: the date patterns, each checked where it is written.
    private mutating func formats(_ node: Node, field: CanonicalField, into rule: inout FieldRule) {
        if field.valueType != .date {
            file.report("formats only applies to date fields, not \(field.rawValue)", at: node)
        }
        let entries = node.sequence.map(Array.init) ?? [node]
        guard node.scalar != nil || node.sequence != nil else {
            file.report("formats must be a list such as [\"dd.MM.yyyy\"]", at: node)
            return
        }
        if entries.isEmpty {
            file.report(
                "formats is empty", at: node,
                hint: "list the date patterns to try, e.g. formats: [\"dd.MM.yyyy\"], or leave formats out for yyyy-MM-dd")
            return
        }
        rule.formats = []
        for entry in entries {
            guard let pattern = file.scalar(entry, "each entry of formats") else { continue }
            if let parsed = DatePattern(pattern) { rule.formats.append(parsed) } else {
                file.report(
                    "bad date pattern \"\(pattern)\"", at: entry,
                    hint: "use yyyy, MM and dd once each with separators, e.g. dd.MM.yyyy")
            }
        }
    }

    /// `map:` and the yes/no shorthand `yes:` / `no:`, with their targets checked and keys that
    /// would match the same values (under the field's options) refused when their targets differ.
    private mutating func map(_ spec: Node.Mapping, field: CanonicalField, into rule: inout FieldRule) {
        var entries: [(key: Node, local: String, target: String, targetNode: Node)] = []
        if let mapNode = spec["map"], let pairs = file.mapping(mapNode, "map of \(field.rawValue)") {
            for (key, value) in pairs {
                guard let local = key.scalar?.string, let target = file.scalar(value, "map target") else { continue }
                checkTarget(target, field: field, rule: rule, at: value, what: "map target")
                entries.append((key, Self.trim(local), target, value))
            }
        }
        for (word, target) in [("yes", "true"), ("no", "false")] {
            guard let (keyNode, listNode) = Self.entry(spec, word) else { continue }
            guard field.valueType == .boolean else {
                file.report("\(word): only applies to yes/no fields, not \(field.rawValue)", at: keyNode,
                            hint: "use map: to translate local values")
                continue
            }
            let items = listNode.sequence.map(Array.init) ?? [listNode]
            for item in items {
                guard let local = file.scalar(item, "each entry of \(word)") else { continue }
                entries.append((item, Self.trim(local), target, item))
            }
        }
        guard spec["map"] != nil || Self.entry(spec, "yes") != nil || Self.entry(spec, "no") != nil else { return }
        var map: [String: String] = [:]
        var seen: [String: (local: String, target: String)] = [:]
        for entry in entries {
            let matchKey = rule.options.matchKey(entry.local)
            if let earlier = seen[matchKey] {
                if earlier.target != entry.target {
                    file.report(
                        "\"\(entry.local)\" and \"\(earlier.local)\" match the same values but map to "
                            + "\(entry.target) and \(earlier.target)",
                        at: entry.key, hint: "keep one of them, or map both to the same value")
                }
                continue
            }
            seen[matchKey] = (entry.local, entry.target)
            map[entry.local] = entry.target
        }
        rule.map = map
    }

    /// Reports a canonical value that the field cannot take.
    private mutating func checkTarget(_ value: String, field: CanonicalField, rule: FieldRule, at node: Node?, what: String) {
        switch FieldInterpreter.interpret(value, field: field, formats: rule.formats, taxonomy: taxonomy) {
        case .success: break
        case .failure(let problem):
            var hint: String?
            if case .code(let list) = field.valueType {
                hint = "\(list) codes in the taxonomy: " + (taxonomy.codeLists[list] ?? []).joined(separator: ", ")
            }
            file.report("\(what) \"\(value)\" for \(field.rawValue): \(problem.message)", at: node, hint: hint)
        }
    }

    /// The key node and value of `key` in `mapping`, matched by its text whether quoted or not
    /// (an unquoted `yes` or `no` is a YAML boolean, which Yams' string subscript would not find).
    static func entry(_ mapping: Node.Mapping, _ key: String) -> (key: Node, value: Node)? {
        mapping.first { $0.key.scalar?.string == key }.map { ($0.key, $0.value) }
    }

    /// Whether `trim` leaves a value as it is because its UTF-8 starts with `first` and ends with
    /// `last`, both visible ASCII characters: the condition every byte path decides on.
    @inline(__always)
    static func trimKeeps(first: UInt8, last: UInt8) -> Bool {
        first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
    }

    /// `trimKeeps(first:last:)` of a value's UTF-8 in place; false for an empty value.
    @inline(__always)
    static func trimKeeps(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        return trimKeeps(first: first, last: last)
    }

    /// `text` without leading and trailing whitespace (`Character.isWhitespace`).
    static func trim(_ text: String) -> String {
        // Fast path: most values start and end with a visible ASCII character. (Over the
        // contiguous bytes: `utf8.last` walks String indices and was most of this function.)
        let ends = text.utf8.withContiguousStorageIfAvailable { bytes -> (first: UInt8, last: UInt8)? in
            bytes.isEmpty ? nil : (bytes[0], bytes[bytes.count - 1])
        } ?? text.utf8.first.map { ($0, text.utf8.last!) }
        guard let (firstByte, lastByte) = ends else { return text }
        if trimKeeps(first: firstByte, last: lastByte) { return text }
        // Next fastest, for values that start or end with a letter such as "é": a Character is
        // whitespace when its first scalar is, and below U+0300 (where combining marks begin) a
        // scalar never joins the one before it, so these end scalars decide without grapheme
        // breaking.
        let scalars = text.unicodeScalars
        if let first = scalars.first, let last = scalars.last, !isWhitespace(first), last.value < 0x300,
            !isWhitespace(last)
        {
            return text
        }
        var characters = Substring(text)
        while let first = characters.first, first.isWhitespace { characters = characters.dropFirst() }
        while let last = characters.last, last.isWhitespace { characters = characters.dropLast() }
        return characters.startIndex == text.startIndex && characters.endIndex == text.endIndex ? text : String(characters)
    }

    /// `Unicode.Scalar.Properties.isWhitespace`, without the property lookup below U+0300 (where
    /// the whitespace scalars are the ASCII ones, U+0085 and U+00A0).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: true
        case ..<0x300: false
        default: scalar.properties.isWhitespace
        }
    }

    static func isMemberID(_ id: String) -> Bool {
        let parts = id.split(separator: "-", maxSplits: 1)
        return parts.count == 2 && isCountry(String(parts[0]))
            && parts[1].allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func isCountry(_ code: String) -> Bool {
        code.utf8.count == 2 && code.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
