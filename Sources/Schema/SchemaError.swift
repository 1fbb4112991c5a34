/// An error from loading a schema or converting a message.
///
/// ``code`` says what kind of problem it is; ``message`` is one line meant for
/// a person; ``location`` and ``path`` say where, when known.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``SchemaError``. A struct over a private enum, so codes can
    /// be added without breaking anyone's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case protoSyntax, fileNotFound, outsideImportPath, unsupportedEditions
            case invalidDescriptors, unknownSymbol, invalidJSON, invalidBinary, ioError, internalError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A syntax or semantic error in a `.proto` file (undefined type, duplicate name, …).
        public static let protoSyntax = Code(.protoSyntax)
        /// A `.proto` file or an import that no import path holds.
        public static let fileNotFound = Code(.fileNotFound)
        /// A `.proto` file on disk that lies under none of the import paths.
        public static let outsideImportPath = Code(.outsideImportPath)
        /// A file written in protobuf editions, which the bundled parser cannot read.
        public static let unsupportedEditions = Code(.unsupportedEditions)
        /// A corrupt, truncated or conflicting protoset or file descriptor.
        public static let invalidDescriptors = Code(.invalidDescriptors)
        /// No service, method, message or enum of the requested name.
        public static let unknownSymbol = Code(.unknownSymbol)
        /// JSON that is malformed or does not fit the message type.
        public static let invalidJSON = Code(.invalidJSON)
        /// Bytes that are not a valid binary encoding of the message type.
        public static let invalidBinary = Code(.invalidBinary)
        /// A schema file that could not be read.
        public static let ioError = Code(.ioError)
        /// A failure inside the schema engine itself.
        public static let internalError = Code(.internalError)

        public var description: String { "\(value)" }
    }

    /// A place in a source file; line and column are 1-based, `nil` when unknown.
    public struct Location: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var column: Int?

        public init(file: String, line: Int? = nil, column: Int? = nil) {
            self.file = file
            self.line = line
            self.column = column
        }

        public var description: String {
            guard let line else { return file }
            return "\(file):\(line):\(column ?? 1)"
        }
    }

    public var code: Code
    /// One line for a person, already naming the location or path where it helps.
    public var message: String
    /// Where in a `.proto` file the problem is.
    public var location: Location?
    /// Where in a JSON document the problem is (`address.lines[2]`).
    public var path: String?
    /// Names that resemble an unknown symbol.
    public var suggestions: [String]

    public init(code: Code, message: String, location: Location? = nil, path: String? = nil, suggestions: [String] = []) {
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.suggestions = suggestions
    }

    public var description: String { message }
}
