/// An error from preparing or running a benchmark.
///
/// ``code`` says what kind of problem it is; ``message`` is one line for a person that
/// already names the flag, template or file concerned.
public struct BenchError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``BenchError``; a struct over a private enum so codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidTemplate, invalidRequest, invalidSchedule, invalidSLO, invalidConfiguration, unsupportedMethod
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A template with an unknown variable, bad arguments or an unclosed `{{`.
        public static let invalidTemplate = Code(.invalidTemplate)
        /// Request JSON that does not fit the method's input type.
        public static let invalidRequest = Code(.invalidRequest)
        /// A load or concurrency schedule that cannot run (zero step, end before start, …).
        public static let invalidSchedule = Code(.invalidSchedule)
        /// An `--slo` expression that does not parse.
        public static let invalidSLO = Code(.invalidSLO)
        /// Settings that contradict each other or cannot run.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A method kind or field the engine cannot drive.
        public static let unsupportedMethod = Code(.unsupportedMethod)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// One line for a person.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind.
    ///   - message: One line for a person.
    ///   - cause: The underlying error.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
