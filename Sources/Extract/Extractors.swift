/// Opens the right streaming extractor for a submission.
public enum Extractors {
    /// Opens the file (decompressing gzip when asked) and returns an extractor for its format.
    public static func open(_ request: ExtractRequest) throws(ExtractError) -> any RecordExtractor {
        let file = try FileByteSource(path: request.path, displayName: request.displayName)
        let source: any ByteSource =
            request.isGzip
            ? try GzipByteSource(wrapping: file, displayName: request.displayName, limits: request.limits)
            : file
        switch request.format {
        case .csv(let options):
            return try CSVExtractor(source: source, request: request, options: options)
        case .xml(let options):
            return try XMLExtractor(source: source, request: request, options: options)
        case .json(let options):
            return try JSONExtractor(source: source, request: request, options: options)
        }
    }
}
