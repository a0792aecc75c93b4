import Foundation

/// Keeps two runs off the same output folder. The lock is an advisory `flock` on
/// OUT/.hotline-etl.lock, released by the kernel when the process ends, even by kill -9; the
/// file names the holder so that a refused run can say who holds it.
final class RunLock {
    private let descriptor: Int32
    let path: String

    static func path(in outputDirectory: String) -> String {
        (outputDirectory as NSString).appendingPathComponent(".hotline-etl.lock")
    }

    /// Takes the lock or throws a message naming the run that holds it.
    init(outputDirectory: String, holder: String) throws(PipelineError) {
        path = Self.path(in: outputDirectory)
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw .output("cannot create the output folder \(outputDirectory): \(error.localizedDescription)")
        }
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw .output("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let current = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw .locked(
                "another hotline-etl run is using \(outputDirectory) (\(current.isEmpty ? "holder unknown" : current)); wait for it to finish, or use another --out")
        }
        descriptor = fd
        ftruncate(fd, 0)
        let text = holder + "\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
