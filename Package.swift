// swift-tools-version: 6.1
//
// hotline-etl: consolidates the 116 000 hotlines' annual submissions into one Parquet dataset.
//
// Module map (each folder under Sources/ is one concern; arrows are the only allowed imports):
//
//   hotline-etl (CLI) -> Pipeline -> Normalize -> Extract -> CLibXML2, CZlib
//                                              -> CLibCrypto (libcrypto's SHA-256 for the pseudonyms)
//                                              -> HexDigits  (keys and digests as hex, both ways)
//                                 -> Report    -> DatasetContract, Parquet -> CZlib, CZstd, FileWriteback; Tally
//                                 -> Tally     (bounded-memory duplicate finding and distinct counts)
//                                 -> DatasetContract -> Parquet, HexDigits   (the published tables' schemas)
//                                 -> Parquet
//                                 -> FileWriteback -> CFileWriteback (files written out to disk as they grow;
//                                    Parquet uses it too)
//                     -> Synthetic -> CZlib      (hotline-etl generate: invented inboxes)
//   parquet-tool (test and benchmark helper)    -> Parquet
//
// `Parquet` knows nothing about hotlines; `Extract` knows nothing about the taxonomy; `Report`
// reads only the published dataset.
import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "hotline-etl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline-etl", targets: ["hotline-etl"]),
        .library(name: "Parquet", targets: ["Parquet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries from Debian (libxml2-dev, zlib1g-dev, libzstd-dev, libssl-dev); see scripts/install-system-packages.sh.
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        // OpenSSL 3 libcrypto: SHA-256 (SHA-NI) for the Normalize module's HMAC pseudonyms.
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        // The C library's sync_file_range (Linux), which Swift's Glibc module does not show.
        .systemLibrary(name: "CFileWriteback", path: "Sources/CFileWriteback"),
        // Starts a file's write-out to disk as it grows, so the fsync that commits it waits less
        // (staging files, Parquet files).
        .target(name: "FileWriteback", dependencies: ["CFileWriteback"], swiftSettings: strictSwift6),

        // Apache Parquet writer and reader, domain-free.
        .target(name: "Parquet", dependencies: ["CZlib", "CZstd", "FileWriteback"], swiftSettings: strictSwift6),
        // Writes random and benchmark Parquet files for the interop tests and benchmarks/.
        .executableTarget(
            name: "parquet-tool", dependencies: ["Parquet", "DatasetContract"], swiftSettings: strictSwift6),
        // Lower-case hex text of bytes and back: the spelling of every key and file digest.
        .target(name: "HexDigits", swiftSettings: strictSwift6),
        // The published tables' names and Parquet schemas: what load writes and the report reads.
        .target(name: "DatasetContract", dependencies: ["Parquet", "HexDigits"], swiftSettings: strictSwift6),
        // Streaming readers for member submissions (XML, CSV, JSON, gzip); knows no taxonomy.
        .target(name: "Extract", dependencies: ["CLibXML2", "CZlib"], swiftSettings: strictSwift6),
        // Taxonomy, member mapping files, record normalisation, pseudonymisation.
        .target(
            name: "Normalize",
            dependencies: ["Extract", "HexDigits", "CLibCrypto", "Yams"],
            swiftSettings: strictSwift6),
        // Pipeline configuration, stages, dataset layout, run manifest.
        .target(
            name: "Pipeline",
            dependencies: [
                "Extract", "Normalize", "Parquet", "DatasetContract", "HexDigits", "Report", "Tally", "FileWriteback", "Yams", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6),
        .executableTarget(
            name: "hotline-etl",
            dependencies: ["Pipeline", "Synthetic", "Report", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSwift6),
        // Synthetic inboxes (invented data) for tests and benchmarks: `hotline-etl generate`.
        .target(name: "Synthetic", dependencies: ["CZlib"], swiftSettings: strictSwift6),
        // The annual report (HTML, CSV tables) from the dataset; reads it with Parquet only.
        .target(name: "Report", dependencies: ["Parquet", "DatasetContract", "Tally"], swiftSettings: strictSwift6),
        // Duplicate finding and distinct counting over 128-bit digests in bounded memory; domain-free.
        .target(name: "Tally", swiftSettings: strictSwift6),

        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Synthetic"], swiftSettings: strictSwift6),
        .testTarget(name: "TallyTests", dependencies: ["Tally", "Synthetic"], swiftSettings: strictSwift6),
        .testTarget(
            name: "ReportTests", dependencies: ["Report", "Parquet", "DatasetContract", "HexDigits", "Synthetic"], swiftSettings: strictSwift6),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "Synthetic"], swiftSettings: strictSwift6),
        .testTarget(
            name: "NormalizeTests", dependencies: ["Normalize", "HexDigits", "Synthetic", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Parquet", "HexDigits", "FileWriteback", "Tally", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "SyntheticTests",
            dependencies: ["Synthetic", "Pipeline", "Extract", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift6),
    ],
    swiftLanguageModes: [.v6]
)
