public import NIOCore

/// An async sequence of received messages (responses on a client, requests on a server).
///
/// It buffers a bounded number of messages; while the consumer lags, the engine stops
/// returning HTTP/2 flow-control credit, so the peer stops sending. It throws ``RPCError``
/// when the connection or call fails; it simply ends when the peer has no more messages.
/// It may be iterated once.
public struct MessageStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    typealias Strategy = NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark
    typealias Producer = NIOThrowingAsyncSequenceProducer<ByteBuffer, any Error, Strategy, FlowControlDelegate>

    let producer: Producer

    /// Iterates the messages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        /// The next message, nil at the end.
        ///
        /// - Throws: ``RPCError`` when the call or connection failed.
        public mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// Creates a stream and the source that feeds it from the event loop.
    static func make(connection: NIOLoopBound<H2Connection>, handle: CallHandle) -> (MessageStream, Producer.Source) {
        let made = Producer.makeSequence(
            backPressureStrategy: Strategy(lowWatermark: 2, highWatermark: 8),
            finishOnDeinit: false,
            delegate: FlowControlDelegate(connection: connection, handle: handle))
        return (MessageStream(producer: made.sequence), made.source)
    }
}

/// Returns flow-control credit to the peer when the consumer wants more.
struct FlowControlDelegate: NIOAsyncSequenceProducerDelegate {
    let connection: NIOLoopBound<H2Connection>
    let handle: CallHandle

    func produceMore() {
        let connection = self.connection
        let handle = self.handle
        connection.eventLoop.execute {
            connection.value.resumeReading(slot: handle.slot, generation: handle.generation)
        }
    }

    func didTerminate() {
        // The consumer went away: keep reading (messages are dropped) so the connection
        // window does not starve.
        produceMore()
    }
}

extension MessageStream.Producer.Source {
    /// Yields from the event loop; returns whether more messages are wanted now.
    func yieldMessage(_ message: ByteBuffer) -> Bool {
        switch yield(message) {
        case .produceMore, .dropped: true
        case .stopProducing: false
        }
    }
}
