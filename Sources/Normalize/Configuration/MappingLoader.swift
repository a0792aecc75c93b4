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
            entry, allowed: ["match", "kind", "format", "csv", "xml", "json", "null_values", "fields"],
            in: "a submission entry")
        let match = required(entry, "match", hint: "add match: \"member-folder/*.csv.gz\"")
        var kind: RecordKind?
        if let text = required(entry, "kind", hint: "add kind: cases or kind: contacts") {
            kind = RecordKind(rawValue: text)
            if kind == nil { file.report("kind \"\(text)\" is neither cases nor contacts", at: entry["kind"]) }
        }
        let format = submissionFormat(entry)
        let nullValues = file.scalarList(entry["null_values"], "null_values").map { Set($0.map(Self.trim)) } ?? [""]
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
                if let rule = fieldRule(value, field: field) { fields[field] = rule }
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

    private mutating func fieldRule(_ node: Node, field: CanonicalField) -> FieldRule? {
        if let scalar = node.scalar { return FieldRule(source: scalar.string) }
        guard let spec = file.mapping(node, "field \(field.rawValue)") else { return nil }
        file.rejectUnknownKeys(spec, allowed: ["from", "map", "formats", "default", "value"], in: "field \(field.rawValue)")
        var rule = FieldRule(source: file.scalar(spec["from"], "from"), constant: file.scalar(spec["value"], "value"))
        if let patterns = file.scalarList(spec["formats"], "formats") {
            if field.valueType != .date {
                file.report("formats only applies to date fields, not \(field.rawValue)", at: spec["formats"])
            }
            rule.formats = []
            for pattern in patterns {
                if let parsed = DatePattern(pattern) { rule.formats.append(parsed) } else {
                    file.report(
                        "bad date pattern \"\(pattern)\"", at: spec["formats"],
                        hint: "use yyyy, MM and dd once each with separators, e.g. dd.MM.yyyy")
                }
            }
        }
        if let entries = file.mapping(spec["map"], "map of \(field.rawValue)") {
            var map: [String: String] = [:]
            for (key, value) in entries {
                guard let local = key.scalar?.string, let target = file.scalar(value, "map target") else { continue }
                checkTarget(target, field: field, rule: rule, at: value, what: "map target")
                map[Self.trim(local)] = target
            }
            rule.map = map
        }
        if let value = file.scalar(spec["default"], "default") {
            checkTarget(value, field: field, rule: rule, at: spec["default"], what: "default")
            rule.defaultValue = value
        }
        if let constant = rule.constant {
            checkTarget(constant, field: field, rule: rule, at: spec["value"], what: "value")
            if rule.source != nil {
                file.report("field \(field.rawValue) has both from: and value:", at: node, hint: "keep one of them")
            }
        } else if rule.source == nil && rule.defaultValue == nil {
            file.report("field \(field.rawValue) has no from:, value: or default:", at: node)
        }
        return rule
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

    static func trim(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
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
