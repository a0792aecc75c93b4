import Testing

@testable import Extract

@Suite struct ColumnTextCacheTests {
    typealias Support = CSVTestSupport

    private func lookup(_ cache: ColumnTextCache, _ column: Int, _ raw: [UInt8]) -> String? {
        raw.withUnsafeBufferPointer { cache.text(column: column, raw: $0) }
    }

    private func remember(_ cache: ColumnTextCache, _ column: Int, _ raw: [UInt8], _ text: String) {
        raw.withUnsafeBufferPointer { cache.remember(column: column, raw: $0, text: text) }
    }

    @Test func aRememberedValueComesBackOnlyForTheSameBytesInTheSameColumn() {
        let cache = ColumnTextCache(columns: 2)
        let raw: [UInt8] = Array("Ausrei".utf8) + [0xDF] + Array("er".utf8)
        #expect(lookup(cache, 0, raw) == nil)
        remember(cache, 0, raw, "Ausreißer")
        #expect(lookup(cache, 0, raw) == "Ausreißer")
        #expect(lookup(cache, 1, raw) == nil)
        // Same length, same first, middle and last bytes (so the same slot), one byte different.
        var twin = raw
        twin[1] = UInt8(ascii: "X")
        #expect(lookup(cache, 0, twin) == nil)
        #expect(lookup(cache, 0, Array(raw.dropLast())) == nil)
        remember(cache, 0, twin, "AXsreißer")
        #expect(lookup(cache, 0, twin) == "AXsreißer")
        #expect(lookup(cache, 0, raw) == nil, "the twin took the slot; the old text must not come back for it")
    }

    @Test func theEmptyValueAndTheLongestKeptValueAreRemembered() {
        let cache = ColumnTextCache(columns: 1)
        remember(cache, 0, [], "")
        #expect(lookup(cache, 0, []) == "")
        let longest = [UInt8](repeating: UInt8(ascii: "a"), count: ColumnTextCache.maxKeyBytes)
        remember(cache, 0, longest, String(repeating: "a", count: ColumnTextCache.maxKeyBytes))
        #expect(lookup(cache, 0, longest) == String(repeating: "a", count: ColumnTextCache.maxKeyBytes))
        let tooLong = longest + [UInt8(ascii: "a")]
        remember(cache, 0, tooLong, "too long")
        #expect(lookup(cache, 0, tooLong) == nil)
    }

    @Test func aColumnOfFewRepeatsSwitchesOffAfterItsTrialAndOneOfManyStaysOn() {
        let cache = ColumnTextCache(columns: 2)
        for row in 0..<ColumnTextCache.trialLookups {
            let id = Array("ID-\(row)".utf8)
            if lookup(cache, 0, id) == nil { remember(cache, 0, id, "ID-\(row)") }
            let code = Array("code-\(row % 3)".utf8)
            if lookup(cache, 1, code) == nil { remember(cache, 1, code, "code-\(row % 3)") }
        }
        #expect(cache.isActive(column: 0))
        #expect(lookup(cache, 0, Array("ID-0".utf8)) == nil)
        #expect(!cache.isActive(column: 0), "no hit in the whole trial")
        remember(cache, 0, Array("ID-0".utf8), "ID-0")
        #expect(lookup(cache, 0, Array("ID-0".utf8)) == nil, "a column that is off remembers nothing")
        #expect(lookup(cache, 1, Array("code-1".utf8)) == "code-1")
        #expect(cache.isActive(column: 1))
    }

    /// Through the CSV extractor: a code column repeated over many rows (so its cache is on and
    /// hit) keeps every row's exact text, and a repeated value with a byte invalid in the
    /// encoding is a defect on every row it appears, never text remembered from an earlier row.
    @Test(arguments: [false, true])
    func repeatedValuesKeepTheirTextAndInvalidBytesAreReportedEveryTime(chunked: Bool) throws {
        let options = CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252)
        let codes: [[UInt8]] = [
            Array("Ausrei".utf8) + [0xDF] + Array("er".utf8), Array("Kindesentziehung".utf8),
            Array("\"Entf".utf8) + [0xFC] + Array("hrung \"\"Dritte\"\"\"".utf8), Array("x".utf8) + [0x81],
        ]
        let texts: [String?] = ["Ausreißer", "Kindesentziehung", "Entführung \"Dritte\"", nil]
        let rows = 2 * ColumnTextCache.trialLookups
        var bytes = Array("id;Kategorie\n".utf8)
        for row in 0..<rows { bytes += Array("\(row);".utf8) + codes[row % codes.count] + [0x0A] }
        let source: any ByteSource =
            chunked ? ChunkedByteSource(bytes, sizes: [1, 2, 3, 5, 7]) : MemoryByteSource(bytes)
        let extractor = try CSVExtractor(
            source: source, request: Support.request(["id", "Kategorie"], options: options, limits: ExtractLimits()),
            options: options)
        var records: [ExtractedRecord] = []
        while let record = try extractor.next() { records.append(record) }
        #expect(records.count == rows)
        #expect(!extractor.texts.isActive(column: 0), "the id column never repeats: its cache is off")
        #expect(extractor.texts.isActive(column: 1), "the code column repeats: its cache stays on")
        var line = 2
        var mismatches: [Int] = []
        for (row, record) in records.enumerated() {
            let expected = texts[row % texts.count]
            let defect =
                expected == nil
                ? RecordDefect(field: "Kategorie", message: "invalid windows-1252 byte 0x81 at line \(line), byte offset "
                    + "\(record.locator.byteOffset! + "\(row);x".utf8.count)")
                : nil
            if record[field: "id"] != "\(row)" || record[field: "Kategorie"] != expected || record.defect != defect
                || record.locator.line != line
            {
                mismatches.append(row)
            }
            line += 1
        }
        #expect(mismatches.isEmpty, "rows that differ from their text: \(mismatches.prefix(10))")
    }
}
