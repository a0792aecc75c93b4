import Foundation
import Normalize
import Pipeline
import Testing

/// `hotline-etl validate --inbox`: the local values with no mapping, with counts, and the files a
/// run could not use, as the lines a steward reads.
@Suite("validate --inbox")
struct ValidateInboxTests {
    static func validate(_ workspace: SampleWorkspace) throws -> InboxValidation {
        try InboxValidator.validate(try LoadedConfiguration.load(pipelinePath: workspace.pipeline.path))
    }

    @Test("the samples' deliberately unmapped codes, one line each")
    func samples() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let validation = try Self.validate(workspace)
        for line in validation.lines { print(line) }
    }
}
