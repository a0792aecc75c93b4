import FileWriteback
import Foundation
import Testing

@testable import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("staged files start their write-out as they grow")
struct WritebackPacerTests {
    private static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("writeback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("asks for the write-out once a full interval is written, from where the last request ended")
    func requestsEveryInterval() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let descriptor = open(folder.appendingPathComponent("file").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var pacer = WritebackPacer(interval: 4096, length: 8)
        func append(_ count: Int) {
            let bytes = [UInt8](repeating: 0x5a, count: count)
            #expect(write(descriptor, bytes, count) == count)
            pacer.wrote(count, to: descriptor)
        }
        #expect(write(descriptor, [UInt8](repeating: 0, count: 8), 8) == 8)
        for _ in 0..<4 { append(1000) }
        #expect(pacer.written == 4008)
        #expect(pacer.requested == 8)  // 4000 bytes since the last request: not yet
        append(1000)
        #expect(pacer.requested == 5008)
        append(4095)
        #expect(pacer.written == 9103)
        #expect(pacer.requested == 5008)
        append(1)
        #expect(pacer.requested == 9104)
        #expect(pacer.isActive)
    }

    @Test("a descriptor that cannot take the request (a pipe) turns the pacer off; the writes go on")
    func refusedRequestTurnsThePacerOff() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        var pacer = WritebackPacer(interval: 16)
        let bytes = [UInt8](repeating: 1, count: 48)
        #expect(write(ends[1], bytes, 16) == 16)
        pacer.wrote(16, to: ends[1])
        #expect(write(ends[1], bytes, 32) == 32)
        pacer.wrote(32, to: ends[1])
        #expect(pacer.written == 48)
        #if os(Linux)
            #expect(!pacer.isActive)  // sync_file_range on a pipe: ESPIPE
            #expect(pacer.requested == 0)
        #else
            #expect(pacer.isActive)  // no such call elsewhere: nothing to refuse
        #endif
        var received = [UInt8](repeating: 0, count: 48)
        #expect(read(ends[0], &received, 48) == 48)
        #expect(received == bytes)
    }

    @Test("a 20 MiB block file reads back block for block, its write-out asked for through its last full 8 MiB")
    func blockFileWrittenOutAsItGrows() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("blocks").path
        // Each block its own byte, with its number at both ends: a block read from the wrong place shows.
        let blocks = (0..<5).map { n in
            var block = [UInt8](repeating: UInt8(0x41 + n), count: 4 << 20)
            block[0] = UInt8(n)
            block[block.count - 1] = UInt8(n)
            return block
        }
        let writer = try BlockFileWriter(path: path, magic: "TESTBLK1")
        for block in blocks { try writer.append(block) }
        // 8 bytes of magic, then 4 + 4 MiB per block: a request after the 2nd and the 4th.
        #expect(writer.writebackRequested == 8 + 4 * (4 + (4 << 20)))
        try writer.commit()

        var reader = try BlockFileReader(path: path, magic: "TESTBLK1")
        var read: [[UInt8]] = []
        while let block = try reader.next() { read.append(block) }
        #expect(read.count == 5)
        #expect(read == blocks)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == 8 + 5 * (4 + (4 << 20)) + 4)
    }
}
