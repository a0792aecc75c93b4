import Synthetic  // SplitMix64
import Testing

@testable import Extract

/// `CSVScanner.fieldEnd`, which looks for the end of an unquoted field eight bytes at a time,
/// against the plain byte-by-byte rule it replaces.
@Suite struct CSVScannerTests {
    /// The byte-by-byte rule: the first delimiter, LF or CR at or after `start`, or the end.
    static func expectedEnd(_ bytes: [UInt8], from start: Int, delimiter: UInt8) -> Int {
        bytes[start...].firstIndex { $0 == delimiter || $0 == 0x0A || $0 == 0x0D } ?? bytes.count
    }

    static func fieldEnd(_ bytes: [UInt8], from start: Int, delimiter: UInt8) -> Int {
        bytes.withUnsafeBufferPointer { CSVScanner.fieldEnd(in: $0, from: start, delimiter: delimiter) }
    }

    @Test func findsEachStopByteAtEveryPositionOfAWord() {
        // A stop byte at offsets 0 to 19 after the start, with the start itself moved across a
        // word: every lane of the first, second and third word, and the byte-by-byte tail.
        for delimiter: UInt8 in [0x3B, 0x2C, 0x09, 0xA7] {
            for stop: UInt8 in [delimiter, 0x0A, 0x0D] {
                for start in 0..<9 {
                    for offset in 0..<20 {
                        var bytes = [UInt8](repeating: 0x61, count: start + 24)
                        bytes[start + offset] = stop
                        #expect(Self.fieldEnd(bytes, from: start, delimiter: delimiter) == start + offset)
                    }
                }
            }
        }
    }

    @Test func findsTheFirstOfSeveralStopBytes() {
        // Later stop bytes in the same word, and bytes one above a stop byte (0x0B, 0x0E, 0x3C),
        // which a borrow from a lower zero byte could mistake for a match above the first.
        let bytes: [UInt8] = [0x41, 0x0B, 0x0E, 0x3C, 0x3B, 0x0A, 0x0D, 0x3B, 0x41, 0x41, 0x41, 0x41]
        #expect(Self.fieldEnd(bytes, from: 0, delimiter: 0x3B) == 4)
        #expect(Self.fieldEnd(bytes, from: 5, delimiter: 0x3B) == 5)
        #expect(Self.fieldEnd(bytes, from: 6, delimiter: 0x3B) == 6)
        #expect(Self.fieldEnd(bytes, from: 8, delimiter: 0x3B) == 12)
    }

    @Test func noStopByteGivesTheEnd() {
        for count in 0..<20 {
            // Latin-1 and UTF-8 text: bytes with the high bit set never match an ASCII stop byte.
            let bytes = (0..<count).map { UInt8(0x80 + ($0 * 37) % 128) }
            #expect(Self.fieldEnd(bytes, from: 0, delimiter: 0x3B) == count)
        }
        #expect(Self.fieldEnd([], from: 0, delimiter: 0x3B) == 0)
    }

    @Test func agreesWithTheByteRuleOnRandomBytes() {
        // Bytes drawn mostly from the stop bytes and their neighbours, so matches, near misses
        // and borrows meet in every arrangement. A fixed generator: the same bytes every run.
        var generator = SplitMix64(seed: 0x116_000)
        let alphabet: [UInt8] = [0x3B, 0x3A, 0x3C, 0x0A, 0x0B, 0x09, 0x0D, 0x0E, 0x0C, 0x00, 0x01, 0x80, 0xFF, 0x61]
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 40)
            let bytes = (0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            for start in 0...count {
                #expect(
                    Self.fieldEnd(bytes, from: start, delimiter: 0x3B)
                        == Self.expectedEnd(bytes, from: start, delimiter: 0x3B))
            }
        }
    }
}
