import Extract

/// How one canonical field is filled from a member's record (one entry under `fields:`).
public struct FieldRule: Sendable, Hashable {
    /// Source column or path (`from:`); nil when the field is a constant.
    public var source: String?
    /// A constant canonical value for every record (`value:`).
    public var constant: String?
    /// Local value -> canonical value (`map:`).
    public var map: [String: String]?
    /// Date patterns tried in order (`formats:`), for date fields.
    public var formats: [DatePattern]
    /// Canonical value used when the source is missing, a null value, or not in the map.
    public var defaultValue: String?
    /// How map keys are compared and numbers read (the submission's switches, overridden by the field's).
    public var options: ValueOptions

    public init(
        source: String? = nil, constant: String? = nil, map: [String: String]? = nil,
        formats: [DatePattern] = [DatePattern("yyyy-MM-dd")!], defaultValue: String? = nil,
        options: ValueOptions = ValueOptions()
    ) {
        self.source = source
        self.constant = constant
        self.map = map
        self.formats = formats
        self.defaultValue = defaultValue
        self.options = options
    }
}

/// One kind of file a member sends (one entry under `submissions:`): which inbox files, how to
/// read them, and how their fields map onto the canonical fields.
public struct SubmissionMapping: Sendable, Hashable {
    /// Glob relative to the inbox (`*` and `?` within one path segment).
    public var match: String
    public var kind: RecordKind
    public var format: SubmissionFormat
    /// Raw values (trimmed) that mean "not recorded".
    public var nullValues: Set<String>
    public var fields: [CanonicalField: FieldRule]

    public init(
        match: String, kind: RecordKind, format: SubmissionFormat, nullValues: Set<String> = [""],
        fields: [CanonicalField: FieldRule]
    ) {
        self.match = match
        self.kind = kind
        self.format = format
        self.nullValues = nullValues
        self.fields = fields
    }

    /// The source columns or paths to extract, sorted: nothing else is read (data minimisation).
    public var sourcePaths: [String] {
        Array(Set(fields.values.compactMap(\.source))).sorted()
    }

    /// Whether the inbox-relative file name matches this submission's glob.
    public func matches(_ relativePath: String) -> Bool {
        Glob.matches(match, relativePath)
    }
}

/// A member hotline's mapping file (pipelines/members/*.yaml).
public struct MemberMapping: Sendable, Hashable {
    /// Member id as written in the dataset, e.g. `BE-CF`.
    public var memberID: String
    /// ISO 3166-1 alpha-2 country of the hotline.
    public var country: String
    public var name: String
    /// The mapping file this came from, for messages.
    public var path: String
    public var submissions: [SubmissionMapping]

    public init(memberID: String, country: String, name: String, path: String, submissions: [SubmissionMapping]) {
        self.memberID = memberID
        self.country = country
        self.name = name
        self.path = path
        self.submissions = submissions
    }
}

/// Shell-style globbing: `*` any run of characters except `/`, `?` one character except `/`.
public enum Glob {
    /// Whether `name` (a relative path) matches `pattern`.
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        matches(pattern: Array(pattern.utf8)[...], name: Array(name.utf8)[...])
    }

    static func matches(pattern: ArraySlice<UInt8>, name: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case UInt8(ascii: "*"):
            let rest = pattern.dropFirst()
            var candidate = name
            while true {
                if matches(pattern: rest, name: candidate) { return true }
                guard let next = candidate.first, next != UInt8(ascii: "/") else { return false }
                candidate = candidate.dropFirst()
            }
        case UInt8(ascii: "?"):
            guard let next = name.first, next != UInt8(ascii: "/") else { return false }
            return matches(pattern: pattern.dropFirst(), name: name.dropFirst())
        default:
            guard name.first == first else { return false }
            return matches(pattern: pattern.dropFirst(), name: name.dropFirst())
        }
    }
}
