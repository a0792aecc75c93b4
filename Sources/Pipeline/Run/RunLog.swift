#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the run reports progress and warnings: standard error, never standard output (data goes
/// to files). Never given secrets.
public struct RunLog: Sendable {
    public var write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// Writes lines to standard error.
    public static let standardError = RunLog { line in
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// Discards everything (tests that check files, not messages).
    public static let silent = RunLog { _ in }

    public func info(_ message: String) { write("hotline-etl: \(message)") }
    public func warning(_ message: String) { write("hotline-etl: warning: \(message)") }
    public func error(_ message: String) { write("hotline-etl: error: \(message)") }
}
