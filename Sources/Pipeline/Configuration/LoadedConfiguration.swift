import Foundation
import Normalize

/// The pipeline file with its taxonomy and every member mapping loaded and checked.
public struct LoadedConfiguration: Sendable {
    public var pipeline: PipelineConfiguration
    public var taxonomy: Taxonomy
    /// Sorted by member id.
    public var members: [MemberMapping]

    /// Loads everything and reports every problem in every file at once.
    public static func load(pipelinePath: String) throws(ConfigurationError) -> LoadedConfiguration {
        let pipeline = try PipelineConfiguration.load(path: pipelinePath)
        var problems: [ConfigurationProblem] = []
        var taxonomy: Taxonomy?
        do {
            taxonomy = try Taxonomy.load(path: pipeline.taxonomyPath)
        } catch {
            problems += error.problems
        }
        var members: [MemberMapping] = []
        let files = (try? FileManager.default.contentsOfDirectory(atPath: pipeline.membersDirectory)) ?? []
        let mappingFiles = files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        if mappingFiles.isEmpty {
            problems.append(ConfigurationProblem(
                file: pipeline.membersDirectory, message: "no member mapping files (*.yaml) found",
                hint: "check members: in \(pipeline.path)"))
        }
        if let taxonomy {
            for name in mappingFiles {
                let path = (pipeline.membersDirectory as NSString).appendingPathComponent(name)
                do {
                    members.append(try MemberMapping.load(path: path, taxonomy: taxonomy))
                } catch {
                    problems += error.problems
                }
            }
        }
        var seen: [String: String] = [:]
        for member in members {
            if let other = seen[member.memberID] {
                problems.append(ConfigurationProblem(
                    file: member.path, message: "member \(member.memberID) is also defined in \(other)",
                    hint: "each member has exactly one mapping file"))
            }
            seen[member.memberID] = member.path
        }
        guard problems.isEmpty, let taxonomy else { throw ConfigurationError(problems) }
        return LoadedConfiguration(
            pipeline: pipeline, taxonomy: taxonomy, members: members.sorted { $0.memberID < $1.memberID })
    }
}
