import Foundation

/// Hands batches from one producing thread to one consuming thread, holding at most `capacity`
/// batches, so a fast producer waits instead of filling memory. Either side can stop the other:
/// the producer with `finish()` (no more batches), the consumer with `cancel()` (stop sending).
///
/// Unchecked Sendable: every stored property is read and written only under `condition`.
final class BatchChannel<Batch: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    /// How many batches `receive()` has handed out.
    private var received = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a channel holds at least one batch")
        self.capacity = capacity
    }

    /// Waits for room, then queues `batch`; false when the consumer has cancelled (the batch is
    /// dropped and the producer should stop).
    func send(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Queues `batch` if there is room right now; false when the channel is full (or cancelled),
    /// so the producer can do something useful instead of waiting.
    func trySend(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled, batches.count < capacity else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// No more batches will be sent.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: pending and future batches are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Whether either side cancelled.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next batch in sending order, waiting for one; nil once the producer has finished and
    /// every batch was received, or after `cancel()`.
    func receive() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished && !cancelled { condition.wait() }
        guard !cancelled, !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        received += 1
        condition.broadcast()
        return batch
    }

    /// How many batches the consumer has received so far. A consumer that handles one batch at
    /// a time and keeps nothing of it is done with every batch but the last one received.
    var receivedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return received
    }
}

/// The batches a producer has sent, held by it until the consumer is done with them, so that
/// their memory is freed by the thread that allocated it.
///
/// Freed by the consuming thread, each batch's arrays and strings go back to the producing
/// thread's glibc arena under that arena's lock, which the producer needs for every allocation:
/// extracting and normalising one million records, the two threads waited on it thousands of
/// times, the reading thread inside `malloc` (docs/performance.md).
struct SentBatches<Batch: Sendable> {
    private var batches: [Batch] = []
    /// How many batches were dropped from the front of `batches`.
    private var dropped = 0

    /// Keeps `batch`, just sent on `channel`, and drops those the consumer has finished with:
    /// every batch before the last one it received (it handles one batch at a time and keeps
    /// nothing of it).
    ///
    /// `finishing` sees each finished batch just before it is dropped, when the only reference to
    /// it is here (to take back what can be used again).
    mutating func keep(
        _ batch: Batch, sentOn channel: BatchChannel<Batch>, finishing: (inout Batch) -> Void = { _ in }
    ) {
        batches.append(batch)
        let finished = channel.receivedCount - 1 - dropped
        if finished > 0 {
            for index in 0..<finished { finishing(&batches[index]) }
            batches.removeFirst(finished)
            dropped += finished
        }
    }
}

/// Runs `body` on a new thread and lets the caller wait for its result (as often as it likes:
/// waits after the first return at once).
final class BackgroundJob<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the thread before it signals `done`; read only after waiting on it.
    private var result: Result?
    /// Set by the waiting thread after its first wait (only that thread reads it).
    private var joined = false

    init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            result = body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the thread to end and returns what `body` returned.
    func wait() -> Result {
        if !joined {
            done.wait()
            joined = true
        }
        return result!
    }
}

/// Moves a value that is not Sendable to the one thread that uses it from then on.
///
/// Unchecked Sendable: the sender hands the value over and never touches it again, so it is
/// only ever used by one thread at a time.
final class HandOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
