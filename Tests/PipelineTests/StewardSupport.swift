import Foundation
import Parquet
import Pipeline

/// Reads back what a run published, for the steward and privacy tests: the quarantine rows and
/// string columns of the dataset's Parquet files, and every file under the output folder.
enum StewardDataset {
    /// One row of the quarantine dataset.
    struct QuarantineEntry: Hashable, CustomStringConvertible {
        var member: String
        var file: String
        var record: Int
        var field: String?
        var reason: String
        var value: String?
        var message: String

        var description: String { "\(file)#\(record) \(field ?? "-") \(reason) \(value ?? "nil")" }
    }

    /// Every Parquet file of a table, sorted.
    static func parquetFiles(_ table: String, in out: URL) -> [URL] {
        let folder = out.appendingPathComponent("dataset/\(table)")
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "parquet" }
            .sorted { $0.path < $1.path }
    }

    /// Each column of each file, by name: strings as text, integers as decimal text.
    static func columns(_ table: String, in out: URL) throws -> [String: [String?]] {
        var result: [String: [String?]] = [:]
        for file in parquetFiles(table, in: out) {
            let reader = try ParquetFileReader(path: file.path)
            for group in 0..<reader.metadata.rowGroups.count {
                let values = try reader.readRowGroup(group)
                for (index, column) in reader.metadata.columns.enumerated() {
                    let texts: [String?]
                    switch values[index] {
                    case .byteArray(let bytes): texts = bytes.map { $0.map { String(decoding: $0, as: UTF8.self) } }
                    case .int64(let numbers): texts = numbers.map { $0.map { String($0) } }
                    case .int32(let numbers): texts = numbers.map { $0.map { String($0) } }
                    case .boolean(let flags): texts = flags.map { $0.map { String($0) } }
                    case .float, .double: texts = Array(repeating: nil, count: values[index].count)
                    }
                    result[column.name, default: []] += texts
                }
            }
        }
        return result
    }

    /// The quarantine dataset's rows.
    static func quarantine(in out: URL) throws -> [QuarantineEntry] {
        let columns = try columns("quarantine", in: out)
        let count = columns["source_file"]?.count ?? 0
        return (0..<count).map { row in
            QuarantineEntry(
                member: columns["member_id"]?[row] ?? "", file: columns["source_file"]?[row] ?? "",
                record: Int(columns["source_record"]?[row] ?? "") ?? -1, field: columns["field"]?[row] ?? nil,
                reason: columns["reason"]?[row] ?? "", value: columns["value"]?[row] ?? nil,
                message: columns["message"]?[row] ?? "")
        }
    }

    /// Every regular file under `folder`, with its bytes.
    static func allFiles(under folder: URL) throws -> [(path: String, bytes: Data)] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [(String, Data)] = []
        for case let url as URL in walker {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            files.append((url.path, try Data(contentsOf: url)))
        }
        return files.sorted { $0.0 < $1.0 }
    }
}

extension SampleWorkspace {
    /// Copies pipelines/members into the workspace and points the pipeline file at the copy, so a
    /// test can edit a member's mapping as a steward would. Returns the copy's folder.
    func useOwnMemberMappings() throws -> URL {
        let members = root.appendingPathComponent("members")
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("pipelines/members"), to: members)
        let text = try String(contentsOf: pipeline, encoding: .utf8)
        let original = "members: " + Self.packageRoot.appendingPathComponent("pipelines/members").path
        precondition(text.contains(original), "the workspace's pipeline file names the repository's members folder")
        try text.replacingOccurrences(of: original, with: "members: " + members.path)
            .write(to: pipeline, atomically: true, encoding: .utf8)
        return members
    }
}
