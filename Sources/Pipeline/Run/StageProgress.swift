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
    private let onTerminal: Bool

    init(stage: Stage, total: Int, log: RunLog) {
        self.stage = stage
        self.total = total
        self.log = log
        self.onTerminal = log.isTerminal && isatty(2) == 1
    }

    func finished(_ outcome: StageOutcome) {
        guard onTerminal else { return }
        let done = lock.withLock {
            finishedCount += 1
            return finishedCount
        }
        let elapsed = Date().timeIntervalSince(began)
        let line = "\(stage.rawValue): \(done)/\(total) submissions, \(total - done) left, \(String(format: "%.1f", elapsed)) s elapsed"
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
