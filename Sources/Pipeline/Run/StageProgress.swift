import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reports a stage's progress: on a terminal, one line rewritten as submissions finish
/// (done, left, elapsed); always, one summary line per stage.
final class StageProgress: @unchecked Sendable {
    private let stage: Stage
    private let total: Int
    private let log: RunLog
    private let began = Date()
    private let lock = NSLock()
    private var finishedCount = 0
    private var records = 0
    private let onTerminal: Bool

    init(stage: Stage, total: Int, log: RunLog) {
        self.stage = stage
        self.total = total
        self.log = log
        self.onTerminal = log.isTerminal && isatty(2) == 1
    }

    /// One submission done; `records` is how many records it held.
    func finished(records submissionRecords: Int) {
        guard onTerminal else { return }
        let (done, total) = lock.withLock {
            finishedCount += 1
            records += submissionRecords
            return (finishedCount, records)
        }
        let elapsed = Date().timeIntervalSince(began)
        let rate = elapsed > 0 ? Int(Double(total) / elapsed) : 0
        let line = "\(stage.rawValue): \(done)/\(self.total) submissions, \(self.total - done) left, \(total) records (\(rate)/s), \(String(format: "%.1f", elapsed)) s elapsed"
        let bytes = Array(("\r" + line + "\u{1B}[K").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    func done(_ report: StageReport) {
        if onTerminal {
            let bytes = Array("\r\u{1B}[K".utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
        log.info(
            "\(stage.rawValue): \(report.processed) processed, \(report.skipped) unchanged, \(report.rejected) rejected in \(String(format: "%.2f", report.durationSeconds)) s")
    }
}
