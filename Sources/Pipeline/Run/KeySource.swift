import Foundation
import Normalize

/// Finds the pseudonymisation key: the HOTLINE_ETL_KEY environment variable, else the pipeline's
/// key_file, else a random development key kept in the output folder (mode 0600, with a warning).
/// The key's bytes are never logged or written anywhere else.
public struct KeySource: Sendable {
    public enum Origin: String, Sendable, Codable {
        case environment
        case keyFile = "key_file"
        case developmentKey = "development_key"
    }

    public var bytes: [UInt8]
    public var origin: Origin

    public static let environmentVariable = "HOTLINE_ETL_KEY"
    public static let developmentKeyName = "development.key"
    static let minimumBytes = Pseudonymizer.minimumKeyBytes

    /// The key a run would use, without creating a development key (for --dry-run); nil when
    /// none exists yet.
    public static func existing(
        environment: [String: String], keyFile: String?, outputDirectory: String
    ) throws(PipelineError) -> KeySource? {
        let path = (outputDirectory as NSString).appendingPathComponent(developmentKeyName)
        if environment[environmentVariable]?.isEmpty ?? true, keyFile == nil,
            !FileManager.default.fileExists(atPath: path)
        {
            return nil
        }
        return try resolve(environment: environment, keyFile: keyFile, outputDirectory: outputDirectory, warn: { _ in })
    }

    /// Resolves the key; `warn` receives a message when a development key is used or created.
    public static func resolve(
        environment: [String: String], keyFile: String?, outputDirectory: String, warn: (String) -> Void
    ) throws(PipelineError) -> KeySource {
        if let value = environment[environmentVariable], !value.isEmpty {
            let bytes = Array(value.utf8)
            guard bytes.count >= minimumBytes else {
                throw .configuration(
                    "\(environmentVariable) is too short (\(bytes.count) bytes); use at least \(minimumBytes) random bytes, e.g. `openssl rand -hex 32`")
            }
            return KeySource(bytes: bytes, origin: .environment)
        }
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw .configuration("cannot read the key file \(keyFile) named by key_file in the pipeline file")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard bytes.count >= minimumBytes else {
                throw .configuration("the key file \(keyFile) holds \(bytes.count) bytes; use at least \(minimumBytes) random bytes")
            }
            return KeySource(bytes: bytes, origin: .keyFile)
        }
        let path = (outputDirectory as NSString).appendingPathComponent(developmentKeyName)
        if let data = FileManager.default.contents(atPath: path), data.count >= minimumBytes {
            warn("using the development key \(path): pseudonyms are not stable across machines; set \(environmentVariable) or key_file for production")
            return KeySource(bytes: [UInt8](data), origin: .developmentKey)
        }
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        let bytes = (0..<64).map { _ in hex[Int(generator.next() % 16)] }
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(
                atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw .output("cannot create the development key \(path): \(error.localizedDescription)")
        }
        warn("no key configured: created a random development key in \(path) (mode 0600); set \(environmentVariable) or key_file for production")
        return KeySource(bytes: bytes, origin: .developmentKey)
    }
}
