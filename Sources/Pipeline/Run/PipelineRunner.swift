import Extract
import Foundation
import Normalize
import Parquet

/// What the caller of `hotline-etl run` chose.
public struct RunOptions: Sendable {
    public var pipelinePath: String
    /// Overrides the pipeline file's `out`.
    public var outputDirectory: String?
    /// Overrides the pipeline file's `report_year`.
    public var reportYear: Int?
    public var environment: [String: String]

    public init(
        pipelinePath: String, outputDirectory: String? = nil, reportYear: Int? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.pipelinePath = pipelinePath
        self.outputDirectory = outputDirectory
        self.reportYear = reportYear
        self.environment = environment
    }
}

/// How a run ended: the exit status for the scheduler and, when the run got that far, its manifest.
public struct RunResult: Sendable {
    public var exitStatus: ExitStatus
    public var manifest: RunManifest?
    /// Absolute path of the output folder.
    public var outputDirectory: String?
}

/// Runs extract, normalize and load for every submission in the inbox and publishes the dataset
/// and the run manifest.
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
        let out = options.outputDirectory ?? configuration.pipeline.out
        let reportYear = options.reportYear ?? configuration.pipeline.reportYear
        do {
            let key = try KeySource.resolve(
                environment: options.environment, keyFile: configuration.pipeline.keyFile,
                outputDirectory: out, warn: log.warning)
            let files = try Inbox.scan(
                directory: configuration.pipeline.inbox, members: configuration.members,
                ignore: configuration.pipeline.ignore)
            var batch = SubmissionBatch(
                taxonomy: configuration.taxonomy, reportYear: reportYear,
                pseudonymizer: Pseudonymizer(keyBytes: key.bytes), log: log)
            for file in files { batch.process(file) }
            return try publish(
                batch, configuration: configuration, out: out, reportYear: reportYear, key: key, startedAt: startedAt)
        } catch {
            log.error(error.description)
            if case .output = error { return RunResult(exitStatus: .failure) }
            return RunResult(exitStatus: .usage)
        }
    }

    private func publish(
        _ batch: SubmissionBatch, configuration: LoadedConfiguration, out: String, reportYear: Int,
        key: KeySource, startedAt: Date
    ) throws(PipelineError) -> RunResult {
        let reports = batch.reports()
        let loadedAny = reports.contains { $0.status == .loaded }
        let failedAny = reports.contains { $0.status != .loaded }
        var tables: [TableReport] = []
        let status: ExitStatus
        if loadedAny {
            let publisher = DatasetPublisher(
                outputDirectory: out, reportYear: reportYear,
                options: ParquetWriterOptions(
                    codec: configuration.pipeline.codec == .gzip ? .gzip : .uncompressed,
                    createdBy: ToolVersion.parquetCreatedBy,
                    keyValueMetadata: [
                        .init("hotline_etl.taxonomy_version", configuration.taxonomy.version),
                        .init("hotline_etl.report_year", String(reportYear)),
                    ]))
            let cases = batch.mergedCases
            tables.append(TableReport(
                table: "cases", path: try publisher.publish(.cases, columns: DatasetColumns.cases(cases)),
                rows: cases.count))
            tables.append(TableReport(
                table: "contacts",
                path: try publisher.publish(.contacts, columns: DatasetColumns.contacts(batch.contacts)),
                rows: batch.contacts.count))
            tables.append(TableReport(
                table: "quarantine",
                path: try publisher.publish(.quarantine, columns: DatasetColumns.quarantine(batch.quarantine)),
                rows: batch.quarantine.count))
            status = failedAny ? .partial : .success
        } else {
            log.error("no submission could be loaded; the published dataset was left as it was")
            status = .failure
        }
        let manifest = RunManifest(
            runID: Self.runID(startedAt), toolVersion: ToolVersion.current, pipeline: configuration.pipeline.path,
            pipelineSHA256: FileDigest.sha256(path: configuration.pipeline.path)?.hex ?? "",
            taxonomyVersion: configuration.taxonomy.version, reportYear: reportYear,
            startedAt: Self.timestamp(startedAt), finishedAt: Self.timestamp(Date()),
            status: status == .success ? "success" : status == .partial ? "partial" : "failure",
            exitCode: status.rawValue, keyOrigin: key.origin.rawValue, submissions: reports, tables: tables,
            totals: reports.map(\.counts).reduce(RecordCounts(), +))
        try ManifestStore(outputDirectory: out).save(manifest)
        let totals = manifest.totals
        log.info(
            "\(reports.count) submission(s): read \(totals.read), loaded \(totals.loaded), quarantined \(totals.quarantined), merged \(totals.merged); manifest in \(out)/runs/latest.json")
        return RunResult(exitStatus: status, manifest: manifest, outputDirectory: out)
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
