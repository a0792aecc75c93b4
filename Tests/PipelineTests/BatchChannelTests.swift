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
