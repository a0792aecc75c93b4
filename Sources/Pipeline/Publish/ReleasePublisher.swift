import DatasetContract
import Foundation

/// Publishes the dataset atomically. Each run writes a complete release folder
/// (OUT/releases/RUN_ID/TABLE/report_year=YYYY/...), carrying over the other years' partitions
/// by hard link, flushes it to disk, and then switches the symbolic link OUT/dataset to it with
/// one rename. Readers see the old release or the new one, never a mix; a run killed at any
/// moment leaves OUT/dataset pointing at the last complete release.
struct ReleasePublisher {
    let outputDirectory: String

    var datasetLink: String { (outputDirectory as NSString).appendingPathComponent("dataset") }
    var releasesDirectory: String { (outputDirectory as NSString).appendingPathComponent("releases") }

    /// The folder for a new release; created empty.
    func prepare(runID: String) throws -> String {
        let release = (releasesDirectory as NSString).appendingPathComponent(runID)
        try? FileManager.default.removeItem(atPath: release)
        try FileManager.default.createDirectory(atPath: release, withIntermediateDirectories: true)
        return release
    }

    /// The folder OUT/dataset points at now, if any.
    var currentRelease: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: datasetLink) else { return nil }
        return (outputDirectory as NSString).appendingPathComponent(target)
    }

    /// Links every partition of the current release except `replacedYear` into `release`.
    func carryOver(into release: String, except replacedYear: Int) throws {
        guard let current = currentRelease else { return }
        let manager = FileManager.default
        for table in DatasetTable.allCases {
            let tableDirectory = (current as NSString).appendingPathComponent(table.rawValue)
            let partitions = (try? manager.contentsOfDirectory(atPath: tableDirectory)) ?? []
            for partition in partitions where partition.hasPrefix("report_year=") && partition != "report_year=\(replacedYear)" {
                let source = (tableDirectory as NSString).appendingPathComponent(partition)
                let target = ((release as NSString).appendingPathComponent(table.rawValue) as NSString)
                    .appendingPathComponent(partition)
                try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
                for file in try manager.contentsOfDirectory(atPath: source) where file.hasSuffix(".parquet") {
                    let from = (source as NSString).appendingPathComponent(file)
                    let to = (target as NSString).appendingPathComponent(file)
                    if link(from, to) != 0 { try manager.copyItem(atPath: from, toPath: to) }
                }
            }
        }
    }

    /// Flushes the release to disk, points OUT/dataset at it, and removes older releases.
    func publish(_ release: String) throws {
        try Self.syncTree(release)
        let name = (release as NSString).lastPathComponent
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if (try? manager.destinationOfSymbolicLink(atPath: datasetLink)) == nil,
            manager.fileExists(atPath: datasetLink, isDirectory: &isDirectory)
        {
            // A dataset folder from before releases existed: keep it as a release of its own.
            try manager.moveItem(atPath: datasetLink, toPath: (releasesDirectory as NSString).appendingPathComponent("legacy-\(name)"))
        }
        let temporaryLink = datasetLink + ".new"
        try? manager.removeItem(atPath: temporaryLink)
        try manager.createSymbolicLink(atPath: temporaryLink, withDestinationPath: "releases/\(name)")
        guard rename(temporaryLink, datasetLink) == 0 else {
            throw StagingError("cannot switch \(datasetLink) to the new release: \(String(cString: strerror(errno)))")
        }
        Self.syncDirectory(outputDirectory)
        removeReleases(except: name)
    }

    /// Deletes release folders other than `keep` (incomplete ones from killed runs included).
    func removeReleases(except keep: String?) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory)) ?? []
        for name in names where name != keep {
            try? FileManager.default.removeItem(atPath: (releasesDirectory as NSString).appendingPathComponent(name))
        }
    }

    /// Removes releases that OUT/dataset does not point at (left by a killed run).
    func removeUnpublished() {
        removeReleases(except: currentRelease.map { ($0 as NSString).lastPathComponent })
    }

    static func syncTree(_ root: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        for case let relative as String in walker {
            let path = (root as NSString).appendingPathComponent(relative)
            let descriptor = open(path, O_RDONLY)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        syncDirectory(root)
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
