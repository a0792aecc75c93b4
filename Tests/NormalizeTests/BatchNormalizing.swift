import Extract
import Testing
@testable import Normalize

extension Normalizer {
    /// `normalize(_:)`, checked against the batch path: the record alone in a `RecordBatch`,
    /// normalised by `normalize(_:slots:_:)`, must give the same row. Every normalizer test
    /// goes through here, so both paths are held to every rule.
    func normalizeBothWays(_ record: ExtractedRecord, sourceLocation: SourceLocation = #_sourceLocation) -> NormalizedRecord {
        let row = normalize(record)
        var slots = slots(for: [])
        var fromBatch: [NormalizedRecord] = []
        normalize(RecordBatch(records: [record]), slots: &slots) { fromBatch.append($0) }
        #expect(fromBatch == [row], "the batch path differs", sourceLocation: sourceLocation)
        return row
    }
}

/// The batch path over several records at once: the rows in order, slots worked out once.
@Suite struct BatchNormalizingTests {
    @Test func aBatchGivesTheRowsOfItsRecordsInOrder() throws {
        let normalizer = NormalizerTests.normalizer()
        let records = [
            NormalizerTests.record(at: 2),
            NormalizerTests.record(["Kategorie": "unbekannt"], at: 3),
            NormalizerTests.record(["Kind": "3", "Nr": "2025-0043"], at: 4),
            NormalizerTests.record(["Auf": ""], at: 5),
        ]
        var slots = normalizer.slots(for: [])
        var rows: [NormalizedRecord] = []
        normalizer.normalize(RecordBatch(records: records), slots: &slots) { rows.append($0) }
        #expect(rows == records.map { normalizer.normalize($0) })
        #expect(slots.names == records[0].fieldNames)
        let reasons = rows.map { row -> QuarantineReason? in
            if case .quarantined(let quarantined) = row { quarantined.reason } else { nil }
        }
        #expect(reasons == [nil, .unknownCode, nil, .missingRequired])
    }
}
