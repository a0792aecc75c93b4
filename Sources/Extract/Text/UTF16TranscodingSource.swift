/// Streams UTF-16 text (after its byte order mark) as UTF-8, so that the CSV splitter only ever
/// sees UTF-8 bytes.
///
/// A code unit that cannot be decoded (an unpaired surrogate, or a lone last byte) becomes the
/// byte 0xFF, which never occurs in UTF-8: the field that contains it fails validation and
/// `problem(atOutputOffset:)` says what was there and where. The transcoder remembers where each
/// line starts so that positions can be given in the original UTF-16 bytes.
final class UTF16TranscodingSource: ByteSource {
    /// What a 0xFF marker in the output stands for.
    enum Problem: Equatable {
        case unpairedSurrogate(UInt16)
        case loneTrailingByte(UInt8)

        /// Words for a data steward.
        var description: String {
            switch self {
            case .unpairedSurrogate(let unit):
                "invalid UTF-16 code unit \(ByteFormat.hex(unit, digits: 4)) (unpaired surrogate)"
            case .loneTrailingByte(let byte):
                "incomplete UTF-16 code unit (lone last byte \(ByteFormat.hex(byte, digits: 2)))"
            }
        }
    }

    private struct Checkpoint {
        /// Output offset of the line start after a line feed, or of a 0xFF marker.
        var output: Int
        /// The matching offset in the UTF-16 bytes.
        var source: Int
        /// nil for a line start.
        var problem: Problem?
    }

    private static let inputCapacity = 64 * 1024
    private static let outputCapacity = inputCapacity / 2 * 3 + 16

    private var source: any ByteSource
    private let bigEndian: Bool
    private let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
    private var inputStart = 0
    private var inputEnd = 0
    /// Offset in the UTF-16 bytes of `input[0]`.
    private var inputBase: Int
    private var sourceEnded = false
    private let output = UnsafeMutablePointer<UInt8>.allocate(capacity: outputCapacity)
    private var outputStart = 0
    private var outputEnd = 0
    /// Output offset of `output[0]`.
    private var outputBase = 0
    private var checkpoints: [Checkpoint] = []
    private var checkpointHead = 0
    /// Offset in the UTF-16 bytes of the first code unit (just after the byte order mark).
    let firstUnitOffset: Int

    var consumedInputBytes: Int { source.consumedInputBytes }

