import Extract
import Foundation
import Normalize

/// Reads each submission with its format's streaming extractor and stages the mapped fields.
/// Raw identifiers are replaced by keyed tokens before anything is written.
struct ExtractStage {
    let context: RunContext
    /// The run's live load, if it has one: a fused extract offers it its rows (`LiveLoad.claim`).
    var live: LiveLoad? = nil

    /// With `normalizeToo`, each record is also normalised as it is read and the normalize
    /// stage's output is staged in the same pass (saving a second read of the staged records).
    func run(
        _ planned: PlannedSubmission, previous: SubmissionState?, force: Bool, normalizeToo: Bool = false
    ) -> StageOutcome {
        let output = context.staging.extractPath(planned.name)
        // (The fingerprint is asked for only when there is one to compare with: otherwise the
        // input's digest may still be being computed beside this extraction.)
        if !force, let done = previous?.extract, done == planned.fingerprint, FileManager.default.fileExists(atPath: output) {
            return .skipped
        }
        context.checkpoint("extract")
        var identifiers = IdentifierSlots(
            paths: Array(Set(
                planned.submission.fields.filter { $0.key.valueType == .identifier }.compactMap(\.value.source))),
            pseudonymizer: context.pseudonymizer, member: planned.member.memberID,
            nullValues: planned.submission.nullValues)
        let request = ExtractRequest(
            path: planned.file.absolutePath, displayName: planned.name, format: planned.submission.format,
            fields: planned.submission.sourcePaths, limits: context.limits)
        var writer: StagedRecords.Writer
        do {
            writer = try StagedRecords.Writer(path: output, sourcePaths: request.fields)
        } catch {
            return .rejected(ErrorReport(message: "\(planned.name): cannot write the staged records: \(error)"))
        }
        if normalizeToo {
            return runFused(planned, request: request, identifiers: identifiers, writer: writer)
        }
        var read = 0
        do {
            var extractor = try Extractors.open(request)
            if var batches = extractor as? any BatchRecordExtractor {
                var batch = batches.makeBatch()
                while try nextBatch(&batch, from: &batches, &identifiers) {
                    try writer.append(batch)
                    read += batch.count
                }
            } else {
                while var record = try nextRecord(&extractor) {
                    pseudonymize(&record, &identifiers)
                    try writer.append(record)
                    read += 1
                }
            }
            try writer.commit()
        } catch let error as ExtractError {
            writer.abandon()
            return .rejected(ErrorReport(error))
        } catch {
            writer.abandon()
            return .rejected(ErrorReport(message: "\(planned.name): cannot write the staged output: \(error)"))
        }
        return .ran(count: read)
    }

    /// Records per batch handed from the extracting thread to the normalizing one.
    static let batchSize = 1024
    /// The most bytes of values a `RecordBatch` is filled with (it may go one record beyond): a
    /// file of long fields makes smaller batches, so memory stays bounded.
    static let batchBytes = 4 << 20

