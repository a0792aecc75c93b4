import Testing

@testable import Extract

@Suite struct CSVErrorTests {
    typealias Support = CSVTestSupport

    @Test func raggedRowsAreRecordDefects() throws {
        let records = try Support.extract("a,b,c\n1,2\n1,2,3,4\n5,6,7\n", fields: ["a", "c"]).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 6), fields: ["a": "1"],
                    defect: RecordDefect(message: "line 2 has 2 fields; the header has 3")),
                ExtractedRecord(
                    locator: Support.locator(record: 3, byteOffset: 10), fields: ["a": "1", "c": "3"],
                    defect: RecordDefect(message: "line 3 has 4 fields; the header has 3")),
                ExtractedRecord(locator: Support.locator(record: 4, byteOffset: 18), fields: ["a": "5", "c": "7"]),
            ])
    }

    @Test func raggedRowsWithoutHeaderCompareWithTheFirstLine() throws {
        let records = try Support.extract("1,2,3\n4,5\n", fields: ["2"], options: CSVOptions(hasHeader: false)).get()
        #expect(records.map(\.defect) == [nil, RecordDefect(message: "line 2 has 2 fields; line 1 has 3")])
    }

    @Test func textAfterAClosingQuoteIsARecordDefect() throws {
        let records = try Support.extract("a,b\n\"x\"y,2\n", fields: ["a", "b"]).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 4), fields: ["b": "2"],
                    defect: RecordDefect(field: "a", message: "text after the closing quote of field 1 at line 2"))
            ])
    }

    @Test func missingColumnIsAConfigurationError() {
        let error = Support.error(Array("a,b,c\n1,2,3\n".utf8), fields: ["a", "X"])
        #expect(
            error
                == ExtractError(
                    .configuration, file: Support.file,
                    message: "column \"X\" named in the mapping is not in the header; the header has: a, b, c"))
    }

    @Test func duplicatedRequestedColumnIsAConfigurationError() {
        let error = Support.error(Array("a,b,a\n".utf8), fields: ["a"])
        #expect(
            error?.message == "column \"a\" named in the mapping appears 2 times in the header (columns 1, 3); "
                + "ask the member to give the columns distinct names")
    }

    @Test func nonPositionWithoutHeaderIsAConfigurationError() {
        let error = Support.error(Array("1,2\n".utf8), fields: ["Name"], options: CSVOptions(hasHeader: false))
        #expect(
            error
                == ExtractError(
                    .configuration, file: Support.file,
                    message: "column \"Name\" named in the mapping is not a column position; without a header, columns "
                        + "are named by position: \"1\", \"2\", ..."))
    }

    @Test(arguments: [false, true])
    func unterminatedQuoteIsMalformed(chunked: Bool) {
        let error = Support.error(Array("a,b\n1,x\n2,\"open\nmore\n".utf8), fields: ["a"], chunked: chunked)
        #expect(
            error
                == ExtractError(
                    .malformed, file: Support.file, line: 3,
                    message:
                        "field 2 opens a quote (\") on this line that is never closed: the file ends inside the quoted field"
                ))
    }

    @Test func emptyFileWithHeaderExpectedIsMalformed() {
        let error = Support.error([], fields: ["a"])
        #expect(
            error
                == ExtractError(
                    .malformed, file: Support.file, line: 1,
                    message: "the file is empty, but the mapping says it starts with a header line"))
    }

    @Test func fieldLongerThanTheLimit() {
        let limits = ExtractLimits(maxFieldBytes: 8)
        let error = Support.error(Array("a,b\n1,12345678\n2,123456789\n".utf8), fields: ["a"], limits: limits)
        #expect(
            error
                == ExtractError(
                    .limitExceeded, file: Support.file, line: 3,
                    message:
                        "field 2 is longer than the limit of 8 bytes (maxFieldBytes); if the file is genuine, raise "
                        + "maxFieldBytes in the extract limits"))
    }

    /// A field larger than the buffer: the limit is found while the buffer grows.
    @Test func fieldLongerThanTheLimitAcrossRefills() {
        let limits = ExtractLimits(maxFieldBytes: 100_000)
        let unquoted = Array("a,b\n1,2\n3,".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300_000)
        #expect(
            Support.error(unquoted, fields: ["a"], limits: limits)
                == ExtractError(
                    .limitExceeded, file: Support.file, line: 3,
                    message:
                        "field 2 is longer than the limit of 100000 bytes (maxFieldBytes); if the file is genuine, "
                        + "raise maxFieldBytes in the extract limits"))
        let quoted = Array("a,b\n\"".utf8) + Array(repeating: UInt8(ascii: "\n"), count: 300_000)
        #expect(
            Support.error(quoted, fields: ["a"], limits: limits)
                == ExtractError(
                    .limitExceeded, file: Support.file, line: 2,
                    message:
                        "field 1 is longer than the limit of 100000 bytes (maxFieldBytes); if the file is genuine, "
                        + "raise maxFieldBytes in the extract limits; otherwise check the field for a missing closing quote"
                ))
    }
}
