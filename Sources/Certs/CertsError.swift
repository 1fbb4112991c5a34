/// An error from making, reading, writing or verifying certificates and keys.
///
/// ``code`` says what kind of problem it is; ``message`` is one line meant for
/// a person and already names the file or value at fault; ``path`` is that
/// file when there is one; ``cause`` is the underlying error, if any.
public struct CertsError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``CertsError``. A struct over a private enum, so codes can
    /// be added without breaking anyone's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidArgument, invalidHost, malformedInput, unreadableFile
            case keyMismatch, notACertificateAuthority, passphraseRequired, wrongPassphrase
            case fileExists, notWritable, verificationFailed, internalError
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A value out of range: `--days 0`, an unknown key type, an empty common name.
        public static let invalidArgument = Code(.invalidArgument)
        /// A host that is neither a valid DNS name (wildcards allowed leftmost) nor an IP address.
        public static let invalidHost = Code(.invalidHost)
        /// A file that is not the PEM certificate or private key it should be.
        public static let malformedInput = Code(.malformedInput)
        /// An input file that is missing or cannot be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// A CA private key that is not the key of the CA certificate.
        public static let keyMismatch = Code(.keyMismatch)
        /// A certificate used as a CA whose basicConstraints do not say CA:TRUE.
        public static let notACertificateAuthority = Code(.notACertificateAuthority)
        /// An encrypted private key and no passphrase to open it.
        public static let passphraseRequired = Code(.passphraseRequired)
        /// An encrypted private key that the given passphrase does not open.
        public static let wrongPassphrase = Code(.wrongPassphrase)
        /// An output file that already exists (and overwriting was not asked for).
        public static let fileExists = Code(.fileExists)
        /// An output directory that is missing or not writable, or a failed write.
        public static let notWritable = Code(.notWritable)
        /// A certificate chain that does not verify; the message gives OpenSSL's reason.
        public static let verificationFailed = Code(.verificationFailed)
        /// A failure inside OpenSSL that no input explains.
        public static let internalError = Code(.internalError)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// One line for a person.
    public var message: String
    /// The file the problem is about, when there is one.
    public var path: String?
    /// The underlying error, when there is one.
    public var cause: (any Error & Sendable)?

    public init(code: Code, message: String, path: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause
    }

    public var description: String { message }
}
