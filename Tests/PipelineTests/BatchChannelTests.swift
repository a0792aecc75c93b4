import Foundation
import Testing

@testable import Pipeline

@Suite("batch channel between the extracting and the normalizing thread")
struct BatchChannelTests {
    @Test("every batch arrives once, in order, and receive ends after finish")
    func deliversInOrder() {
        let channel = BatchChannel<[Int]>(capacity: 2)
        let consumer = BackgroundJob { () -> [Int] in
            var seen: [Int] = []
            while let batch = channel.receive() { seen += batch }
            return seen
        }
        for start in stride(from: 0, to: 1000, by: 10) {
            #expect(channel.send(Array(start..<start + 10)))
        }
        channel.finish()
        #expect(consumer.wait() == Array(0..<1000))
        #expect(!channel.isCancelled)
    }

    @Test("a consumer that cancels releases a producer waiting for room, and later sends fail")
    func cancelReleasesTheProducer() {
        let channel = BatchChannel<[Int]>(capacity: 1)
        #expect(channel.send([1]))
        let producer = BackgroundJob { () -> Bool in channel.send([2]) }  // waits: the channel is full
        Thread.sleep(forTimeInterval: 0.05)
        channel.cancel()
        #expect(producer.wait() == false)
        #expect(channel.send([3]) == false)
        #expect(channel.receive() == nil)
        #expect(channel.isCancelled)
    }

    @Test("trySend queues only while there is room")
    func trySendWhileThereIsRoom() {
        let channel = BatchChannel<[Int]>(capacity: 2)
        #expect(channel.trySend([1]))
        #expect(channel.trySend([2]))
        #expect(!channel.trySend([3]))
        #expect(channel.receive() == [1])
        #expect(channel.trySend([4]))
        channel.finish()
        #expect(channel.receive() == [2])
        #expect(channel.receive() == [4])
        #expect(channel.receive() == nil)
    }

    @Test("a producer that cancels ends the consumer's loop, which can tell it was cancelled")
    func producerCancel() {
        let channel = BatchChannel<[Int]>(capacity: 4)
        #expect(channel.send([1, 2]))
        channel.cancel()
        #expect(channel.receive() == nil)
        #expect(channel.isCancelled)
    }
}

/// Where each tracked value was freed: the thread that ran its `deinit`.
private final class FreeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var threads: [pthread_t] = []

    func record() {
        lock.lock()
        threads.append(pthread_self())
        lock.unlock()
    }

    var freedOn: [pthread_t] {
        lock.lock()
        defer { lock.unlock() }
        return threads
    }
}

private final class Tracked: Sendable {
    let log: FreeLog
    init(_ log: FreeLog) { self.log = log }
    deinit { log.record() }
}

@Suite("batches held by their sender")
struct SentBatchesTests {
    @Test("the receiver's count grows by one per batch handed out, not per empty or refused call")
    func receivedCount() {
        let channel = BatchChannel<[Int]>(capacity: 1)
        #expect(channel.receivedCount == 0)
        #expect(channel.trySend([1]))
        #expect(!channel.trySend([2]))
        #expect(channel.receivedCount == 0)
        #expect(channel.receive() == [1])
        #expect(channel.receivedCount == 1)
        channel.finish()
        #expect(channel.receive() == nil)
        #expect(channel.receivedCount == 1)
    }

    @Test("every batch kept by the sender is freed on the sender's thread, never on the receiver's")
    func freedBySender() {
        let log = FreeLog()
        let channel = BatchChannel<[Tracked]>(capacity: 2)
        let receiver = BackgroundJob { () -> Int in
            var count = 0
            while let batch = channel.receive() { count += batch.count }
            return count
        }
        let sender = pthread_self()
        do {
            var sent = SentBatches<[Tracked]>()
            for _ in 0..<200 {
                let batch = (0..<16).map { _ in Tracked(log) }
                #expect(channel.send(batch))
                sent.keep(batch, sentOn: channel)
            }
            channel.finish()
            #expect(receiver.wait() == 3200)
            withExtendedLifetime(sent) {}
        }
        let threads = log.freedOn
        #expect(threads.count == 3200)
        #expect(threads.allSatisfy { pthread_equal($0, sender) != 0 })
    }

    @Test("each finished batch is shown to the sender once, in order, and only when the receiver has moved past it")
    func finishedBatchesAreShownOnce() {
        let channel = BatchChannel<[Int]>(capacity: 4)
        var sent = SentBatches<[Int]>()
        var finished: [[Int]] = []
        for n in 1...3 {
            #expect(channel.send([n]))
            sent.keep([n], sentOn: channel) { finished.append($0) }
        }
        #expect(finished.isEmpty, "nothing received yet")
        #expect(channel.receive() == [1])
        #expect(channel.receive() == [2])
        // The receiver holds [2] until it asks for the next batch: only [1] is finished.
        #expect(channel.send([4]))
        sent.keep([4], sentOn: channel) { finished.append($0) }
        #expect(finished == [[1]])
        #expect(channel.receive() == [3])
        #expect(channel.send([5]))
        sent.keep([5], sentOn: channel) { finished.append($0) }
        #expect(finished == [[1], [2]])
    }
}
