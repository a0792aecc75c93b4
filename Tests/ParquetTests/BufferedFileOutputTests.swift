import Foundation
import Testing

@testable import Parquet

@Suite("Parquet files start their write-out as they grow")
struct BufferedFileOutputTests {
    @Test("10 MiB in 1 MiB writes: the file is exact and its write-out was asked for through 8 MiB")
    func writeOutRequestedAsTheFileGrows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("output-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try BufferedFileOutput(path: path, bufferCapacity: 1 << 20)
        let chunks = (0..<10).map { [UInt8](repeating: UInt8(0x30 + $0), count: 1 << 20) }
        for chunk in chunks { try output.write(chunk) }
        #expect(output.position == 10 << 20)
        // The buffer holds one chunk until the next arrives: nine are on their way to disk, and
        // the pacer asks once 8 MiB have gone out unrequested.
        #expect(output.writebackRequested == 8 << 20)
        try output.close()
        var expected = Data()
        for chunk in chunks { expected.append(contentsOf: chunk) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected)
    }
}
