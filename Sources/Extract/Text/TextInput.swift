/// The start of a text file after its byte order mark was checked against the declared
/// encoding: the bytes to split into records (UTF-16 already transcoded to UTF-8).
struct TextInput {
    /// Source of the bytes that follow `prefix`.
    var source: any ByteSource
    /// Bytes already read that come first (after the byte order mark).
    var prefix: ArraySlice<UInt8>
    /// Offset in the file of `prefix`'s first byte; for UTF-16, offsets are those of the UTF-8
    /// output (starting at 0) and `transcoder` maps line starts back to the file.
    var prefixOffset: Int
    /// Set for UTF-16 input.
    var transcoder: UTF16TranscodingSource?

    /// Reads the first bytes of `source` and checks the byte order mark against `encoding`.
    static func open(
        _ source: any ByteSource, encoding: TextEncoding, displayName: String
    ) throws(ExtractError) -> TextInput {
        var source = source
        let capacity = 64 * 1024
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer { head.deallocate() }
        var count = 0
        while count < 4 {
            let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: head[count...]))
            if read == 0 { break }
            count += read
        }
        let bytes = [UInt8](head[0..<count])[...]
        let mark = ByteOrderMark.detect(bytes)
        if let mark, mark.encoding != encoding {
            throw ExtractError(
                .encoding, file: displayName, byteOffset: 0,
                message: "the file starts with \(mark.description), but the mapping declares "
                    + "\(encoding.rawValue); if the file really is \(mark.encoding.rawValue), "
                    + "set `encoding: \(mark.encoding.rawValue)` in the member's mapping")
        }
        switch (encoding, mark) {
        case (.utf16, .utf16LittleEndian), (.utf16, .utf16BigEndian):
            let transcoder = UTF16TranscodingSource(
                wrapping: source, bigEndian: mark == .utf16BigEndian, prefix: bytes.dropFirst(2), firstUnitOffset: 2)
            return TextInput(source: transcoder, prefix: [], prefixOffset: 0, transcoder: transcoder)
        case (.utf16, _):
            throw ExtractError(
                .encoding, file: displayName, byteOffset: 0,
                message: "the mapping declares utf-16, but the file does not start with a UTF-16 "
                    + "byte order mark (FF FE or FE FF); ask the member to export UTF-16 with a byte "
                    + "order mark, or correct the encoding in the member's mapping")
        default:
            let skip = mark?.length ?? 0
            return TextInput(source: source, prefix: bytes.dropFirst(skip), prefixOffset: skip, transcoder: nil)
        }
    }
}
