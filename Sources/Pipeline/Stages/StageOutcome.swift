import Extract

/// What a stage did with one submission.
enum StageOutcome: Sendable {
    /// The stage ran; `count` is records read (extract) or quarantined (normalize).
    case ran(count: Int)
    /// Extract ran and normalised each record as it was read (both stages in one pass, when the
    /// run includes both): records read and quarantined.
    case ranWithNormalize(read: Int, quarantined: Int)
    /// Inputs unchanged since the last successful run: the staged output was reused.
    case skipped
    /// The submission could not be processed; the previous staged output (if any) is kept.
    case rejected(ErrorReport)

    /// Whether the submission was extracted and normalised in one pass, its rows staged.
    var normalized: Bool {
        if case .ranWithNormalize = self { true } else { false }
    }
}

/// An error with its location, as the manifest shows it.
public struct ErrorReport: Codable, Sendable, Hashable {
    /// The whole message: `file:line:column (byte N): what went wrong`.
    public var message: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?

    enum CodingKeys: String, CodingKey {
        case message, line, column
        case byteOffset = "byte_offset"
    }

    init(message: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    init(_ error: ExtractError) {
        self.init(message: error.description, line: error.line, column: error.column, byteOffset: error.byteOffset)
    }
}