    /// - Parameters:
    ///   - prefix: bytes already read from `source` that follow the byte order mark.
    ///   - firstUnitOffset: offset of `prefix[0]` in the file (the length of the byte order mark).
    init(wrapping source: any ByteSource, bigEndian: Bool, prefix: ArraySlice<UInt8>, firstUnitOffset: Int) {
        precondition(prefix.count <= Self.inputCapacity)
        self.source = source
        self.bigEndian = bigEndian
        self.inputBase = firstUnitOffset
        self.firstUnitOffset = firstUnitOffset
        prefix.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { input.update(from: base, count: bytes.count) }
        }
        inputEnd = prefix.count
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        guard let target = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while outputStart == outputEnd {
            guard try transcodeMore() else { return 0 }
        }
        let count = min(buffer.count, outputEnd - outputStart)
        target.copyMemory(from: output + outputStart, byteCount: count)
        outputStart += count
        return count
    }

    /// Offset in the UTF-16 bytes of the line that starts at `outputOffset` in the UTF-8 output.
    /// Forgets everything before `outputOffset`: ask in increasing order.
    func sourceOffset(ofLineStartingAt outputOffset: Int) -> Int? {
        while checkpointHead < checkpoints.count && checkpoints[checkpointHead].output < outputOffset {
            checkpointHead += 1
        }
        if checkpointHead > 4096 && checkpointHead * 2 > checkpoints.count {
            checkpoints.removeFirst(checkpointHead)
            checkpointHead = 0
        }
        if outputOffset == 0 { return firstUnitOffset }
        var index = checkpointHead
        while index < checkpoints.count && checkpoints[index].output == outputOffset {
            if checkpoints[index].problem == nil { return checkpoints[index].source }
            index += 1
        }
        return nil
    }

    /// What the 0xFF marker at `outputOffset` stands for, and its offset in the UTF-16 bytes.
    func problem(atOutputOffset outputOffset: Int) -> (problem: Problem, sourceOffset: Int)? {
        var index = checkpointHead
        while index < checkpoints.count && checkpoints[index].output <= outputOffset {
            if checkpoints[index].output == outputOffset, let problem = checkpoints[index].problem {
                return (problem, checkpoints[index].source)
            }
            index += 1
        }
        return nil
    }

    /// Refills `output`; false at the end of the text.
    private func transcodeMore() throws(ExtractError) -> Bool {
        outputBase += outputEnd
        outputStart = 0
        outputEnd = 0
        while true {
            if inputEnd - inputStart < 4 && !sourceEnded { try refillInput() }
            if inputStart == inputEnd { return false }
            transcodeAvailableInput()
            if outputEnd > 0 { return true }
        }
    }

    private func refillInput() throws(ExtractError) {
        let remaining = inputEnd - inputStart
        if inputStart > 0 {
            input.update(from: input + inputStart, count: remaining)
            inputBase += inputStart
            inputStart = 0
            inputEnd = remaining
        }
        while inputEnd < Self.inputCapacity {
            let count = try source.read(
                into: UnsafeMutableRawBufferPointer(start: input + inputEnd, count: Self.inputCapacity - inputEnd))
            if count == 0 {
                sourceEnded = true
                return
            }
            inputEnd += count
            if inputEnd - inputStart >= 4 { return }
        }
    }

    private func transcodeAvailableInput() {
        var index = inputStart
        var written = outputEnd
        let end = inputEnd
        while index + 2 <= end && written + 4 <= Self.outputCapacity {
            let unit = codeUnit(at: index)
            var scalar = UInt32(unit)
            var unitBytes = 2
            if unit & 0xF800 == 0xD800 {
                if unit < 0xDC00 && index + 4 <= end {
                    let next = codeUnit(at: index + 2)
                    if next & 0xFC00 == 0xDC00 {
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(next) - 0xDC00)
                        unitBytes = 4
                    }
                } else if unit < 0xDC00 && !sourceEnded {
                    break  // the low surrogate has not been read yet
                }
                if unitBytes == 2 {
                    checkpoints.append(
                        Checkpoint(
                            output: outputBase + written, source: inputBase + index, problem: .unpairedSurrogate(unit)))
                    output[written] = 0xFF
                    written += 1
                    index += 2
                    continue
                }
            }
            written += encodeUTF8(scalar, at: written)
            index += unitBytes
            if scalar == 0x0A {
                checkpoints.append(Checkpoint(output: outputBase + written, source: inputBase + index, problem: nil))
            }
        }
        if sourceEnded && index + 1 == end && written < Self.outputCapacity {
            checkpoints.append(
                Checkpoint(
                    output: outputBase + written, source: inputBase + index, problem: .loneTrailingByte(input[index])))
            output[written] = 0xFF
            written += 1
            index += 1
        }
        inputStart = index
        outputEnd = written
    }

    @inline(__always)
    private func codeUnit(at index: Int) -> UInt16 {
        let first = UInt16(input[index])
        let second = UInt16(input[index + 1])
        return bigEndian ? first << 8 | second : second << 8 | first
    }

    @inline(__always)
    private func encodeUTF8(_ scalar: UInt32, at position: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            output[position] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[position] = UInt8(0xC0 | scalar >> 6)
            output[position + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[position] = UInt8(0xE0 | scalar >> 12)
            output[position + 1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            output[position + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[position] = UInt8(0xF0 | scalar >> 18)
            output[position + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
            output[position + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            output[position + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
