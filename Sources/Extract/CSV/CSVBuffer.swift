/// The bounded window of text the CSV reader works on: the current record and some read-ahead.
/// It grows only while a single record does not fit (up to about twice `recordLimit`).
///
/// Its stored properties are `@exclusivity(unchecked)`: one extractor on one thread owns the
/// buffer, and the dynamic exclusivity checks on every access were 7% of the CSV extract stage.
final class CSVBuffer {
    private static let initialCapacity = 64 * 1024

    @exclusivity(unchecked) private(set) var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    /// Valid bytes in `storage`.
    @exclusivity(unchecked) private(set) var count = 0
    /// Where the next record starts.
    @exclusivity(unchecked) var position = 0
    /// 1-based line number at `position`.
    @exclusivity(unchecked) var line = 1
    /// The source has no more bytes.
    @exclusivity(unchecked) private(set) var ended = false
    /// Offset of `storage[0]` in the text stream (the file, or the UTF-8 output for UTF-16).
    @exclusivity(unchecked) private(set) var baseOffset: Int
    /// Longest record (in bytes) the buffer grows for.
    let recordLimit: Int
    @exclusivity(unchecked) private var source: any ByteSource
    /// Set for UTF-16 input; maps offsets back to the file.
    let transcoder: UTF16TranscodingSource?

    init(input: TextInput, recordLimit: Int) {
        source = input.source
        transcoder = input.transcoder
        baseOffset = input.prefixOffset
        self.recordLimit = recordLimit
        capacity = max(Self.initialCapacity, input.prefix.count)
        storage = .allocate(capacity: capacity)
        input.prefix.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { storage.update(from: base, count: bytes.count) }
        }
        count = input.prefix.count
    }

    deinit { storage.deallocate() }

    /// The valid bytes (until the next `refill`).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// The bytes `range` of the buffer (until the next `refill`).
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + range.lowerBound, count: range.count)
    }

    /// Offset in the file of the line that starts at `index`.
    func fileOffset(ofLineStartingAt index: Int) -> Int? {
        guard let transcoder else { return baseOffset + index }
        return transcoder.sourceOffset(ofLineStartingAt: baseOffset + index)
    }

    /// Offset in the text stream of `index` (the file offset unless the input is UTF-16).
    func streamOffset(ofIndex index: Int) -> Int { baseOffset + index }

    /// Drops the bytes before `position`, grows when the rest fills half the buffer, and reads
    /// until the buffer is full or the source ends.
    func refill() throws(ExtractError) {
        if position > 0 {
            count -= position
            storage.update(from: storage + position, count: count)
            baseOffset += position
            position = 0
        }
        if count * 2 > capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: storage, count: count)
            storage.deallocate()
            storage = larger
            capacity *= 2
        }
        while count < capacity && !ended {
            let read = try source.read(
                into: UnsafeMutableRawBufferPointer(start: storage + count, count: capacity - count))
            if read == 0 { ended = true }
            count += read
        }
    }
}
