import Extract

enum JSONTestSupport {
    static let file = "test/submission.json"

    static func request(_ fields: [String], limits: ExtractLimits = ExtractLimits()) -> ExtractRequest {
        ExtractRequest(
            path: "/nonexistent/\(file)", displayName: file,
            format: .json(JSONOptions(records: .lines)), fields: fields, limits: limits)
    }

    static func source(_ text: String, chunked: Bool) -> any ByteSource {
        chunked ? ChunkedByteSource(Array(text.utf8)) : MemoryByteSource(Array(text.utf8))
    }

    /// All records of a document, or the error that stopped the extraction.
    static func extract(
        _ text: String, records: JSONOptions.Records = .arrayAt("$.dossiers[*]"), fields: [String],
        chunked: Bool = false, limits: ExtractLimits = ExtractLimits()
    ) -> Result<[ExtractedRecord], ExtractError> {
        extract(bytes: Array(text.utf8), records: records, fields: fields, chunked: chunked, limits: limits)
    }

    static func extract(
        bytes: [UInt8], records: JSONOptions.Records = .arrayAt("$.dossiers[*]"), fields: [String],
        chunked: Bool = false, limits: ExtractLimits = ExtractLimits()
    ) -> Result<[ExtractedRecord], ExtractError> {
        Result { () throws(ExtractError) -> [ExtractedRecord] in
            let source: any ByteSource = chunked ? ChunkedByteSource(bytes) : MemoryByteSource(bytes)
            let extractor = try JSONExtractor(
                source: source, request: request(fields, limits: limits), options: JSONOptions(records: records))
            var all: [ExtractedRecord] = []
            while let record = try extractor.next() { all.append(record) }
            return all
        }
    }

    /// The error `validate` throws for a document, nil when it is accepted.
    static func validationError(_ bytes: [UInt8], chunked: Bool = false, limits: ExtractLimits = ExtractLimits())
        -> ExtractError?
    {
        let source: any ByteSource = chunked ? ChunkedByteSource(bytes) : MemoryByteSource(bytes)
        do throws(ExtractError) {
            try JSONExtractor.validate(source: source, displayName: file, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func validationError(_ text: String, chunked: Bool = false) -> ExtractError? {
        validationError(Array(text.utf8), chunked: chunked)
    }
}

extension Result {
    /// The failure, nil on success.
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
