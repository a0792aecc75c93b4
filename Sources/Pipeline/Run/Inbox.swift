import Foundation
import Normalize

/// A file in the inbox, with the member submission it belongs to (if any).
public struct InboxFile: Sendable, Hashable {
    /// Path relative to the inbox, with `/` separators: the name used everywhere in the output.
    public var relativePath: String
    public var absolutePath: String
    public var member: MemberMapping?
    public var submission: SubmissionMapping?
    /// Set when the file matched more than one submission entry.
    public var ambiguousMatches: [String] = []
}

/// Lists the inbox and assigns every file to the member submission whose glob matches it.
public enum Inbox {
    /// Every regular, non-hidden file under `directory`, sorted by relative path, minus `ignore` globs.
    public static func scan(
        directory: String, members: [MemberMapping], ignore: [String]
    ) throws(PipelineError) -> [InboxFile] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError.configuration(
                "the inbox folder \(directory) does not exist; check inbox: in the pipeline file")
        }
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [InboxFile] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let absolute = url.standardizedFileURL.path
            let relative = String(absolute.dropFirst(root.path.count + 1))
            if ignore.contains(where: { Glob.matches($0, relative) }) { continue }
            var file = InboxFile(relativePath: relative, absolutePath: absolute)
            for member in members {
                for submission in member.submissions where submission.matches(relative) {
                    if file.member == nil {
                        file.member = member
                        file.submission = submission
                    }
                    file.ambiguousMatches.append("\(member.path) (\(submission.match))")
                }
            }
            if file.ambiguousMatches.count < 2 { file.ambiguousMatches = [] }
            files.append(file)
        }
        return files.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
    }
}