    /// Extract and normalize in one pass on two threads: this one reads, pseudonymises and
    /// stages the records, a second one normalises them and stages the rows, in reading order.
    /// When the second thread falls behind (the channel is full), this one normalises the batch
    /// itself and sends the rows instead of waiting, so both cores stay busy. At most four
    /// batches wait between the two, and this thread keeps each batch it sent until the other
    /// has moved past it (`SentBatches`: the records are freed where they were allocated, and a
    /// `RecordBatch` is emptied and filled again), so about six batches are alive at a time and
    /// memory stays bounded. When the run's live load
    /// claims this submission, the staged rows also go to it, block by block, as they are written.
    private func runFused(
        _ planned: PlannedSubmission, request: ExtractRequest, identifiers: IdentifierSlots,
        writer: StagedRecords.Writer
    ) -> StageOutcome {
        var writer = writer
        var identifiers = identifiers
        context.checkpoint("normalize")
        let normalizer = NormalizeStage(context: context).normalizer(for: planned)
        let rowsPath = context.staging.normalizePath(planned.name)
        let channel = BatchChannel<FusedBatch>(capacity: 4)
        let claimed = live?.claim(planned.name)
        let normalizing = BackgroundJob { () -> NormalizeOutcome in
            // The live load, if it claimed this submission, gets each block of staged rows.
            defer { claimed?.finish() }
            var rows: StagedRows.Writer
            do {
                rows = try StagedRows.Writer(path: rowsPath, live: claimed)
            } catch {
                channel.cancel()
                return .failed("\(error)")
            }
            do {
                var quarantined = 0
                var slots = normalizer.slots(for: [])
                while let batch = channel.receive() {
                    switch batch {
                    case .records(let records):
                        // Each record read in place (iterating would copy it, with a retain per value).
                        try records.withUnsafeBufferPointer { records in
                            for index in records.indices {
                                let row = normalizer.normalize(records[index], slots: &slots)
                                if case .quarantined = row { quarantined += 1 }
                                try rows.append(row)
                            }
                        }
                    case .recordBatch(let records):
                        try normalizer.normalize(records, slots: &slots) { row in
                            if case .quarantined = row { quarantined += 1 }
                            try rows.append(row)
                        }
                    case .rows(let normalized):
                        for row in normalized {
                            if case .quarantined = row { quarantined += 1 }
                            try rows.append(row)
                        }
                    }
                }
                if channel.isCancelled {
                    rows.abandon()
                    return .abandoned
                }
                try rows.commit()
                return .committed(quarantined: quarantined)
            } catch {
                channel.cancel()
                rows.abandon()
                return .failed("\(error)")
            }
        }
        var read = 0
        var failure: StageOutcome?
        var slots = normalizer.slots(for: [])
        var sent = SentBatches<FusedBatch>()
        /// Batches the other thread has finished, emptied, to fill again.
        var spareBatches: [RecordBatch] = []
        func takeBack(_ finished: inout FusedBatch) {
            guard case .recordBatch(var batch) = finished else { return }
            finished = .rows([])  // (so `batch` holds the only reference and keeps its room)
            batch.removeAll()
            spareBatches.append(batch)
        }
        /// Sends `batch`, or, when the other thread is behind, the rows `normalizeHere` makes of
        /// it on this thread; false when the other thread has stopped.
        func hand(_ batch: FusedBatch, normalizeHere: () -> [NormalizedRecord]) -> Bool {
            if channel.trySend(batch) {
                sent.keep(batch, sentOn: channel) { takeBack(&$0) }
                return true
            }
            let rows = FusedBatch.rows(normalizeHere())
            guard channel.send(rows) else { return false }
            sent.keep(rows, sentOn: channel) { takeBack(&$0) }
            return true
        }
        // The batches still held here are freed once the other thread has ended.
        defer { withExtendedLifetime(sent) {} }
        do {
            var extractor = try Extractors.open(request)
            if var batches = extractor as? any BatchRecordExtractor {
                var batch = batches.makeBatch()
                while try nextBatch(&batch, from: &batches, &identifiers) {
                    try writer.append(batch)
                    read += batch.count
                    let sentOrNormalized = hand(.recordBatch(batch)) {
                        var rows: [NormalizedRecord] = []
                        rows.reserveCapacity(batch.count)
                        normalizer.normalize(batch, slots: &slots) { rows.append($0) }
                        return rows
                    }
                    guard sentOrNormalized else { break }
                    batch = spareBatches.popLast() ?? batches.makeBatch()
                }
            } else {
                var batch: [ExtractedRecord] = []
                batch.reserveCapacity(Self.batchSize)
                func handRecords() -> Bool {
                    defer { batch.removeAll(keepingCapacity: true) }
                    return hand(.records(batch)) { batch.map { normalizer.normalize($0, slots: &slots) } }
                }
                while var record = try nextRecord(&extractor) {
                    pseudonymize(&record, &identifiers)
                    try writer.append(record)
                    read += 1
                    batch.append(consume record)
                    if batch.count == Self.batchSize, !handRecords() { break }
                }
                if !batch.isEmpty { _ = handRecords() }
            }
            channel.finish()
            // Commit the staged records while the other thread finishes and commits the rows, so
            // the two files' flushes to disk overlap. Should writing the rows still fail (an I/O
            // error), the submission is rejected and the staging state keeps its old fingerprints,
            // so the next run extracts this file again.
            try writer.commit()
        } catch let error as ExtractError {
            failure = .rejected(ErrorReport(error))
        } catch {
            failure = .rejected(ErrorReport(message: "\(planned.name): cannot write the staged output: \(error)"))
        }
        if failure != nil { channel.cancel() }
        switch normalizing.wait() {
        case .committed(let quarantined) where failure == nil:
            return .ranWithNormalize(read: read, quarantined: quarantined)
        case .failed(let message):
            writer.abandon()
            return failure ?? .rejected(ErrorReport(message: "\(planned.name): cannot write the staged output: \(message)"))
        default:
            writer.abandon()
            return failure!
        }
    }

    /// What goes from the extracting thread to the normalizing one: records to normalise, or
    /// rows the extracting thread normalised itself while the other was busy.
    private enum FusedBatch: Sendable {
        case records([ExtractedRecord])
        case recordBatch(RecordBatch)
        case rows([NormalizedRecord])
    }

    /// How the normalizing thread ended.
    private enum NormalizeOutcome: Sendable {
        case committed(quarantined: Int)
        case abandoned
        case failed(String)
    }

    /// Replaces raw identifiers by keyed tokens before anything is staged (`IdentifierTokens`:
    /// a null value holds no id and stays as it is).
    private func pseudonymize(_ record: inout ExtractedRecord, _ identifiers: inout IdentifierSlots) {
        identifiers.locate(in: record.fieldNames)
        for (field, slot) in identifiers.slots {
            if let raw = record.values[slot] {
                record.values[slot] = identifiers.tokens.staged(field: field, value: raw)
            }
        }
    }

