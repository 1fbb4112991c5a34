/// An error from the mock server: an invalid stub file, a stub that does not fit the
/// schema, or a request the admin service cannot carry out.
public struct MockError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a small open set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidStub, unreadableFile, unknownMethod, internalError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A stub that is malformed or does not fit its method's types.
        public static let invalidStub = Code(.invalidStub)
        /// A stub file or directory that cannot be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// A stub names a method the server does not serve.
        public static let unknownMethod = Code(.unknownMethod)
        /// A failure that should not happen.
        public static let internalError = Code(.internalError)

        public var description: String { "\(value)" }
    }

    /// The code.
    public var code: Code
    /// The one-line message, already naming the file, line and field path when known.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
