public import NIOCore
public import RPC

/// The requests of a run: one or more compiled messages used round-robin, and metadata
/// whose values may be templates.
public struct RequestSource: Sendable {
    /// The messages, used in turn by request number.
    public let messages: [MessageTemplate]
    /// Metadata sent as is.
    public let constantMetadata: Metadata
    /// Metadata whose values are templates, rendered per request.
    public let templatedMetadata: [(key: String, value: Template)]

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - messages: At least one message.
    ///   - metadata: Metadata sent unchanged with every request.
    ///   - templatedMetadata: `(lower-case name, value template)` pairs rendered per request.
    /// - Throws: ``BenchError`` with ``BenchError/Code/invalidConfiguration`` when `messages` is empty.
    public init(
        messages: [MessageTemplate], metadata: Metadata = Metadata(),
        templatedMetadata: [(key: String, value: Template)] = []
    ) throws {
        guard !messages.isEmpty else {
            throw BenchError(code: .invalidConfiguration, message: "-d holds no request message")
        }
        self.messages = messages
        self.templatedMetadata = templatedMetadata.filter { !$0.value.isConstant }
        var constant = metadata
        for (key, value) in templatedMetadata where value.isConstant {
            var context = TemplateContext(random: SplitMix64(seed: 0))
            constant.addString(value.render(&context), forKey: key)
        }
        self.constantMetadata = constant
    }

    /// Whether a request's number matters: a template, or several messages taken in turn.
    public var usesRequestNumbers: Bool { messages.count > 1 || isTemplated }

    /// Whether any message or header has a template hole.
    public var isTemplated: Bool {
        !templatedMetadata.isEmpty || messages.contains { $0.constant == nil }
    }

    /// The message for request `context.requestNumber`.
    public func message(_ context: inout TemplateContext, allocator: ByteBufferAllocator) -> ByteBuffer {
        template(for: context).render(&context, allocator: allocator)
    }

    /// The message for request `context.requestNumber`: a constant message as it is, a
    /// templated one rendered into `buffer` (reused from request to request with `scratch`).
    @inline(__always)
    public func message(_ context: inout TemplateContext, scratch: inout TemplateScratch, reusing buffer: inout ByteBuffer) -> ByteBuffer {
        let template = template(for: context)
        if let constant = template.constant { return constant }
        template.render(&context, scratch: &scratch, into: &buffer)
        return buffer
    }

    @inline(__always)
    private func template(for context: TemplateContext) -> MessageTemplate {
        messages.count == 1 ? messages[0] : messages[Int(context.requestNumber % UInt64(messages.count))]
    }

    /// The metadata for one request.
    @inline(__always)
    public func metadata(_ context: inout TemplateContext) -> Metadata {
        if templatedMetadata.isEmpty { return constantMetadata }
        var result = constantMetadata
        for (key, value) in templatedMetadata { result.addString(value.render(&context), forKey: key) }
        return result
    }
}