    /// Empties `batch` and fills it with the extractor's next records, their identifiers
    /// replaced by keyed tokens as `pseudonymize` replaces them; false at the end of the file.
    private func nextBatch(
        _ batch: inout RecordBatch, from extractor: inout any BatchRecordExtractor, _ identifiers: inout IdentifierSlots
    ) throws(ExtractError) -> Bool {
        batch.removeAll()
        try extractor.fill(&batch, limit: Self.batchSize, byteLimit: Self.batchBytes)
        identifiers.locate(in: batch.fieldNames)
        guard !identifiers.slots.isEmpty else { return batch.count > 0 }
        let room = 2 * Pseudonym.byteCount * identifiers.slots.count
        for record in 0..<batch.count {
            batch.rewrite(record: record, room: room) { values in
                for (field, slot) in identifiers.slots {
                    guard let value = values.value(slot),
                        let token = identifiers.tokens.token(field: field, utf8: value)
                    else { continue }
                    values.set(slot, atMost: 2 * Pseudonym.byteCount) { out in
                        token.writeHex(to: out)
                        return 2 * Pseudonym.byteCount
                    }
                }
            }
        }
        return batch.count > 0
    }

    /// The identifier paths, where they sit among the values of records with `names` (every
    /// record of one extractor shares its names, so this is worked out once), and their tokens.
    private struct IdentifierSlots {
        let paths: [String]
        var names: [String] = []
        /// Each identifier present in `names`: its index in `paths` and its value's index.
        var slots: [(field: Int, value: Int)] = []
        var tokens: IdentifierTokens

        init(paths: [String], pseudonymizer: Pseudonymizer, member: String, nullValues: Set<String>) {
            self.paths = paths
            tokens = IdentifierTokens(
                pseudonymizer: pseudonymizer, member: member, fieldCount: paths.count, nullValues: nullValues)
        }

        /// Works out `slots` for records with the field names `names`, unless they are the last ones.
        mutating func locate(in names: [String]) {
            guard names != self.names else { return }
            self.names = names
            slots = paths.indices.compactMap { field in
                names.firstIndex(of: paths[field]).map { (field: field, value: $0) }
            }
        }
    }

    private func nextRecord(_ extractor: inout any RecordExtractor) throws(ExtractError) -> ExtractedRecord? {
        try extractor.next()
    }
}

/// Maps a submission's staged records onto the taxonomy and stages the resulting rows.
struct NormalizeStage {
    let context: RunContext

    func run(_ planned: PlannedSubmission, previous: SubmissionState?, force: Bool) -> StageOutcome {
        let input = context.staging.extractPath(planned.name)
        let output = context.staging.normalizePath(planned.name)
        guard let extracted = previous?.extract, FileManager.default.fileExists(atPath: input) else {
            return .rejected(ErrorReport(
                message: "\(planned.name): no staged extract output; run the extract stage for it first"))
        }
        if !force, previous?.normalize == Self.fingerprint(planned, extractedFrom: extracted),
            FileManager.default.fileExists(atPath: output)
        {
            return .skipped
        }
        context.checkpoint("normalize")
        let normalizer = normalizer(for: planned)
        var quarantined = 0
        var writer: StagedRows.Writer?
        do {
            var reader = try StagedRecords.Reader(path: input, fileName: planned.name)
            let missing = Set(planned.submission.sourcePaths).subtracting(reader.sourcePaths)
            guard missing.isEmpty else {
                return .rejected(ErrorReport(
                    message: "\(planned.name): the mapping now reads \(missing.sorted().joined(separator: ", ")), which the staged extract output lacks; rerun the extract stage"))
            }
            writer = try StagedRows.Writer(path: output)
            var slots = normalizer.slots(for: reader.sourcePaths)
            while let record = try reader.next() {
                let row = normalizer.normalize(record, slots: &slots)
                if case .quarantined = row { quarantined += 1 }
                try writer!.append(row)
            }
            try writer!.commit()
        } catch {
            writer?.abandon()
            return .rejected(ErrorReport(message: "\(planned.name): \(error)"))
        }
        return .ran(count: quarantined)
    }

    func normalizer(for planned: PlannedSubmission) -> Normalizer {
        Normalizer(
            member: planned.member, submission: planned.submission, taxonomy: context.configuration.taxonomy,
            reportYear: context.reportYear, pseudonymizer: context.pseudonymizer, identifiers: .tokens)
    }

    /// The normalize output depends on the staged extract (whatever file version it came from)
    /// and on the current mapping, taxonomy, tool, key and year.
    static func fingerprint(_ planned: PlannedSubmission, extractedFrom extracted: StageFingerprint) -> StageFingerprint {
        var fingerprint = planned.fingerprint
        fingerprint.inputSHA256 = extracted.inputSHA256
        return fingerprint
    }
}
