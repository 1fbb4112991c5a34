/// The lifecycle of one HTTP/2 connection, shared by both sides. It does no I/O: events
/// return what the handler must do.
struct ConnectionStateMachine {
    private enum State {
        /// Waiting for the peer's first SETTINGS. Next: `ready` or `closed`.
        case starting
        /// Streams may be opened. Next: `draining` or `closed`.
        case ready
        /// A GOAWAY was sent or received: no new streams; existing ones finish. Next: `closed`.
        case draining(goAwayReceived: Bool)
        /// The channel is closed. Terminal.
        case closed
    }

    private var state: State = .starting

    enum OnSettings: Equatable {
        /// The handshake completed: report the connection ready.
        case becameReady
        case none
    }

    enum OnGoAway: Equatable {
        /// Stop starting streams; close once the active ones are done.
        case beginDraining
        case none
    }

    enum OnClosed: Equatable {
        /// The connection never became ready: fail whoever waits for it.
        case failReady
        /// Fail every active stream.
        case failStreams
        case none
    }

    /// Whether new streams may be started.
    var acceptsNewStreams: Bool {
        if case .ready = state { return true }
        return false
    }

    /// Whether the connection is draining or closed.
    var isDrainingOrClosed: Bool {
        switch state {
        case .draining, .closed: true
        case .starting, .ready: false
        }
    }

    /// Whether the peer sent GOAWAY.
    var goAwayReceived: Bool {
        if case .draining(true) = state { return true }
        return false
    }

    mutating func receivedSettings() -> OnSettings {
        guard case .starting = state else { return .none }
        state = .ready
        return .becameReady
    }

    mutating func receivedGoAway() -> OnGoAway {
        switch state {
        case .starting, .ready:
            state = .draining(goAwayReceived: true)
            return .beginDraining
        case .draining(false):
            state = .draining(goAwayReceived: true)
            return .none
        case .draining(true), .closed:
            return .none
        }
    }

    /// The local side starts a graceful shutdown. Returns true if it should send GOAWAY.
    mutating func beginShutdown() -> Bool {
        switch state {
        case .starting, .ready:
            state = .draining(goAwayReceived: false)
            return true
        case .draining, .closed:
            return false
        }
    }

    mutating func channelClosed() -> OnClosed {
        switch state {
        case .starting:
            state = .closed
            return .failReady
        case .ready, .draining:
            state = .closed
            return .failStreams
        case .closed:
            return .none
        }
    }
}
