import FileWriteback
import Foundation

/// A staging file: an 8-byte magic, then length-prefixed blocks (u32 little-endian length +
/// bytes), then a zero length that marks a complete file. Written beside its final name and
/// renamed into place, read back one block at a time, so memory stays bounded by one block.
///
/// The file's write-out to disk is started as it grows (`WritebackPacer`), so the fsync in
/// `commit()` waits only for the last few MiB.
struct BlockFileWriter {
    private let handle: FileHandle
    let temporaryPath: String
    let finalPath: String
    /// A class box: the writer is a value shared by its copies (they write to one handle).
    private let pacer: PacerBox

    init(path: String, magic: String) throws {
        precondition(magic.utf8.count == 8, "staging magic is 8 bytes")
        finalPath = path
        temporaryPath = path + ".tmp"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: temporaryPath, contents: Data(magic.utf8)) else {
            throw StagingError("cannot create \(temporaryPath)")
        }
        guard let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw StagingError("cannot open \(temporaryPath) for writing")
        }
        self.handle = handle
        pacer = PacerBox(WritebackPacer(length: Int(try handle.seekToEnd())))
    }

    /// How much of the file its write-out has been asked for, from its start (tests read it).
    var writebackRequested: Int { pacer.value.requested }

    func append(_ block: [UInt8]) throws {
        try block.withUnsafeBytes { try append(prefix: [], $0) }
    }

    /// Writes one block made of `prefix` then `body`, without joining them into a new buffer
    /// (blocks are about 1 MiB: a copy per block costs a fresh mapping and its page faults).
    func append(prefix: [UInt8], _ body: UnsafeRawBufferPointer) throws {
        let length = UInt32(prefix.count + body.count).littleEndian
        let head = withUnsafeBytes(of: length) { Array($0) } + prefix
        try handle.write(contentsOf: head)
        try handle.write(contentsOf: body)
        pacer.value.wrote(head.count + body.count, to: handle.fileDescriptor)
    }

    /// Writes the end marker, flushes to disk and moves the file into place.
    func commit() throws {
        try handle.write(contentsOf: Data([0, 0, 0, 0]))
        try handle.synchronize()
        try handle.close()
        guard rename(temporaryPath, finalPath) == 0 else {
            throw StagingError("cannot move \(temporaryPath) into place: \(String(cString: strerror(errno)))")
        }
    }

    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}

/// The pacer of one open file, shared by the copies of its `BlockFileWriter`.
private final class PacerBox {
    var value: WritebackPacer
    init(_ value: WritebackPacer) { self.value = value }
}

/// Reads a `BlockFileWriter` file block by block; a missing end marker or a length past the end
/// of the file is a `StagingError` naming the file.
struct BlockFileReader {
    private let handle: FileHandle
    let path: String
    private var finished = false

    init(path: String, magic: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StagingError("cannot open the staged file \(path); rerun the previous stage")
        }
        self.handle = handle
        let head = try handle.read(upToCount: 8) ?? Data()
        guard head == Data(magic.utf8) else {
            throw StagingError("\(path) is not a staging file of this kind (bad magic); rerun the previous stage")
        }
    }

    /// The next block, or nil after the end marker.
    mutating func next() throws -> [UInt8]? {
        guard !finished else { return nil }
        guard let lengthBytes = try handle.read(upToCount: 4), lengthBytes.count == 4 else {
            throw StagingError("\(path) is incomplete (no end marker); rerun the previous stage")
        }
        let length = Int(lengthBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }.littleEndian)
        if length == 0 {
            finished = true
            try? handle.close()
            return nil
        }
        guard let block = try handle.read(upToCount: length), block.count == length else {
            throw StagingError("\(path) is truncated; rerun the previous stage")
        }
        return [UInt8](block)
    }
}

/// A staging file could not be written or read back.
struct StagingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Groups encoded items into blocks of `itemsPerBlock`, each prefixed with its item count.
struct CountedBlockWriter {
    private let file: BlockFileWriter
    private let itemsPerBlock: Int
    /// The block being filled: encode one item into it, then call `endItem()`.
    var block = BinaryWriter(capacity: 1 << 20)
    private var inBlock = 0
    /// Called with each block's bytes (without the count) and its number of items, right after
    /// the block is written.
    var onBlock: ((UnsafeRawBufferPointer, Int) -> Void)?

    init(path: String, magic: String, itemsPerBlock: Int = 4096) throws {
        file = try BlockFileWriter(path: path, magic: magic)
        self.itemsPerBlock = itemsPerBlock
    }

    /// Writes a block that holds no items (a header).
    func appendRaw(_ bytes: [UInt8]) throws { try file.append(bytes) }

    mutating func endItem() throws {
        inBlock += 1
        if inBlock == itemsPerBlock { try flush() }
    }

    private mutating func flush() throws {
        guard inBlock > 0 else { return }
        var counted = BinaryWriter(capacity: 10)
        counted.varint(UInt64(inBlock))
        try block.withBytes { try file.append(prefix: counted.bytes, $0) }
        if let onBlock { block.withBytes { onBlock($0, inBlock) } }
        block.removeAll()
        inBlock = 0
    }

    mutating func commit() throws {
        try flush()
        try file.commit()
    }

    func abandon() { file.abandon() }
}

/// Reads what `CountedBlockWriter` wrote, one item at a time.
struct CountedBlockReader {
    private var file: BlockFileReader
    /// Positioned at the current item after `nextItem()` returned true.
    var block = BinaryReader([])
    private var remainingInBlock = 0
    var path: String { file.path }

    init(path: String, magic: String) throws {
        file = try BlockFileReader(path: path, magic: magic)
    }

    /// The next raw block (a header written with `appendRaw`).
    mutating func rawBlock() throws -> [UInt8]? { try file.next() }

    /// Moves to the next item; false at the end of the file.
    mutating func nextItem(damaged: StagingError) throws -> Bool {
        if remainingInBlock == 0 {
            guard let bytes = try file.next() else { return false }
            block = BinaryReader(bytes)
            do { remainingInBlock = Int(try block.varint()) } catch { throw damaged }
        }
        remainingInBlock -= 1
        return true
    }
}
