/// The version of hotline-etl, recorded in manifests and in every Parquet file's created_by.
public enum ToolVersion {
    public static let current = "0.2.0"
    /// `created_by` in the form Parquet readers parse.
    public static let parquetCreatedBy = "hotline-etl version \(current) (build release)"
}
