import Testing

@testable import Extract

@Suite struct GzipByteSourceTests {
    typealias Support = GzipTestSupport

    @Test(arguments: [false, true])
    func multiMemberRoundTrip(chunked: Bool) throws {
        let first = Array("id,name\n1,Anna\n".utf8)
        let second = Support.noise(count: 200_000)
        let third = Array("2,Ben\n".utf8)
        let compressed = Support.gzip(first) + Support.gzip(second, level: 1) + Support.gzip([]) + Support.gzip(third)
        for readSize in [1, 4096, 65_536] where !(chunked && readSize == 1) {
            let output = try Support.inflate(compressed, chunked: chunked, readSize: readSize).get()
            #expect(output == first + second + third)
        }
    }

    @Test func csvOverMultiMemberGzip() throws {
        let compressed = Support.gzip(Array("a;b\n1;x\n".utf8)) + Support.gzip(Array("2;y\n".utf8))
        let options = CSVOptions(delimiter: UInt8(ascii: ";"))
        let request = ExtractRequest(
            path: "/nonexistent", displayName: Support.file, format: .csv(options), fields: ["b"])
        let source = try GzipByteSource(
            wrapping: MemoryByteSource(compressed), displayName: Support.file, limits: ExtractLimits())
        let extractor = try CSVExtractor(source: source, request: request, options: options)
        var records: [ExtractedRecord] = []
        while let record = try extractor.next() { records.append(record) }
        #expect(
            records == [
                ExtractedRecord(
                    locator: RecordLocator(file: Support.file, record: 2, line: 2, byteOffset: 4), fields: ["b": "x"]),
                ExtractedRecord(
                    locator: RecordLocator(file: Support.file, record: 3, line: 3, byteOffset: 8), fields: ["b": "y"]),
            ])
        #expect(source.consumedInputBytes == compressed.count)
    }

    @Test(arguments: [false, true])
    func truncatedStream(chunked: Bool) {
        let compressed = Support.gzip(Support.noise(count: 100_000))
        for cut in [compressed.count - 3, compressed.count / 2, 11] {
            let result = Support.inflate(Array(compressed[0..<cut]), chunked: chunked)
            #expect(
                result.failure
                    == ExtractError(
                        .compression, file: Support.file,
                        message: "the gzip stream is truncated at compressed byte \(cut): the file was cut off during "
                            + "transfer; ask the member to send it again"))
        }
    }

    @Test func notGzipIsAnError() {
        #expect(
            Support.inflate(Array("id,name\n".utf8)).failure
                == ExtractError(
                    .compression, file: Support.file,
                    message:
                        "the file is not gzip-compressed (it starts with the bytes 69 64 2C 6E, not 1F 8B); send it "
                        + "uncompressed without the .gz extension, or compress it with gzip"))
        #expect(
            Support.inflate([]).failure
                == ExtractError(
                    .compression, file: Support.file,
                    message:
                        "the file is empty, but its name says it is gzip-compressed; ask the member to send it again"))
    }

    @Test func corruptStreamNamesTheOffset() {
        var compressed = Support.gzip(Support.noise(count: 10_000))
        compressed[3] = 0xE0  // reserved header flag bits
        let error = Support.inflate(compressed).failure
        #expect(error?.kind == .compression)
        #expect(error?.message.hasPrefix("the gzip stream is corrupt at compressed byte ") == true)
        #expect(error?.message.hasSuffix("): the file was damaged; ask the member to send it again") == true)

        let withGarbage = Support.gzip(Array("a\n".utf8)) + Array("trailing junk".utf8)
        let garbageError = Support.inflate(withGarbage).failure
        #expect(garbageError?.message.hasPrefix("the gzip stream is corrupt at compressed byte ") == true)
    }

    @Test func bombStopsAtTheSizeLimit() {
        let bomb = Support.gzip([UInt8](repeating: 0, count: 64 << 20), level: 9)
        let limits = ExtractLimits(maxDecompressedBytes: 1 << 20, maxCompressionRatio: 100_000)
        let failure = Support.inflate(bomb, limits: limits).failure
        #expect(failure?.kind == .limitExceeded)
        #expect(failure?.file == Support.file)
        let message = failure?.message ?? ""
        let pattern = /the decompressed file is larger than the limit of 1048576 bytes \(maxDecompressedBytes\) at compressed byte (\d+); if the file is genuine, raise maxDecompressedBytes in the extract limits/
        let match = try? pattern.wholeMatch(in: message)
        #expect(match != nil, "\(message)")
        if let match { #expect(Int(match.1)! > 0 && Int(match.1)! <= bomb.count) }
    }

    @Test func bombStopsAtTheRatioLimit() {
        let bomb = Support.gzip([UInt8](repeating: 0, count: 64 << 20), level: 9)
        let failure = Support.inflate(bomb).failure
        #expect(failure?.kind == .limitExceeded)
        let message = failure?.message ?? ""
        let pattern = /the file expands more than 200 times when decompressed \(maxCompressionRatio\): (\d+) bytes out of the first (\d+) compressed bytes \(stopped at compressed byte (\d+)\), as a gzip bomb does; if the file is genuine, raise maxCompressionRatio in the extract limits/
        let match = try? pattern.wholeMatch(in: message)
        #expect(match != nil, "\(message)")
        if let match {
            let (out, read) = (Int(match.1)!, Int(match.2)!)
            #expect(out / read > 200 && out > 1 << 20 && match.2 == match.3)
        }
    }

    @Test func exactlyAtTheSizeLimitIsAccepted() throws {
        let data = [UInt8](repeating: 65, count: 5000)
        let limits = ExtractLimits(maxDecompressedBytes: 5000)
        #expect(try Support.inflate(Support.gzip(data), limits: limits).get() == data)
        #expect(Support.inflate(Support.gzip(data + [65]), limits: limits).failure?.kind == .limitExceeded)
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
