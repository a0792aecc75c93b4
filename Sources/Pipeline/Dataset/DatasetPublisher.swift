import Foundation
import Parquet

/// Writes the dataset's Parquet files under OUT/dataset/TABLE/report_year=YYYY/: each file is
/// written beside its final name and renamed into place, so readers never see half a file.
struct DatasetPublisher {
    let outputDirectory: String
    let reportYear: Int
    let options: ParquetWriterOptions

    /// Writes one table's partition file; returns its path relative to the output folder.
    func publish(_ table: DatasetTable, columns: [ParquetColumnValues]) throws(PipelineError) -> String {
        let relative = "dataset/\(table.rawValue)/report_year=\(reportYear)/part-00000.parquet"
        let final = (outputDirectory as NSString).appendingPathComponent(relative)
        let temporary = final + ".tmp"
        do {
            try FileManager.default.createDirectory(
                atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw .output("cannot create the folder for \(final): \(error.localizedDescription)")
        }
        do throws(ParquetError) {
            let writer = try ParquetFileWriter(path: temporary, schema: table.schema, options: options)
            if columns.first.map({ $0.count > 0 }) ?? false {
                try writer.writeRowGroup(columns)
            }
            try writer.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .output("cannot write \(final): \(error.message)")
        }
        guard rename(temporary, final) == 0 else {
            throw .output("cannot move \(temporary) into place: \(String(cString: strerror(errno)))")
        }
        return relative
    }
}
