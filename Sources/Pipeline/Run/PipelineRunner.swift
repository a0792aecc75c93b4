import Crypto
import DatasetContract
import Extract
import Foundation
import HexDigits
import Normalize
import Parquet
import Report

/// Runs the chosen stages over the inbox: extract and normalize per submission (in parallel,
/// skipping unchanged ones), then load, which publishes the dataset atomically and writes the
/// run manifest.
public struct PipelineRunner {
    let options: RunOptions
    let log: RunLog

    public init(options: RunOptions, log: RunLog = .standardError) {
        self.options = options
        self.log = log
    }

    public func run() -> RunResult {
        let startedAt = Date()
        let configuration: LoadedConfiguration
        do {
            configuration = try LoadedConfiguration.load(pipelinePath: options.pipelinePath)
        } catch {
            for problem in error.problems { log.error(problem.description) }
            log.error("the configuration has \(error.problems.count) problem(s); nothing was run. `hotline-etl validate` lists them too.")
            return RunResult(exitStatus: .usage)
        }
        let known = Set(configuration.members.map(\.memberID))
        let unknown = options.members.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            log.error("unknown member \(unknown.joined(separator: ", ")) in --member; the mappings define: \(known.sorted().joined(separator: ", "))")
            return RunResult(exitStatus: .usage)
        }
        let out = options.outputDirectory ?? configuration.pipeline.out
        let reportYear = options.reportYear ?? configuration.pipeline.reportYear
        do {
            if options.dryRun {
                return try dryRun(configuration, out: out, reportYear: reportYear)
            }
            let runID = Self.runID(startedAt)
            let lock = try RunLock(
                outputDirectory: out,
                holder: "run \(runID), pid \(getpid()), host \(ProcessInfo.processInfo.hostName), started \(Self.timestamp(startedAt))")
            defer { withExtendedLifetime(lock) {} }
            let key = try KeySource.resolve(
                environment: options.environment, keyFile: configuration.pipeline.keyFile,
                outputDirectory: out, warn: log.warning)
            let context = RunContext(
                configuration: configuration, outputDirectory: out, reportYear: reportYear,
                pseudonymizer: Pseudonymizer(keyBytes: key.bytes), keyBytes: key.bytes,
                staging: StagingArea(outputDirectory: out, reportYear: reportYear), log: log,
                limits: ExtractLimits(), jobs: options.jobs, stopAt: options.environment["HOTLINE_ETL_TEST_STOP_AT"],
                failAt: options.environment["HOTLINE_ETL_TEST_FAIL_AT"])
            return try execute(context, runID: runID, key: key, startedAt: startedAt)
        } catch {
            log.error(error.description)
            switch error {
            case .output, .locked: return RunResult(exitStatus: .failure, outputDirectory: out)
            case .configuration, .invalidConfiguration: return RunResult(exitStatus: .usage, outputDirectory: out)
            }
        }
    }

    // MARK: - Planning

    /// Every inbox file, and for those a mapping claims, the fingerprint of their inputs. Files
    /// for which `hashLater` is true (they will be extracted whatever their digest) are hashed
    /// one after the other on a thread of their own while the run goes on; the others before
    /// this returns, in parallel.
    private func plan(
        _ configuration: LoadedConfiguration, reportYear: Int, keyFingerprint: String,
        hashLater: (String) -> Bool = { _ in false }
    ) throws(PipelineError) -> (files: [InboxFile], planned: [PlannedSubmission]) {
        let files = try Inbox.scan(
            directory: configuration.pipeline.inbox, members: configuration.members,
            ignore: configuration.pipeline.ignore)
        var mappingHashes: [String: String] = [:]
        let claimed = files.filter { $0.member != nil && $0.ambiguousMatches.isEmpty }
        let later = claimed.map { hashLater($0.relativePath) }
        let digests = parallelMap(claimed.count) { index in
            later[index] ? PendingFileDigest() : PendingFileDigest(computed: FileDigest.sha256(path: claimed[index].absolutePath))
        }
        PendingFileDigest.hashInBackground(claimed.indices.filter { later[$0] }.map { (claimed[$0].absolutePath, digests[$0]) })
        var planned: [PlannedSubmission] = []
        for (file, digest) in zip(claimed, digests) {
            let member = file.member!
            if mappingHashes[member.path] == nil {
                mappingHashes[member.path] = FileDigest.sha256(path: member.path)?.hex ?? ""
            }
            planned.append(PlannedSubmission(
                file: file, member: member, submission: file.submission!, digest: digest,
                inputs: StageFingerprint(
                    inputSHA256: "", mappingSHA256: mappingHashes[member.path]!,
                    taxonomyVersion: configuration.taxonomy.version, toolVersion: ToolVersion.current,
                    keyFingerprint: keyFingerprint, reportYear: reportYear),
                selected: options.members.isEmpty || options.members.contains(member.memberID)))
        }
        return (files, planned)
    }

    private func dryRun(_ configuration: LoadedConfiguration, out: String, reportYear: Int) throws(PipelineError) -> RunResult {
        let key = try? KeySource.existing(
            environment: options.environment, keyFile: configuration.pipeline.keyFile, outputDirectory: out)
        let fingerprint = key.map {
            RunContext.fingerprint(ofKey: $0.bytes)
        } ?? "no key yet"
        let (files, planned) = try plan(configuration, reportYear: reportYear, keyFingerprint: fingerprint)
        let state = StagingArea(outputDirectory: out, reportYear: reportYear).loadState()
        var lines: [String] = []
        for submission in planned {
            let previous = state.submissions[submission.name]?.extract
            let verdict: String
            if !submission.selected {
                verdict = "not selected (--member)"
            } else if options.force {
                verdict = "forced (--force)"
            } else if let previous {
                let changes = submission.fingerprint.changes(from: previous)
                verdict = changes.isEmpty ? "unchanged: would be skipped" : "changed (\(changes.joined(separator: ", "))): would run"
            } else {
                verdict = "new: would run"
            }
            lines.append("\(submission.member.memberID) \(submission.name): \(verdict)")
        }
        for file in files where file.member == nil {
            lines.append("- \(file.relativePath): no member mapping claims it (would be reported as unmatched)")
        }
        for file in files where !file.ambiguousMatches.isEmpty {
            lines.append("- \(file.relativePath): claimed by several mappings (would be rejected)")
        }
        lines.append("stages: " + options.stages.map(\.rawValue).joined(separator: ", ") + "; output: \(out); report year \(reportYear)")
        for line in lines { log.info("dry run: \(line)") }
        return RunResult(exitStatus: .success, outputDirectory: out, plan: lines)
    }

    // MARK: - Stages

    private func execute(_ context: RunContext, runID: String, key: KeySource, startedAt: Date) throws(PipelineError) -> RunResult {
        let configuration = context.configuration
        var state = context.staging.loadState()
        // A submission extracted whatever its digest (forced, or never extracted) is read while
        // it is hashed; the others are hashed first, to tell whether they changed.
        let extracting = options.stages.contains(.extract), force = options.force
        let known = Set(state.submissions.compactMap { $0.value.extract == nil ? nil : $0.key })
        let extractedAfresh = { (name: String) in extracting && (force || !known.contains(name)) }
        let (files, planned) = try plan(
            configuration, reportYear: context.reportYear, keyFingerprint: context.keyFingerprint,
            hashLater: extractedAfresh)
        let publisher = ReleasePublisher(outputDirectory: context.outputDirectory)
        publisher.removeUnpublished()
        var rejected: [String: ErrorReport] = [:]
        var ranThisRun: Set<String> = []
        var normalizedDuringExtract: Set<String> = []
        var stageReports: [StageReport] = []
        // A run that extracts, normalises and loads every submission afresh loads while it
        // extracts; the result is used only if it is what the load stage would write (LiveLoad).
        let live: LiveLoad?
        if [Stage.extract, .normalize, .load].allSatisfy(options.stages.contains), !planned.isEmpty,
            planned.allSatisfy({ $0.selected && extractedAfresh($0.name) })
        {
            live = LiveLoad(
                names: planned.map(\.name), staging: context.staging, year: context.reportYear,
                writerOptions: tableWriterOptions(context, loadable: [], state: state, planned: planned),
                rowGroupSize: LoadStage.rowGroupSize, countsForReport: options.stages.contains(.report))
        } else {
            live = nil
        }
        defer { live?.abandon() }

        for stage in [Stage.extract, .normalize] {
            guard options.stages.contains(stage) else {
                stageReports.append(StageReport(stage: stage.rawValue, status: "not_selected", durationSeconds: 0, processed: 0, skipped: 0, rejected: 0))
                continue
            }
            let began = Date()
            // Submissions normalised during extract in this run are done: count them, don't redo.
            let selected = planned.filter { $0.selected && rejected[$0.name] == nil && !normalizedDuringExtract.contains($0.name) }
            let previous = selected.map { state.submissions[$0.name] }
            let force = options.force
            let fuse = stage == .extract && options.stages.contains(.normalize)
            let progress = StageProgress(stage: stage, total: selected.count, log: log)
            let outcomes = parallelMap(selected.count, jobs: context.jobs) { index -> StageOutcome in
                let outcome: StageOutcome
                switch stage {
                case .extract:
                    outcome = ExtractStage(context: context, live: live).run(
                        selected[index], previous: previous[index], force: force, normalizeToo: fuse)
                    live?.finished(selected[index].name, loaded: outcome.normalized)
                default: outcome = NormalizeStage(context: context).run(selected[index], previous: previous[index], force: force)
                }
                var records = previous[index]?.recordsRead ?? 0
                if stage == .extract, case .ran(let read) = outcome { records = read }
                if case .ranWithNormalize(let read, _) = outcome { records = read }
                progress.finished(records: records)
                return outcome
            }
            var report = StageReport(stage: stage.rawValue, status: "ran", durationSeconds: 0, processed: 0, skipped: 0, rejected: 0)
            if stage == .normalize { report.processed = normalizedDuringExtract.count }
            for (submission, outcome) in zip(selected, outcomes) {
                var entry = state.submissions[submission.name] ?? SubmissionState(member: submission.member.memberID)
                switch outcome {
                case .ran(let count):
                    report.processed += 1
                    ranThisRun.insert(submission.name)
                    if stage == .extract {
                        entry.extract = submission.fingerprint
                        entry.recordsRead = count
                        entry.normalize = nil
                    } else {
                        entry.normalize = NormalizeStage.fingerprint(submission, extractedFrom: entry.extract!)
                        entry.recordsQuarantined = count
                    }
                case .ranWithNormalize(let read, let quarantined):
                    report.processed += 1
                    ranThisRun.insert(submission.name)
                    normalizedDuringExtract.insert(submission.name)
                    entry.extract = submission.fingerprint
                    entry.recordsRead = read
                    entry.normalize = NormalizeStage.fingerprint(submission, extractedFrom: submission.fingerprint)
                    entry.recordsQuarantined = quarantined
                case .skipped:
                    report.skipped += 1
                case .rejected(let error):
                    report.rejected += 1
                    rejected[submission.name] = error
                    log.error("\(submission.member.memberID): submission rejected: \(error.message)")
                }
                state.submissions[submission.name] = entry
            }
            report.durationSeconds = Date().timeIntervalSince(began)
            progress.done(report)
            stageReports.append(report)
            do { try context.staging.save(state) } catch {
                throw .output("cannot save the staging state \(context.staging.statePath): \(error)")
            }
        }

        var loadResult: LoadStage.Result?
        var tables: [TableReport] = []
        var published = false
        if options.stages.contains(.load) {
            let began = Date()
            let inInbox = Set(planned.map(\.name))
            context.staging.prune(keeping: inInbox, state: &state)
            let loadable = planned.map(\.name).filter { name in
                state.submissions[name]?.normalize != nil
                    && FileManager.default.fileExists(atPath: context.staging.normalizePath(name))
            }
            if loadable.isEmpty {
                log.error("no submission could be loaded; the published dataset was left as it was")
            } else {
                do {
                    let release = try publisher.prepare(runID: runID)
                    try publisher.carryOver(into: release, except: context.reportYear)
                    let options = tableWriterOptions(context, loadable: loadable, state: state, planned: planned)
                    var loaded: LoadStage.Result?
                    switch live?.finish(loadable: loadable, keyValueMetadata: options.mapValues(\.keyValueMetadata)) {
                    case .success(let result)?:
                        try Self.moveTables(from: live!.directory, into: release, year: context.reportYear)
                        loaded = result
                        log.info("load: the tables were written while extracting (every submission new, no duplicates)")
                    case .failure(let miss)?:
                        log.info("load: the tables written while extracting were set aside (\(miss)); loading the staged rows")
                    case nil:
                        break
                    }
                    if loaded == nil {
                        var load = LoadStage(context: context, rowGroupSize: LoadStage.rowGroupSize, writerOptions: options)
                        load.countsForReport = self.options.stages.contains(.report)
                        loaded = try load.run(files: loadable, into: release)
                    }
                    let result = loaded!
                    context.checkpoint("load")
                    try publisher.publish(release)
                    published = true
                    loadResult = result
                    for table in DatasetTable.allCases {
                        tables.append(TableReport(
                            table: table.rawValue,
                            path: "dataset/" + TableSink.relativePath(table, year: context.reportYear),
                            rows: result.tableRows[table] ?? 0))
                    }
                } catch {
                    throw .output("the load stage failed, the published dataset was left as it was: \(error)")
                }
            }
            do { try context.staging.save(state) } catch {
                throw .output("cannot save the staging state \(context.staging.statePath): \(error)")
            }
            stageReports.append(StageReport(
                stage: "load", status: "ran", durationSeconds: Date().timeIntervalSince(began),
                processed: loadable.count, skipped: 0, rejected: 0))
        } else {
            stageReports.append(StageReport(stage: "load", status: "not_selected", durationSeconds: 0, processed: 0, skipped: 0, rejected: 0))
        }

        var reportFailed = false
        if options.stages.contains(.report) {
            let began = Date()
            do {
                var counted = published ? loadResult?.counted : nil
                if counted != nil, context.failAt == "report-counting" {
                    counted = .failure(ReportError("failed on purpose (HOTLINE_ETL_TEST_FAIL_AT=report-counting)"))
                }
                try writeReport(context, counted: counted)
                stageReports.append(StageReport(
                    stage: "report", status: "ran", durationSeconds: Date().timeIntervalSince(began),
                    processed: 1, skipped: 0, rejected: 0))
            } catch {
                reportFailed = true
                log.error("the report stage failed: \(error.description)")
                stageReports.append(StageReport(
                    stage: "report", status: "ran", durationSeconds: Date().timeIntervalSince(began),
                    processed: 0, skipped: 0, rejected: 1))
            }
        } else {
            stageReports.append(StageReport(stage: "report", status: "not_selected", durationSeconds: 0, processed: 0, skipped: 0, rejected: 0))
        }

        let reports = submissionReports(
            files: files, planned: planned, state: state, rejected: rejected, ranThisRun: ranThisRun,
            load: loadResult, staging: context.staging)
        let failedAny = reportFailed || reports.contains { $0.status == .rejected || $0.status == .unmatched }
        let status: ExitStatus
        if (options.stages.contains(.load) && !published) || (reportFailed && !options.stages.contains(.load)) {
            status = .failure
        } else {
            status = failedAny ? .partial : .success
        }
        let manifest = RunManifest(
            runID: runID, toolVersion: ToolVersion.current, arguments: options.arguments,
            pipeline: configuration.pipeline.path,
            pipelineSHA256: FileDigest.sha256(path: configuration.pipeline.path)?.hex ?? "",
            taxonomyVersion: configuration.taxonomy.version, reportYear: context.reportYear,
            startedAt: Self.timestamp(startedAt), finishedAt: Self.timestamp(Date()),
            status: status == .success ? "success" : status == .partial ? "partial" : "failure",
            exitCode: status.rawValue, keyOrigin: key.origin.rawValue, stages: stageReports,
            submissions: reports, tables: tables,
            totals: reports.map(\.counts).reduce(RecordCounts(), +),
            quarantine: loadResult?.quarantineByMemberReason ?? [:])
        try ManifestStore(outputDirectory: context.outputDirectory).save(manifest)
        let totals = manifest.totals
        log.info(
            "\(reports.count) submission(s): read \(totals.read), loaded \(totals.loaded), quarantined \(totals.quarantined), merged \(totals.merged); manifest in \(context.outputDirectory)/runs/latest.json")
        return RunResult(exitStatus: status, manifest: manifest, outputDirectory: context.outputDirectory)
    }

    /// Builds the year's report and replaces the previous one: from the figures counted while
    /// loading when this run loaded the year, else (or if that counting failed) from the
    /// published dataset.
    private func writeReport(
        _ context: RunContext, counted: Result<CountedYear, ReportError>?
    ) throws(ReportError) {
        let out = context.outputDirectory as NSString
        let dataset = out.appendingPathComponent("dataset")
        let threshold = context.configuration.pipeline.suppressionThreshold
        let report: AnnualReport
        switch counted {
        case .success(let counts)?:
            report = try AnnualReport.build(
                datasetDirectory: dataset, year: context.reportYear, threshold: threshold, counted: counts)
        case .failure(let error)?:
            log.warning("counting the report while loading failed (\(error)); reading the published dataset instead")
            fallthrough
        case nil:
            report = try AnnualReport.build(datasetDirectory: dataset, year: context.reportYear, threshold: threshold)
        }
        let path = try report.publish(reportDirectory: out.appendingPathComponent("report"))
        log.info("report: \(path)/index.html")
    }

    /// Writer settings for each table of a load of `loadable` (its lineage lists the inputs of
    /// the submissions whose rows it holds).
    private func tableWriterOptions(
        _ context: RunContext, loadable: [String], state: StagingState, planned: [PlannedSubmission]
    ) -> [DatasetTable: ParquetWriterOptions] {
        let kinds = Dictionary(uniqueKeysWithValues: planned.map { ($0.name, $0.submission.kind) })
        let checksums = loadable.map { ($0, state.submissions[$0]?.extract?.inputSHA256 ?? "") }
        return Dictionary(uniqueKeysWithValues: DatasetTable.allCases.map { table in
            let inputs = checksums.filter { file, _ in
                switch table {
                case .cases: kinds[file] == .cases
                case .contacts: kinds[file] == .contacts
                case .quarantine: true
                }
            }
            return (table, writerOptions(context, inputs: inputs))
        })
    }

    /// Moves the year's table files written by a live load into `release`.
    private static func moveTables(from directory: String, into release: String, year: Int) throws {
        for table in DatasetTable.allCases {
            let relative = TableSink.relativePath(table, year: year)
            let target = (release as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: (directory as NSString).appendingPathComponent(relative), toPath: target)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Parquet writer settings; the footer's key-value metadata records the lineage: tool and
    /// taxonomy versions, a hash of the configuration that shaped the rows, and the SHA-256 of
    /// each submission whose rows the table holds (so a table changes only when its inputs do).
    private func writerOptions(_ context: RunContext, inputs: [(file: String, sha256: String)]) -> ParquetWriterOptions {
        let codec: ParquetCodec =
            switch context.configuration.pipeline.codec {
            case .uncompressed: .uncompressed
            case .gzip: .gzip
            case .zstd: .zstd
            }
        return ParquetWriterOptions(
            codec: codec,
            createdBy: ToolVersion.parquetCreatedBy,
            keyValueMetadata: [
                .init("hotline_etl.tool_version", ToolVersion.current),
                .init("hotline_etl.taxonomy_version", context.configuration.taxonomy.version),
                .init("hotline_etl.report_year", String(context.reportYear)),
                .init("hotline_etl.configuration_sha256", configurationHash(context)),
                .init("hotline_etl.input_sha256", Self.jsonObject(inputs)),
            ])
    }

    /// SHA-256 over what the pipeline file points at and that shapes the rows: the taxonomy file,
    /// every member mapping file (by member id), the report year and the codec. Paths are left
    /// out, so the same configuration in another folder gives the same hash.
    private func configurationHash(_ context: RunContext) -> String {
        var hasher = SHA256()
        func add(_ text: String) { hasher.update(data: Array((text + "\u{1F}").utf8)) }
        add(FileDigest.sha256(path: context.configuration.pipeline.taxonomyPath)?.hex ?? "")
        for member in context.configuration.members {
            add(member.memberID)
            add(FileDigest.sha256(path: member.path)?.hex ?? "")
        }
        add(String(context.reportYear))
        add(context.configuration.pipeline.codec.rawValue)
        return Hex.encode(Array(hasher.finalize()))
    }

    /// `{"file": "sha256", ...}` with sorted keys (JSONEncoder does the escaping).
    static func jsonObject(_ pairs: [(file: String, sha256: String)]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let object = Dictionary(pairs.map { ($0.file, $0.sha256) }, uniquingKeysWith: { $1 })
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func submissionReports(
        files: [InboxFile], planned: [PlannedSubmission], state: StagingState, rejected: [String: ErrorReport],
        ranThisRun: Set<String>, load: LoadStage.Result?, staging: StagingArea
    ) -> [SubmissionReport] {
        let byName = Dictionary(uniqueKeysWithValues: planned.map { ($0.name, $0) })
        return files.map { file in
            var report = SubmissionReport(
                file: file.relativePath, member: file.member?.memberID, kind: file.submission?.kind.rawValue,
                format: file.submission.map(Self.formatName), sizeBytes: 0, sha256: "", status: .loaded,
                counts: RecordCounts(), merges: [], error: nil)
            guard let submission = byName[file.relativePath] else {
                if file.member == nil {
                    report.status = .unmatched
                    report.error = ErrorReport(message: "\(file.relativePath): no member mapping claims this file; add a submissions entry whose match: covers it, or remove it from the inbox")
                    log.warning(report.error!.message)
                } else {
                    report.status = .rejected
                    report.error = ErrorReport(message: "\(file.relativePath): the file is matched by several submission entries: " + file.ambiguousMatches.joined(separator: ", ") + "; make the match: globs exclusive")
                    log.error(report.error!.message)
                }
                let digest = FileDigest.sha256(path: file.absolutePath)
                report.sizeBytes = digest?.size ?? 0
                report.sha256 = digest?.hex ?? ""
                return report
            }
            report.sizeBytes = submission.size
            report.sha256 = submission.sha256
            let entry = state.submissions[file.relativePath]
            if let error = rejected[file.relativePath] {
                report.status = .rejected
                report.error = error
                report.previousVersionKept = load?.loaded[file.relativePath] != nil ? true : nil
            } else {
                report.status = ranThisRun.contains(file.relativePath) ? .loaded : .skipped
            }
            if report.status != .rejected || report.previousVersionKept == true, let load {
                report.counts.read = entry?.recordsRead ?? 0
                report.counts.quarantined = entry?.recordsQuarantined ?? 0
                report.counts.loaded = load.loaded[file.relativePath] ?? 0
                report.merges = load.merges[file.relativePath] ?? []
                report.counts.merged = report.merges.count
            } else if report.status != .rejected {
                report.counts.read = entry?.recordsRead ?? 0
                report.counts.quarantined = entry?.recordsQuarantined ?? 0
            }
            return report
        }
    }

    static func formatName(_ submission: SubmissionMapping) -> String {
        switch submission.format {
        case .csv: "csv"
        case .xml: "xml"
        case .json(let options): options.records == .lines ? "json-lines" : "json"
        }
    }

    static func runID(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return formatter.string(from: date) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }

    static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
