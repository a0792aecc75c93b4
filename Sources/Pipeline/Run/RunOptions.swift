import Foundation

/// What the caller of `hotline-etl run` chose.
public struct RunOptions: Sendable {
    public var pipelinePath: String
    /// Overrides the pipeline file's `out`.
    public var outputDirectory: String?
    /// Overrides the pipeline file's `report_year`.
    public var reportYear: Int?
    /// The stages to run, in order (default: all).
    public var stages: [Stage]
    /// Member ids whose submissions extract and normalize process (default: all). Load always
    /// publishes every member's staged data.
    public var members: [String]
    /// Ignore the incremental state: reprocess even unchanged submissions.
    public var force: Bool
    /// Only say what would run and why; write nothing.
    public var dryRun: Bool
    /// Submissions processed at once (default: the number of cores). The output does not depend on it.
    public var jobs: Int
    /// The command line, recorded in the manifest.
    public var arguments: [String]
    public var environment: [String: String]

    public init(
        pipelinePath: String, outputDirectory: String? = nil, reportYear: Int? = nil,
        stages: [Stage] = Stage.allCases, members: [String] = [], force: Bool = false, dryRun: Bool = false,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, arguments: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.pipelinePath = pipelinePath
        self.outputDirectory = outputDirectory
        self.reportYear = reportYear
        self.stages = stages
        self.members = members
        self.force = force
        self.dryRun = dryRun
        self.jobs = jobs
        self.arguments = arguments
        self.environment = environment
    }
}

/// How a run ended: the exit status for the scheduler and, when the run got that far, its manifest.
public struct RunResult: Sendable {
    public var exitStatus: ExitStatus
    public var manifest: RunManifest?
    /// The output folder.
    public var outputDirectory: String?
    /// For --dry-run: one line per submission saying what would happen and why.
    public var plan: [String] = []
}
