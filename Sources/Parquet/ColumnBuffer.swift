/// The values of one column for a run of rows, stored contiguously: the non-null values in one
/// typed array (byte arrays as one byte buffer plus offsets) and, once a null has been seen, one
/// definition level per row (1 = value, 0 = null).
///
/// This is the writer's working form (and what the reader decodes into); it avoids one heap
/// object per value. Fill it with `append`/`appendNull` and pass it to
/// `ParquetFileWriter.append(_:)`, or build it from `ParquetColumnValues`. Appending a value of
/// another physical type than the buffer's is a programming error and traps.
public struct ParquetColumnBuffer: Sendable, Hashable {
    public let physicalType: ParquetPhysicalType
    /// Rows held, nulls included.
    public internal(set) var count: Int = 0
    /// Rows that are null.
    public internal(set) var nullCount: Int = 0

    /// One entry per row (1 = value present, 0 = null); empty while there is no null.
    @usableFromInline var definitionLevels: [UInt8] = []
    @usableFromInline var booleans: [Bool] = []
    @usableFromInline var int32s: [Int32] = []
    @usableFromInline var int64s: [Int64] = []
    @usableFromInline var floats: [Float] = []
    @usableFromInline var doubles: [Double] = []
    /// BYTE_ARRAY values back to back; value `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var offsets: [Int] = [0]

    public init(_ physicalType: ParquetPhysicalType, reservingCapacity capacity: Int = 0) {
        self.physicalType = physicalType
        guard capacity > 0 else { return }
        switch physicalType {
        case .boolean: booleans.reserveCapacity(capacity)
        case .int32: int32s.reserveCapacity(capacity)
        case .int64: int64s.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        case .byteArray: offsets.reserveCapacity(capacity + 1)
        }
    }

    /// A buffer holding `values` (which must not be empty of type information: the case decides
    /// the physical type).
    public init(_ values: ParquetColumnValues) {
        self.init(values.physicalType, reservingCapacity: values.count)
        append(contentsOf: values)
    }

    /// Number of non-null values.
    public var valueCount: Int { count - nullCount }

    // MARK: Appending

    public mutating func appendNull() {
        if nullCount == 0 {
            definitionLevels.reserveCapacity(Swift.max(count + 1, booleans.capacity, 1024))
            definitionLevels.append(contentsOf: repeatElement(1, count: count))
        }
        definitionLevels.append(0)
        nullCount += 1
        count += 1
    }

    @inline(__always) private mutating func notePresent() {
        if nullCount > 0 { definitionLevels.append(1) }
        count += 1
    }

    public mutating func append(_ value: Bool) {
        precondition(physicalType == .boolean, "appending a Bool to a \(physicalType) buffer")
        booleans.append(value)
        notePresent()
    }

    public mutating func append(_ value: Int32) {
        precondition(physicalType == .int32, "appending an Int32 to a \(physicalType) buffer")
        int32s.append(value)
        notePresent()
    }

    public mutating func append(_ value: Int64) {
        precondition(physicalType == .int64, "appending an Int64 to a \(physicalType) buffer")
        int64s.append(value)
        notePresent()
    }

    public mutating func append(_ value: Float) {
        precondition(physicalType == .float, "appending a Float to a \(physicalType) buffer")
        floats.append(value)
        notePresent()
    }

    public mutating func append(_ value: Double) {
        precondition(physicalType == .double, "appending a Double to a \(physicalType) buffer")
        doubles.append(value)
        notePresent()
    }

    /// Appends one BYTE_ARRAY value.
    public mutating func append<C: Collection<UInt8>>(bytes value: C) {
        precondition(physicalType == .byteArray, "appending bytes to a \(physicalType) buffer")
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
        notePresent()
    }

    /// Appends one BYTE_ARRAY value from raw memory (not generic, so callers in other modules
    /// do not go through an unspecialised copy loop).
    public mutating func append(bytes value: UnsafeRawBufferPointer) {
        precondition(physicalType == .byteArray, "appending bytes to a \(physicalType) buffer")
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
        notePresent()
    }

