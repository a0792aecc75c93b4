import Crypto
import Extract
import Foundation
import HexDigits
import Normalize

/// What every stage of one run shares: configuration, output folder, year, key, staging.
struct RunContext: Sendable {
    let configuration: LoadedConfiguration
    let outputDirectory: String
    let reportYear: Int
    let pseudonymizer: Pseudonymizer
    let keyBytes: [UInt8]
    let staging: StagingArea
    let log: RunLog
    let limits: ExtractLimits
    /// Submissions processed at once.
    let jobs: Int

    /// A keyed fingerprint of the key: changes when the key changes, reveals nothing of it.
    var keyFingerprint: String { Self.fingerprint(ofKey: keyBytes) }

    static func fingerprint(ofKey keyBytes: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("hotline-etl key fingerprint".utf8), using: SymmetricKey(data: keyBytes))
        return Hex.encode(Array(mac.prefix(8)))
    }

    /// Test hook: with HOTLINE_ETL_TEST_STOP_AT=point the run announces the point on the log and
    /// waits there, so a test can kill it at an exact moment. Unset in production.
    let stopAt: String?
    /// Test hook: with HOTLINE_ETL_TEST_FAIL_AT=point the run fails at that point as if the
    /// fault had happened (`report-counting`: the report's counting while loading), so a test can
    /// check what the run does then. Unset in production.
    let failAt: String?

    func checkpoint(_ point: String) {
        guard stopAt == point else { return }
        log.write("hotline-etl: test stop point \(point) reached")
        while true { sleep(3600) }
    }
}

/// One inbox file claimed by a member mapping, with the fingerprint of its inputs.
struct PlannedSubmission: Sendable {
    let file: InboxFile
    let member: MemberMapping
    let submission: SubmissionMapping
    /// The input file's SHA-256 and size, perhaps still being computed (reading them waits).
    let digest: PendingFileDigest
    /// The fingerprint's parts other than the input's digest.
    let inputs: StageFingerprint
    /// Chosen by --member (all submissions when no member is named).
    let selected: Bool

    /// The input file's SHA-256 ("" when it could not be read).
    var sha256: String { digest.value?.hex ?? "" }
    var size: Int { digest.value?.size ?? 0 }
    var fingerprint: StageFingerprint {
        var fingerprint = inputs
        fingerprint.inputSHA256 = sha256
        return fingerprint
    }

    var name: String { file.relativePath }
}

/// Runs `body` for every index on at most `jobs` threads (default: the core count) and returns
/// the results in index order, so the outcome does not depend on scheduling.
func parallelMap<T: Sendable>(
    _ count: Int, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: @Sendable (Int) -> T
) -> [T] {
    let results = ResultSlots<T>(count: count)
    let workers = max(1, min(jobs, count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = results.claim() {
            results.set(index, body(index))
        }
    }
    return results.values
}

/// Thread-safe fixed slots for `parallelMap`.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    private var nextIndex = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next index no worker has taken yet.
    func claim() -> Int? {
        lock.withLock {
            guard nextIndex < slots.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    var values: [T] { lock.withLock { slots.map { $0! } } }
}
