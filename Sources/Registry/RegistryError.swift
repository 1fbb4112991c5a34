/// An error from the registry module: a store that cannot be opened, a registry that
/// cannot be reached, or a registry that rejected a request.
///
/// A Polaris response code other than success is carried in ``responseCode`` with the
/// registry's own `info` text in ``message``.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``RegistryError``: a struct over a private enum, so codes can be added
    /// without breaking anyone's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidArgument, dataDirectory, corruptStore, storeLocked, storeFailure
            case unreachable, rejected, protocolError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A bad service name, host, port, weight, metadata entry or address.
        public static let invalidArgument = Code(.invalidArgument)
        /// The data directory is missing and cannot be created, or is not writable.
        public static let dataDirectory = Code(.dataDirectory)
        /// The data file exists but is not a registry database (nothing was overwritten).
        public static let corruptStore = Code(.corruptStore)
        /// Another registry process holds the data directory.
        public static let storeLocked = Code(.storeLocked)
        /// A read or write of the store failed.
        public static let storeFailure = Code(.storeFailure)
        /// The registry could not be reached (refused, unreachable, timed out, closed).
        public static let unreachable = Code(.unreachable)
        /// The registry answered with a Polaris error code (see ``RegistryError/responseCode``).
        public static let rejected = Code(.rejected)
        /// The registry answered with something that is not a Polaris answer.
        public static let protocolError = Code(.protocolError)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// One line for a person.
    public var message: String
    /// The Polaris response code for ``Code/rejected``.
    public var responseCode: UInt32?
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?

    public init(code: Code, message: String, responseCode: UInt32? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.responseCode = responseCode
        self.cause = cause
    }

    public var description: String { message }
}
