import CZlib
import Foundation

/// Where the generator's bytes go: a file, written through a fixed buffer, optionally through
/// gzip. Text is appended in the file's encoding (UTF-8, UTF-16 LE or Windows-1252).
final class ByteSink {
    enum Encoding {
        case utf8
        case utf16LittleEndian
        case windows1252
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let capacity = 1 << 18
    private let path: String
    private let encoding: Encoding
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var stream: UnsafeMutablePointer<z_stream>?
    private var output: [UInt8]
    /// Uncompressed bytes written so far.
    private(set) var bytesWritten = 0

    init(path: String, encoding: Encoding = .utf8, gzip: Bool = false) throws(Failure) {
        guard let file = fopen(path, "wb") else {
            throw Failure(description: "\(path): cannot create the file (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.encoding = encoding
        self.file = file
        buffer.reserveCapacity(Self.capacity + 4096)
        output = gzip ? [UInt8](repeating: 0, count: Self.capacity) : []
        if gzip {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // Level 6, windowBits 15 + 16: an RFC 1952 gzip stream with mtime 0, so the bytes
            // depend on the content only.
            guard hotline_deflate_init2(stream, 6, 15 + 16) == Z_OK else {
                stream.deallocate()
                fclose(file)
                throw Failure(description: "\(path): cannot start the gzip compressor")
            }
            self.stream = stream
        }
        if encoding == .utf16LittleEndian { buffer += [0xFF, 0xFE] }
    }

    deinit {
        if let stream {
            deflateEnd(stream)
            stream.deallocate()
        }
    }

    /// Appends text in the sink's encoding.
    func write(_ text: String) throws(Failure) {
        switch encoding {
        case .utf8:
            buffer.append(contentsOf: text.utf8)
        case .utf16LittleEndian:
            for unit in text.utf16 {
                buffer.append(UInt8(truncatingIfNeeded: unit))
                buffer.append(UInt8(truncatingIfNeeded: unit >> 8))
            }
        case .windows1252:
            for scalar in text.unicodeScalars {
                buffer.append(Self.windows1252(scalar))
            }
        }
        if buffer.count >= Self.capacity { try flush(finish: false) }
    }

    /// Writes what is buffered, finishes the gzip stream and closes the file.
    func close() throws(Failure) {
        try flush(finish: true)
        if fclose(file) != 0 {
            throw Failure(description: "\(path): cannot close the file (\(String(cString: strerror(errno))))")
        }
    }

    private func flush(finish: Bool) throws(Failure) {
        bytesWritten += buffer.count
        if let stream {
            try buffer.withUnsafeMutableBufferPointer { (input) throws(Failure) in
                stream.pointee.next_in = input.baseAddress
                stream.pointee.avail_in = UInt32(input.count)
                while true {
                    let produced: Int
                    let status: Int32
                    (status, produced) = output.withUnsafeMutableBufferPointer { out in
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = UInt32(out.count)
                        let status = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                        return (status, out.count - Int(stream.pointee.avail_out))
                    }
                    try writeRaw(output, count: produced)
                    if finish {
                        if status == Z_STREAM_END { break }
                        guard status == Z_OK || status == Z_BUF_ERROR else {
                            throw Failure(description: "\(path): gzip compression failed (\(status))")
                        }
                    } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                        break
                    }
                }
            }
        } else {
            try writeRaw(buffer, count: buffer.count)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeRaw(_ bytes: [UInt8], count: Int) throws(Failure) {
        guard count > 0 else { return }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, count, file) }
        if written != count {
            throw Failure(description: "\(path): cannot write (\(String(cString: strerror(errno))))")
        }
    }

    /// The Windows-1252 byte of a scalar; `?` for the few the code page lacks.
    static func windows1252(_ scalar: Unicode.Scalar) -> UInt8 {
        let value = scalar.value
        if value < 0x80 || (0xA0...0xFF).contains(value) { return UInt8(value) }
        switch value {
        case 0x20AC: return 0x80  // €
        case 0x201E: return 0x84  // „
        case 0x2026: return 0x85  // …
        case 0x2018: return 0x91
        case 0x2019: return 0x92
        case 0x201C: return 0x93  // “
        case 0x201D: return 0x94  // ”
        case 0x2013: return 0x96  // –
        case 0x2014: return 0x97  // —
        default: return UInt8(ascii: "?")
        }
    }
}
