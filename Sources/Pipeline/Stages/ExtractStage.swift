import Extract
import Foundation
import Normalize

/// Reads each submission with its format's streaming extractor and stages the mapped fields.
/// Raw identifiers are replaced by keyed tokens before anything is written.
struct ExtractStage {
    let context: RunContext

    /// With `normalizeToo`, each record is also normalised as it is read and the normalize
    /// stage's output is staged in the same pass (saving a second read of the staged records).
    func run(
        _ planned: PlannedSubmission, previous: SubmissionState?, force: Bool, normalizeToo: Bool = false
    ) -> StageOutcome {
        let output = context.staging.extractPath(planned.name)
        if !force, previous?.extract == planned.fingerprint, FileManager.default.fileExists(atPath: output) {
            return .skipped
        }
        context.checkpoint("extract")
        let identifierPaths = Set(
            planned.submission.fields.filter { $0.key.valueType == .identifier }.compactMap(\.value.source))
        let request = ExtractRequest(
            path: planned.file.absolutePath, displayName: planned.name, format: planned.submission.format,
            fields: planned.submission.sourcePaths, limits: context.limits)
        var writer: StagedRecords.Writer
        do {
            writer = try StagedRecords.Writer(path: output, sourcePaths: request.fields)
        } catch {
            return .rejected(ErrorReport(message: "\(planned.name): cannot write the staged records: \(error)"))
        }
        var rows: StagedRows.Writer?
        let normalizer = normalizeToo ? NormalizeStage(context: context).normalizer(for: planned) : nil
        var read = 0
        var quarantined = 0
        do {
            if normalizer != nil {
                context.checkpoint("normalize")
                rows = try StagedRows.Writer(path: context.staging.normalizePath(planned.name))
            }
            var extractor = try Extractors.open(request)
            while var record = try nextRecord(&extractor) {
                for path in identifierPaths {
                    if let raw = record.fields[path] {
                        record.fields[path] = context.pseudonymizer.identifierToken(member: planned.member.memberID, rawID: raw)
                    }
                }
                try writer.append(record)
                read += 1
                if let normalizer {
                    let row = normalizer.normalize(record)
                    if case .quarantined = row { quarantined += 1 }
                    try rows!.append(row)
                }
            }
            try writer.commit()
            try rows?.commit()
        } catch let error as ExtractError {
            writer.abandon()
            rows?.abandon()
            return .rejected(ErrorReport(error))
        } catch {
            writer.abandon()
            rows?.abandon()
            return .rejected(ErrorReport(message: "\(planned.name): cannot write the staged output: \(error)"))
        }
        return normalizer == nil ? .ran(count: read) : .ranWithNormalize(read: read, quarantined: quarantined)
    }

    private func nextRecord(_ extractor: inout any RecordExtractor) throws(ExtractError) -> ExtractedRecord? {
        try extractor.next()
    }
}

/// Maps a submission's staged records onto the taxonomy and stages the resulting rows.
struct NormalizeStage {
    let context: RunContext

    func run(_ planned: PlannedSubmission, previous: SubmissionState?, force: Bool) -> StageOutcome {
        let input = context.staging.extractPath(planned.name)
        let output = context.staging.normalizePath(planned.name)
        guard let extracted = previous?.extract, FileManager.default.fileExists(atPath: input) else {
            return .rejected(ErrorReport(
                message: "\(planned.name): no staged extract output; run the extract stage for it first"))
        }
        if !force, previous?.normalize == Self.fingerprint(planned, extractedFrom: extracted),
            FileManager.default.fileExists(atPath: output)
        {
            return .skipped
        }
        context.checkpoint("normalize")
        let normalizer = normalizer(for: planned)
        var quarantined = 0
        var writer: StagedRows.Writer?
        do {
            var reader = try StagedRecords.Reader(path: input, fileName: planned.name)
            let missing = Set(planned.submission.sourcePaths).subtracting(reader.sourcePaths)
            guard missing.isEmpty else {
                return .rejected(ErrorReport(
                    message: "\(planned.name): the mapping now reads \(missing.sorted().joined(separator: ", ")), which the staged extract output lacks; rerun the extract stage"))
            }
            writer = try StagedRows.Writer(path: output)
            while let record = try reader.next() {
                let row = normalizer.normalize(record)
                if case .quarantined = row { quarantined += 1 }
                try writer!.append(row)
            }
            try writer!.commit()
        } catch {
            writer?.abandon()
            return .rejected(ErrorReport(message: "\(planned.name): \(error)"))
        }
        return .ran(count: quarantined)
    }

    func normalizer(for planned: PlannedSubmission) -> Normalizer {
        Normalizer(
            member: planned.member, submission: planned.submission, taxonomy: context.configuration.taxonomy,
            reportYear: context.reportYear, pseudonymizer: context.pseudonymizer)
    }

    /// The normalize output depends on the staged extract (whatever file version it came from)
    /// and on the current mapping, taxonomy, tool, key and year.
    static func fingerprint(_ planned: PlannedSubmission, extractedFrom extracted: StageFingerprint) -> StageFingerprint {
        var fingerprint = planned.fingerprint
        fingerprint.inputSHA256 = extracted.inputSHA256
        return fingerprint
    }
}
