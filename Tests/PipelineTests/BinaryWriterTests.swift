import DatasetContract
import Normalize
import Testing

@testable import Pipeline

/// The staging codec's writer: values written into room reserved for many at once read back
/// exactly, and a value that does not fit its room stops the program instead of overrunning it.
@Suite struct BinaryWriterTests {
    static let key = Pseudonym(testHex: (0..<32).map { String(format: "%02x", $0) }.joined())

    @Test func valuesWrittenIntoOneReservationReadBackExactly() throws {
        var writer = BinaryWriter(capacity: 64)
        var previous = ""
        let long = String(repeating: "é", count: 5_000)
        let room = 12 * BinaryWriter.Room.mostBeyondText + long.utf8.count + 32 + "DE-IVK".utf8.count
        writer.withRoom(room) { room in
            room.varint(300); room.int(-5); room.byte(7); room.string(long)
            room.optionalInt(nil); room.optionalInt(42); room.optionalString(nil); room.optionalBool(true)
            room.repeatedString("DE-IVK", previous: &previous); room.repeatedString("DE-IVK", previous: &previous)
            room.key(Self.key)
        }
        #expect(Self.key.keyDigest == KeyDigest(high: 0x0001_0203_0405_0607, low: 0x0809_0a0b_0c0d_0e0f))
        #expect(writer.count < room, "the writer keeps what was written, not the room")
        var reader = BinaryReader(writer.bytes)
        var read = ""
        #expect(try reader.varint() == 300)
        #expect(try reader.int() == -5)
        #expect(try reader.byte() == 7)
        #expect(try reader.string() == long)
        #expect(try reader.optionalInt() == nil)
        #expect(try reader.optionalInt() == 42)
        #expect(try reader.optionalString() == nil)
        #expect(try reader.optionalBool() == true)
        #expect(try reader.repeatedString(previous: &read) == "DE-IVK")
        #expect(try reader.repeatedString(previous: &read) == "DE-IVK")
        #expect(try reader.key() == Self.key)
        #expect(reader.isAtEnd)
    }

    @Test func aValueThatDoesNotFitItsRoomStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            var writer = BinaryWriter(capacity: 64)
            writer.withRoom(5) { $0.string("longer than five bytes") }
        }
    }
}

/// The check a staged text passes before it goes into a table: ASCII eight bytes at a time, the
/// rest by Swift's validation.
@Suite struct StagedTextValidationTests {
    /// A byte of 0x80 or above anywhere (in the first eight bytes, the second eight or the tail
    /// after them) sends the value to the full check; alone, it is no UTF-8.
    @Test func aNonASCIIByteAnywhereIsNoticed() {
        let ascii = Array("source-file-01.csv.gz".utf8)  // 21 bytes: two words and a tail of 5
        #expect(ascii.withUnsafeBytes(BinaryReader.isUTF8))
        for position in ascii.indices {
            var bytes = ascii
            bytes[position] = 0xFF
            #expect(!bytes.withUnsafeBytes(BinaryReader.isUTF8), "0xFF at \(position)")
            bytes[position] = 0x80  // a continuation byte with no lead byte
            #expect(!bytes.withUnsafeBytes(BinaryReader.isUTF8), "0x80 at \(position)")
        }
    }

    @Test func multiByteUTF8PassesAndABrokenSequenceDoesNot() {
        #expect(Array("Ausreißer, persönlich".utf8).withUnsafeBytes(BinaryReader.isUTF8))
        #expect(Array("😀👩‍👧".utf8).withUnsafeBytes(BinaryReader.isUTF8))
        #expect([UInt8]().withUnsafeBytes(BinaryReader.isUTF8))
        var cut = Array("Ausreißer".utf8)
        cut.removeLast(3)  // "Ausrei" and the lead byte of "ß" without its continuation
        #expect(!cut.withUnsafeBytes(BinaryReader.isUTF8))
    }
}
