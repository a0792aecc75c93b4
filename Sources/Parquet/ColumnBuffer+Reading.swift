/// Row-by-row reading of a `ParquetColumnBuffer` without one heap object per value: each visitor
/// walks the rows in order, keeping its place among the non-null values, so a whole column costs
/// O(rows). `body` gets the row number and the value, or nil for a null row.
///
/// Visiting a buffer of another physical type than the visitor's is a programming error and
/// traps, as appending does.
extension ParquetColumnBuffer {
    /// Visits every row of a BYTE_ARRAY buffer. The bytes are valid only during the call (they
    /// point into the buffer); an empty value is an empty, non-nil buffer.
    @inlinable public func forEachByteValue<E: Error>(
        _ body: (_ row: Int, _ bytes: UnsafeRawBufferPointer?) throws(E) -> Void
    ) throws(E) {
        precondition(physicalType == .byteArray, "reading bytes from a \(physicalType) buffer")
        let rows = count
        let result: Result<Void, E> = bytes.withUnsafeBytes { raw in
            offsets.withUnsafeBufferPointer { offsets in
                definitionLevels.withUnsafeBufferPointer { levels in
                    let base = raw.baseAddress
                    var next = 0
                    do throws(E) {
                        for row in 0..<rows {
                            if nullCount > 0 && levels[row] == 0 {
                                try body(row, nil)
                                continue
                            }
                            let start = offsets[next], end = offsets[next + 1]
                            next += 1
                            // An empty buffer may have no base address: hand over a valid empty one.
                            try body(row, UnsafeRawBufferPointer(start: base.map { $0 + start }, count: end - start))
                        }
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        try result.get()
    }

    /// Visits every row of a BOOLEAN buffer.
    @inlinable public func forEachBoolean<E: Error>(_ body: (_ row: Int, _ value: Bool?) throws(E) -> Void) throws(E) {
        precondition(physicalType == .boolean, "reading booleans from a \(physicalType) buffer")
        try visit(booleans, body)
    }

    /// Visits every row of an INT32 buffer.
    @inlinable public func forEachInt32<E: Error>(_ body: (_ row: Int, _ value: Int32?) throws(E) -> Void) throws(E) {
        precondition(physicalType == .int32, "reading Int32 values from a \(physicalType) buffer")
        try visit(int32s, body)
    }

    /// Visits every row of an INT64 buffer.
    @inlinable public func forEachInt64<E: Error>(_ body: (_ row: Int, _ value: Int64?) throws(E) -> Void) throws(E) {
        precondition(physicalType == .int64, "reading Int64 values from a \(physicalType) buffer")
        try visit(int64s, body)
    }

    /// Visits every row of a FLOAT buffer.
    @inlinable public func forEachFloat<E: Error>(_ body: (_ row: Int, _ value: Float?) throws(E) -> Void) throws(E) {
        precondition(physicalType == .float, "reading Float values from a \(physicalType) buffer")
        try visit(floats, body)
    }

    /// Visits every row of a DOUBLE buffer.
    @inlinable public func forEachDouble<E: Error>(_ body: (_ row: Int, _ value: Double?) throws(E) -> Void) throws(E) {
        precondition(physicalType == .double, "reading Double values from a \(physicalType) buffer")
        try visit(doubles, body)
    }

    /// Inlinable (as the visitors are) so that callers in other modules get a loop specialised
    /// for the value type with their closure inlined: unspecialised, each value went through
    /// generic value witnesses, and reading five small columns for the report cost about 3% of a
    /// run.
    @inlinable
    func visit<T, E: Error>(_ values: [T], _ body: (Int, T?) throws(E) -> Void) throws(E) {
        let rows = count
        if nullCount == 0 {
            for row in 0..<rows { try body(row, values[row]) }
            return
        }
        var next = 0
        for row in 0..<rows {
            if definitionLevels[row] == 0 {
                try body(row, nil)
            } else {
                try body(row, values[next])
                next += 1
            }
        }
    }
}