    /// Appends one BYTE_ARRAY value: the UTF-8 of `string`.
    public mutating func append(string: String) {
        precondition(physicalType == .byteArray, "appending a string to a \(physicalType) buffer")
        // In place for a native string (no copy of the String, so no retain and release).
        if string.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            var s = string
            s.withUTF8 { bytes.append(contentsOf: $0) }
        }
        offsets.append(bytes.count)
        notePresent()
    }

    /// Appends every value (and null) of `values`, whose case must match the physical type.
    public mutating func append(contentsOf values: ParquetColumnValues) {
        precondition(
            values.physicalType == physicalType,
            "appending .\(values.physicalType.caseName) values to a \(physicalType) buffer")
        switch values {
        case .boolean(let v): for x in v { if let x { append(x) } else { appendNull() } }
        case .int32(let v): for x in v { if let x { append(x) } else { appendNull() } }
        case .int64(let v): for x in v { if let x { append(x) } else { appendNull() } }
        case .float(let v): for x in v { if let x { append(x) } else { appendNull() } }
        case .double(let v): for x in v { if let x { append(x) } else { appendNull() } }
        case .byteArray(let v):
            for x in v { if let x { append(bytes: x) } else { appendNull() } }
        }
    }

    /// Appends rows `rows` of `other` (same physical type).
    public mutating func append(rowsOf other: ParquetColumnBuffer, _ rows: Range<Int>) {
        precondition(other.physicalType == physicalType, "appending rows of another physical type")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= other.count, "row range out of bounds")
        guard !rows.isEmpty else { return }
        let first = other.valueIndex(ofRow: rows.lowerBound)
        let last = other.valueIndex(ofRow: rows.upperBound)
        if other.nullCount > 0 || nullCount > 0 {
            if nullCount == 0 {
                definitionLevels.reserveCapacity(count + rows.count)
                definitionLevels.append(contentsOf: repeatElement(1, count: count))
            }
            if other.nullCount > 0 {
                definitionLevels.append(contentsOf: other.definitionLevels[rows])
            } else {
                definitionLevels.append(contentsOf: repeatElement(1, count: rows.count))
            }
        }
        let values = first..<last
        nullCount += rows.count - values.count
        count += rows.count
        switch physicalType {
        case .boolean: booleans.append(contentsOf: other.booleans[values])
        case .int32: int32s.append(contentsOf: other.int32s[values])
        case .int64: int64s.append(contentsOf: other.int64s[values])
        case .float: floats.append(contentsOf: other.floats[values])
        case .double: doubles.append(contentsOf: other.doubles[values])
        case .byteArray:
            let base = bytes.count - other.offsets[first]
            bytes.append(contentsOf: other.bytes[other.offsets[first]..<other.offsets[last]])
            // append(contentsOf:) grows geometrically; reserveCapacity(exact) here would reallocate
            // (and copy) the whole offsets array on every appended batch.
            offsets.append(contentsOf: other.offsets[(first + 1)..<(last + 1)].lazy.map { $0 + base })
        }
        if nullCount == 0 { definitionLevels.removeAll(keepingCapacity: true) }
    }

    /// Empties the buffer.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        count = 0
        nullCount = 0
        definitionLevels.removeAll(keepingCapacity: keepingCapacity)
        booleans.removeAll(keepingCapacity: keepingCapacity)
        int32s.removeAll(keepingCapacity: keepingCapacity)
        int64s.removeAll(keepingCapacity: keepingCapacity)
        floats.removeAll(keepingCapacity: keepingCapacity)
        doubles.removeAll(keepingCapacity: keepingCapacity)
        bytes.removeAll(keepingCapacity: keepingCapacity)
        offsets.removeAll(keepingCapacity: keepingCapacity)
        offsets.append(0)
    }

    // MARK: Reading

    /// Index among the non-null values of the first value at or after `row`.
    func valueIndex(ofRow row: Int) -> Int {
        guard nullCount > 0 else { return row }
        var n = 0
        definitionLevels.withUnsafeBufferPointer { levels in
            for i in 0..<row { n &+= Int(levels[i]) }
        }
        return n
    }

    /// Whether row `row` holds a value.
    public func isNull(row: Int) -> Bool {
        nullCount > 0 && definitionLevels[row] == 0
    }

    /// The bytes of BYTE_ARRAY value `index` (an index among non-null values).
    func byteValue(_ index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// The values with nulls, as `ParquetColumnValues`.
    public var values: ParquetColumnValues {
        func expand<T>(_ v: [T]) -> [T?] {
            guard nullCount > 0 else { return v.map { $0 } }
            var out: [T?] = []
            out.reserveCapacity(count)
            var next = 0
            for level in definitionLevels {
                if level == 0 {
                    out.append(nil)
                } else {
                    out.append(v[next])
                    next += 1
                }
            }
            return out
        }
        switch physicalType {
        case .boolean: return .boolean(expand(booleans))
        case .int32: return .int32(expand(int32s))
        case .int64: return .int64(expand(int64s))
        case .float: return .float(expand(floats))
        case .double: return .double(expand(doubles))
        case .byteArray:
            var out: [[UInt8]?] = []
            out.reserveCapacity(count)
            var next = 0
            for row in 0..<count {
                if nullCount > 0 && definitionLevels[row] == 0 {
                    out.append(nil)
                } else {
                    out.append(Array(byteValue(next)))
                    next += 1
                }
            }
            return .byteArray(out)
        }
    }
}
