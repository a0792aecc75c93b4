import Foundation

/// The annual "Figures and trends" report of one year, built from the dataset and published to
/// `REPORT/YYYY/` (index.html, tables/*.csv) in one step.
public struct AnnualReport: Sendable {
    public let year: Int
    public let previousYear: Int?
    public let tables: [ReportTable]
    public let suppression: SuppressionResult
    /// Relative path -> content, in name order.
    public let files: [(path: String, content: String)]
    /// The Markdown summary for standard output.
    public let markdown: String

    /// Reads `datasetDirectory` (OUT/dataset) for `year` and, when its partition exists, the
    /// year before, and computes every table with small counts suppressed below `threshold`.
    /// The dataset is streamed one row group at a time into counters, so memory does not grow
    /// with the number of rows; beyond a few MiB, distinct cases and children are counted in a
    /// folder under the system's temporary folder (TMPDIR), removed afterwards.
    public static func build(
        datasetDirectory: String, year: Int, threshold: Int
    ) throws(ReportError) -> AnnualReport {
        try build(datasetDirectory: datasetDirectory, year: year, threshold: threshold, tally: TallySettings())
    }

    /// The same report, with `year` already counted while it was loaded (`YearCounter`): only the
    /// year before is read from `datasetDirectory`, when its partition exists.
    public static func build(
        datasetDirectory: String, year: Int, threshold: Int, counted: CountedYear
    ) throws(ReportError) -> AnnualReport {
        try build(datasetDirectory: datasetDirectory, year: year, threshold: threshold, tally: TallySettings(), counted: counted)
    }

    static func build(
        datasetDirectory: String, year: Int, threshold: Int, tally: TallySettings, counted: CountedYear? = nil
    ) throws(ReportError) -> AnnualReport {
        let reader = DatasetReader(datasetDirectory: datasetDirectory)
        let current: YearCounts
        if let counted {
            guard counted.year == year else {
                throw ReportError("the counts handed to the report are for \(counted.year), not \(year)")
            }
            current = counted.counts
        } else {
            guard reader.hasPartition(year: year) else {
                throw ReportError(
                    "the dataset \(datasetDirectory) has no partition for \(year) (no cases/report_year=\(year) "
                        + "or contacts/report_year=\(year)); run `hotline-etl run --year \(year)` first")
            }
            current = try reader.counts(year: year, detail: true, tally: tally)
        }
        let previous =
            reader.hasPartition(year: year - 1) ? try reader.counts(year: year - 1, detail: false, tally: tally) : nil
        return build(Figures(current: current, previous: previous), threshold: threshold)
    }

    /// The report of data already in memory (tests), counted by the same code as the dataset's
    /// (all of a year as one batch).
    public static func build(
        current: YearData, previous: YearData?, threshold: Int
    ) throws(ReportError) -> AnnualReport {
        try build(current: current, previous: previous, threshold: threshold, tally: TallySettings())
    }

    static func build(
        current: YearData, previous: YearData?, threshold: Int, tally: TallySettings
    ) throws(ReportError) -> AnnualReport {
        func counts(_ data: YearData, detail: Bool) throws(ReportError) -> YearCounts {
            var aggregate = YearAggregate(year: data.year, detail: detail, tally: tally)
            try aggregate.fold(cases: data.cases)
            try aggregate.fold(contacts: data.contacts)
            return try aggregate.finish()
        }
        let now = try counts(current, detail: true)
        let before = try previous.map { (data) throws(ReportError) in try counts(data, detail: false) }
        return build(Figures(current: now, previous: before), threshold: threshold)
    }

    private static func build(_ figures: Figures, threshold: Int) -> AnnualReport {
        let tables = figures.tables()
        let year = figures.current.year, previousYear = figures.previous?.year
        let suppression = Suppression.apply(tables: tables, threshold: max(threshold, 1))
        let view = PublishedView(tables: tables, suppression: suppression, year: year, previousYear: previousYear)
        var files: [(String, String)] = [("index.html", HTMLPage(view: view).render())]
        for table in tables { files.append(("tables/\(table.id).csv", CSVTables.render(table, suppression))) }
        files.append(("tables/figures.csv", CSVTables.figures(tables)))
        files.sort { $0.0 < $1.0 }
        return AnnualReport(
            year: year, previousYear: previousYear, tables: tables, suppression: suppression,
            files: files, markdown: Summary.markdown(view))
    }

    /// Writes the files into `reportDirectory/YEAR`, replacing an earlier report of the year in
    /// one step: the files go to a new folder `reportDirectory/.releases/YEAR-<digest>`, then the
    /// symbolic link `YEAR` is switched to it with rename(2), so readers see the old report or the
    /// new one, never a mix. Returns the path of `reportDirectory/YEAR`.
    @discardableResult
    public func publish(reportDirectory: String) throws(ReportError) -> String {
        let fm = FileManager.default
        let releases = (reportDirectory as NSString).appendingPathComponent(".releases")
        let digest = Self.digest(files)
        let name = "\(year)-\(digest)"
        let final = (releases as NSString).appendingPathComponent(name)
        let link = (reportDirectory as NSString).appendingPathComponent(String(year))
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = (releases as NSString).appendingPathComponent(".tmp-\(year)-\(pid)")
        do {
            try fm.createDirectory(atPath: releases, withIntermediateDirectories: true)
            if !fm.fileExists(atPath: final) {
                try? fm.removeItem(atPath: temporary)
                try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
                for file in files {
                    let path = (temporary as NSString).appendingPathComponent(file.path)
                    try fm.createDirectory(
                        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(file.content.utf8).write(to: URL(fileURLWithPath: path))
                }
                try fm.moveItem(atPath: temporary, toPath: final)
            }
            // An older layout may have left a real folder at YEAR: move it aside first.
            var isDirectory: ObjCBool = false
            let attributes = try? fm.attributesOfItem(atPath: link)
            if attributes?[.type] as? FileAttributeType != .typeSymbolicLink,
                fm.fileExists(atPath: link, isDirectory: &isDirectory)
            {
                try fm.moveItem(atPath: link, toPath: (releases as NSString).appendingPathComponent(".old-\(year)-\(pid)"))
            }
            let temporaryLink = (reportDirectory as NSString).appendingPathComponent(".\(year).link-\(pid)")
            try? fm.removeItem(atPath: temporaryLink)
            try fm.createSymbolicLink(atPath: temporaryLink, withDestinationPath: ".releases/\(name)")
            guard rename(temporaryLink, link) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(atPath: temporaryLink)
                throw ReportError("cannot switch \(link) to the new report: \(reason)")
            }
        } catch let error as ReportError {
            try? fm.removeItem(atPath: temporary)
            throw error
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw ReportError("cannot write the report under \(reportDirectory): \(error.localizedDescription)")
        }
        // Earlier releases of this year are no longer linked.
        for entry in (try? fm.contentsOfDirectory(atPath: releases)) ?? []
        where (entry.hasPrefix("\(year)-") || entry.hasPrefix(".old-\(year)-")) && entry != name {
            try? fm.removeItem(atPath: (releases as NSString).appendingPathComponent(entry))
        }
        return link
    }

    /// FNV-1a (64 bit) over every path and content: names the release folder after its content.
    static func digest(_ files: [(path: String, content: String)]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in files {
            for byte in file.path.utf8 + [0] + file.content.utf8 + [0] {
                h ^= UInt64(byte)
                h = h &* 0x100_0000_01b3
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
