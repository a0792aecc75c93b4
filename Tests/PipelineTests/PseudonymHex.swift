import HexDigits
import Normalize

extension Pseudonym {
    /// The pseudonym spelled by `hex`, 64 lower-case hex digits (any other text is a mistake in
    /// the test and stops it).
    init(testHex hex: String) {
        var bytes = [UInt8](repeating: 0, count: Pseudonym.byteCount)
        let valid = bytes.withUnsafeMutableBytes { out in
            Array(hex.utf8).withUnsafeBufferPointer { hex.utf8.count == 64 && Hex.decodeLowercase($0, into: out) }
        }
        precondition(valid, "\(hex) is not 64 lower-case hex digits")
        self = bytes.withUnsafeBytes { Pseudonym(bytes: $0.baseAddress!) }
    }
}
