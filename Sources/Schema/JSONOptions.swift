/// How JSON is printed and parsed by ``SchemaPool``.
public struct JSONOptions: Sendable, Hashable {
    /// Print fields that hold their default value (zero, empty, first enum value).
    public var emitDefaults: Bool
    /// Use field names as written in the `.proto` file instead of lowerCamelCase.
    public var useProtoNames: Bool
    /// Print enum values as numbers instead of names.
    public var enumsAsNumbers: Bool
    /// Indent the output over several lines.
    public var indent: Bool
    /// When parsing, skip JSON fields that the message type does not have.
    public var ignoreUnknownFields: Bool

    public init(
        emitDefaults: Bool = false,
        useProtoNames: Bool = false,
        enumsAsNumbers: Bool = false,
        indent: Bool = false,
        ignoreUnknownFields: Bool = false
    ) {
        self.emitDefaults = emitDefaults
        self.useProtoNames = useProtoNames
        self.enumsAsNumbers = enumsAsNumbers
        self.indent = indent
        self.ignoreUnknownFields = ignoreUnknownFields
    }
}
