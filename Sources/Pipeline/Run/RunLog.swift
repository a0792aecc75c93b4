import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Where a run reports progress, warnings and errors: through swift-log, to standard error
/// (never standard output, which is for data), as text for people or JSON lines for schedulers.
/// Never given secrets.
public struct RunLog: Sendable {
    public let logger: Logger
    /// Whether progress lines may be drawn (text on an interactive terminal).
    public let isTerminal: Bool

    public init(logger: Logger, isTerminal: Bool = false) {
        self.logger = logger
        self.isTerminal = isTerminal
    }

    /// Text lines handed to `write` (tests collect messages this way).
    public init(write: @escaping @Sendable (String) -> Void) {
        self.init(logger: Logger(label: "hotline-etl") { _ in TextLogHandler(sink: write) })
    }

    /// Text on standard error.
    public static let standardError = RunLog(
        logger: Logger(label: "hotline-etl") { _ in TextLogHandler(sink: writeToStandardError) }, isTerminal: true)

    /// One JSON object per line on standard error.
    public static let jsonLines = RunLog(
        logger: Logger(label: "hotline-etl") { label in JSONLogHandler(label: label, sink: writeToStandardError) })

    public func info(_ message: String) { logger.info("\(message)") }
    public func warning(_ message: String) { logger.warning("\(message)") }
    public func error(_ message: String) { logger.error("\(message)") }
    /// A line shown as it is in text mode (e.g. `file:line:column: message` lists).
    public func write(_ line: String) { logger.notice("\(line)") }
}

@Sendable func writeToStandardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
}

/// `hotline-etl: message`, `hotline-etl: warning: ...`, `hotline-etl: error: ...`.
struct TextLogHandler: LogHandler {
    let sink: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        switch event.level {
        case .notice: sink(text)
        case .warning: sink("hotline-etl: warning: \(text)")
        case .error, .critical: sink("hotline-etl: error: \(text)")
        default: sink("hotline-etl: \(text)")
        }
    }
}

/// `{"time":"...","level":"info","logger":"hotline-etl","message":"..."}` per line.
struct JSONLogHandler: LogHandler {
    let label: String
    let sink: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "time": ISO8601DateFormatter().string(from: Date()),
            "level": event.level.rawValue,
            "logger": label,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = "\(value)"
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        sink(String(decoding: data, as: UTF8.self))
    }
}
