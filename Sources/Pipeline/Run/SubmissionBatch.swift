import Extract
import Normalize

/// Extracts and normalises the submissions of one run, keeping their rows, quarantine and counts.
/// A submission that cannot be read is rejected whole: none of its rows are kept.
struct SubmissionBatch {
    let taxonomy: Taxonomy
    let reportYear: Int
    let pseudonymizer: Pseudonymizer
    let log: RunLog

    private var merger = CaseMerger()
    private(set) var contacts: [ContactRow] = []
    private(set) var quarantine: [QuarantineRow] = []
    private var submissionReports: [SubmissionReport] = []
    /// Index of each file's report, to attribute merges to the file of the replaced record.
    private var reportIndex: [String: Int] = [:]

    init(taxonomy: Taxonomy, reportYear: Int, pseudonymizer: Pseudonymizer, log: RunLog) {
        self.taxonomy = taxonomy
        self.reportYear = reportYear
        self.pseudonymizer = pseudonymizer
        self.log = log
    }

    mutating func process(_ file: InboxFile) {
        let digest = FileDigest.sha256(path: file.absolutePath)
        var report = SubmissionReport(
            file: file.relativePath, member: file.member?.memberID, kind: file.submission?.kind.rawValue,
            sizeBytes: digest?.size ?? 0, sha256: digest?.hex ?? "", status: .loaded, counts: RecordCounts(),
            merges: [], error: nil)
        defer {
            reportIndex[report.file] = submissionReports.count
            submissionReports.append(report)
        }
        guard let member = file.member, let submission = file.submission else {
            report.status = .unmatched
            report.error = "no member mapping claims this file; add a submissions entry whose match: covers it, or remove it from the inbox"
            log.warning("\(file.relativePath): \(report.error!)")
            return
        }
        guard file.ambiguousMatches.isEmpty else {
            report.status = .rejected
            report.error = "the file is matched by several submission entries: "
                + file.ambiguousMatches.joined(separator: ", ") + "; make the match: globs exclusive"
            log.error("\(file.relativePath): \(report.error!)")
            return
        }
        let normalizer = Normalizer(
            member: member, submission: submission, taxonomy: taxonomy, reportYear: reportYear,
            pseudonymizer: pseudonymizer)
        var cases: [CaseRow] = []
        var contactRows: [ContactRow] = []
        var quarantined: [QuarantineRow] = []
        do throws(ExtractError) {
            var extractor = try Extractors.open(ExtractRequest(
                path: file.absolutePath, displayName: file.relativePath, format: submission.format,
                fields: submission.sourcePaths))
            while let record = try extractor.next() {
                report.counts.read += 1
                switch normalizer.normalize(record) {
                case .caseRow(let row): cases.append(row)
                case .contactRow(let row): contactRows.append(row)
                case .quarantined(let row): quarantined.append(row)
                }
            }
        } catch {
            report.status = .rejected
            report.error = error.description
            log.error("\(member.memberID): submission rejected: \(error.description)")
            return
        }
        report.counts.quarantined = quarantined.count
        contacts += contactRows
        quarantine += quarantined
        for row in cases {
            guard let replaced = merger.add(row) else { continue }
            let merge = SubmissionReport.Merge(
                mergedRecord: replaced.sourceRecord, keptFile: row.sourceFile, keptRecord: row.sourceRecord)
            if replaced.sourceFile == report.file {
                report.counts.merged += 1
                report.merges.append(merge)
            } else if let index = reportIndex[replaced.sourceFile] {
                submissionReports[index].counts.merged += 1
                submissionReports[index].merges.append(merge)
            }
        }
        log.info(
            "\(member.memberID): \(file.relativePath): read \(report.counts.read), quarantined \(report.counts.quarantined)")
    }

    /// The surviving case rows, in reading order.
    var mergedCases: [CaseRow] { merger.rows }

    /// Per-submission reports with `loaded` filled in from the rows that survived merging.
    func reports() -> [SubmissionReport] {
        var loaded: [String: Int] = [:]
        for row in merger.rows { loaded[row.sourceFile, default: 0] += 1 }
        for row in contacts { loaded[row.sourceFile, default: 0] += 1 }
        return submissionReports.map { report in
            var report = report
            if report.status == .loaded { report.counts.loaded = loaded[report.file] ?? 0 }
            return report
        }
    }
}
