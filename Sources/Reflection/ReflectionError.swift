/// An error from fetching a schema over server reflection.
public struct ReflectionError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``ReflectionError``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable { case unsupported, notFound, failed, invalidResponse }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The server serves neither reflection v1 nor v1alpha.
        public static let unsupported = Code(.unsupported)
        /// The server does not know the symbol or file asked for.
        public static let notFound = Code(.notFound)
        /// The reflection call ended with an error status.
        public static let failed = Code(.failed)
        /// The server answered with something that is not a valid reflection response.
        public static let invalidResponse = Code(.invalidResponse)

        public var description: String { "\(value)" }
    }

    public var code: Code
    public var message: String
    /// Close names, for ``Code/notFound``.
    public var suggestions: [String]
    public var cause: (any Error & Sendable)?

    public init(code: Code, message: String, suggestions: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.suggestions = suggestions
        self.cause = cause
    }

    public var description: String { message }
}
