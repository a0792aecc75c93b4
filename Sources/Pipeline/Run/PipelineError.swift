import Normalize

/// A failure that stops the whole run (as opposed to one rejected submission).
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// The pipeline, taxonomy or a mapping is wrong: exit 64.
    case configuration(String)
    case invalidConfiguration(ConfigurationError)
    /// Writing the output failed: exit 1.
    case output(String)
    /// Another run holds the output folder: exit 1.
    case locked(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .invalidConfiguration(let error): error.description
        case .output(let message): message
        case .locked(let message): message
        }
    }
}

/// The process exit codes promised to schedulers (DESIGN.md section 6).
public enum ExitStatus: Int32, Sendable, Codable {
    case success = 0
    case failure = 1
    case partial = 2
    case usage = 64
}
