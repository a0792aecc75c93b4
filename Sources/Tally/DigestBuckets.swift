import Foundation

/// Groups any number of `DigestEntry`s by digest in bounded memory, so duplicates can be found
/// and distinct digests counted without a hash set that grows with the input.
///
/// Entries are spread over `bucketCount` buckets by the top bits of the digest (digests are
/// keyed hashes, so the spread is even). Each bucket keeps up to `bufferedEntries` in memory and
/// appends the rest to its own temporary file; `forEachBucket` then hands over one bucket at a
/// time, sorted. Memory is therefore `bucketCount x bufferedEntries` entries while appending and
/// one bucket while visiting: with the defaults, 4 MiB, then about 1/64 of the entries. Inputs
/// that fit the buffers never touch the disk.
///
/// A reference type because it owns temporary files, which it removes when visited or released.
/// Not thread-safe: use it from one task (so its state is `@exclusivity(unchecked)`: no dynamic
/// exclusivity check on every append, which cost as much as the append itself).
public final class DigestBuckets {
    public let bucketCount: Int
    public let bufferedEntries: Int
    private let directory: String
    /// The buckets' buffers side by side, `bufferedEntries` each: bucket `b`'s entries are
    /// `buffered[b * bufferedEntries ..< b * bufferedEntries + filled[b]]`. One allocation, so an
    /// append is a store and an increment (an array per bucket cost two uniqueness checks).
    private let buffered: UnsafeMutablePointer<DigestEntry>
    private let filled: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var files: [FileHandle?]
    @exclusivity(unchecked) private var spilledCounts: [Int]
    @exclusivity(unchecked) private var createdDirectory = false
    private let shift: UInt64
    @exclusivity(unchecked) public private(set) var count = 0

    /// `directory` is where the bucket files go (created if needed, removed afterwards if it was
    /// created here); `bucketCount` is rounded up to a power of two.
    public init(directory: String, bucketCount: Int = 64, bufferedEntries: Int = 2048) {
        var buckets = 1
        while buckets < max(1, bucketCount) { buckets <<= 1 }
        self.bucketCount = buckets
        self.bufferedEntries = max(1, bufferedEntries)
        self.directory = directory
        self.shift = UInt64(64 - buckets.trailingZeroBitCount)
        // Reserved, not touched: the pages of a bucket's buffer are used only once entries reach it.
        buffered = .allocate(capacity: buckets * self.bufferedEntries)
        filled = .allocate(capacity: buckets)
        filled.initialize(repeating: 0, count: buckets)
        files = Array(repeating: nil, count: buckets)
        spilledCounts = Array(repeating: 0, count: buckets)
    }

    deinit {
        removeFiles()
        buffered.deallocate()  // DigestEntry is plain data: nothing to deinitialize
        filled.deallocate()
    }

    /// Bucket `b`'s buffered entries (valid until the next append or spill).
    private func heldEntries(of b: Int) -> UnsafeBufferPointer<DigestEntry> {
        UnsafeBufferPointer(start: buffered + b * bufferedEntries, count: filled[b])
    }

    /// A fresh folder under the system's temporary folder for one set of buckets.
    public static func temporaryDirectory(prefix: String) -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    }

    @inline(__always) private func bucket(of entry: DigestEntry) -> Int {
        shift == 64 ? 0 : Int(truncatingIfNeeded: entry.high >> shift)
    }

    /// Adds `entry`; a bucket whose buffer it fills is spilled to its file. Throws when that
    /// file cannot be written; a bucket left full that way is spilled again before the next
    /// entry goes into it (it never takes more than its buffer).
    public func append(_ entry: DigestEntry) throws(TallyError) {
        let b = bucket(of: entry)
        if filled[b] == bufferedEntries { try spill(b) }
        let n = filled[b]
        (buffered + b * bufferedEntries + n).initialize(to: entry)
        filled[b] = n + 1
        count += 1
        if n + 1 == bufferedEntries { try spill(b) }
    }

    private func path(_ bucket: Int) -> String {
        (directory as NSString).appendingPathComponent("bucket-\(bucket).bin")
    }

    private func spill(_ b: Int) throws(TallyError) {
        if files[b] == nil {
            if !createdDirectory {
                try Self.makeDirectories(directory)
                createdDirectory = true
            }
            guard FileManager.default.createFile(atPath: path(b), contents: nil),
                let handle = FileHandle(forWritingAtPath: path(b))
            else { throw TallyError("cannot create the temporary file \(path(b)): \(String(cString: strerror(errno)))") }
            files[b] = handle
        }
        let data = Data(buffer: heldEntries(of: b))
        do {
            try files[b]!.write(contentsOf: data)
        } catch {
            throw TallyError("cannot write the temporary file \(path(b)): \(error.localizedDescription)")
        }
        spilledCounts[b] += filled[b]
        filled[b] = 0
    }

    /// Calls `body` with each bucket's entries sorted by digest then payload, one bucket at a
    /// time, then removes the temporary files. Equal digests are always in the same bucket.
    public func forEachBucket(_ body: (UnsafeBufferPointer<DigestEntry>) throws -> Void) throws {
        defer { removeFiles() }
        for b in 0..<bucketCount {
            var entries: [DigestEntry] = []
            if let handle = files[b] {
                try? handle.close()
                files[b] = nil
                entries.reserveCapacity(spilledCounts[b] + filled[b])
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: path(b)))
                } catch {
                    throw TallyError("cannot read back the temporary file \(path(b)): \(error.localizedDescription)")
                }
                guard data.count == spilledCounts[b] * MemoryLayout<DigestEntry>.stride else {
                    throw TallyError(
                        "the temporary file \(path(b)) holds \(data.count) bytes, expected "
                            + "\(spilledCounts[b] * MemoryLayout<DigestEntry>.stride); was it changed during the run?")
                }
                data.withUnsafeBytes { raw in entries.append(contentsOf: raw.bindMemory(to: DigestEntry.self)) }
                try? FileManager.default.removeItem(atPath: path(b))
                entries.append(contentsOf: heldEntries(of: b))
            } else {
                entries = Array(heldEntries(of: b))
            }
            filled[b] = 0
            guard !entries.isEmpty else { continue }
            DigestSort.sort(&entries, sharedBits: bucketCount.trailingZeroBitCount)
            try entries.withUnsafeBufferPointer { try body($0) }
        }
    }

    /// `mkdir -p` with the system's reason on failure (Foundation's errors only say "error 512").
    private static func makeDirectories(_ path: String) throws(TallyError) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            var info = stat()
            if stat(built, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { continue }
            if mkdir(built, 0o700) != 0 && errno != EEXIST {
                throw TallyError(
                    "cannot create the temporary folder \(path): \(built): \(String(cString: strerror(errno)))")
            }
        }
    }

    private func removeFiles() {
        for b in files.indices {
            if let handle = files[b] {
                try? handle.close()
                files[b] = nil
            }
        }
        if createdDirectory {
            try? FileManager.default.removeItem(atPath: directory)
            createdDirectory = false
        }
    }
}
