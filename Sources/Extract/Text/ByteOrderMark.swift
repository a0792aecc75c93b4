/// A byte order mark at the start of a text file.
enum ByteOrderMark: Equatable {
    case utf8
    case utf16LittleEndian
    case utf16BigEndian

    /// The mark at the start of `bytes`, if any.
    static func detect(_ bytes: ArraySlice<UInt8>) -> ByteOrderMark? {
        let start = bytes.startIndex
        if bytes.count >= 3 && bytes[start] == 0xEF && bytes[start + 1] == 0xBB && bytes[start + 2] == 0xBF {
            return .utf8
        }
        if bytes.count >= 2 && bytes[start] == 0xFF && bytes[start + 1] == 0xFE { return .utf16LittleEndian }
        if bytes.count >= 2 && bytes[start] == 0xFE && bytes[start + 1] == 0xFF { return .utf16BigEndian }
        return nil
    }

    /// Length of the mark in bytes.
    var length: Int { self == .utf8 ? 3 : 2 }

    /// What the mark says, for messages.
    var description: String {
        switch self {
        case .utf8: "a UTF-8 byte order mark (EF BB BF)"
        case .utf16LittleEndian: "a UTF-16 little-endian byte order mark (FF FE)"
        case .utf16BigEndian: "a UTF-16 big-endian byte order mark (FE FF)"
        }
    }

    /// The encoding the mark announces, in the mapping's spelling.
    var encoding: TextEncoding { self == .utf8 ? .utf8 : .utf16 }
}
