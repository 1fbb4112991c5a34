internal import CProtoBridge

/// A symbol rendered as proto source.
public struct RenderedSymbol: Sendable, Hashable {
    /// "message", "enum", "service", "method", "field", "enum value", "extension" or "file".
    public var kind: String
    /// The fully qualified name that was looked up.
    public var name: String
    /// Proto source text, with comments when the schema came from `.proto` files.
    public var source: String
}

extension SchemaPool {
    /// The service of that fully qualified name.
    public func service(named name: String) -> ServiceInfo? {
        let wanted = SymbolIndex.trimDot(name)
        return services.first { $0.name == wanted }
    }

    /// Finds a method by any of the spellings users type: `pkg.Svc/Method`,
    /// `/pkg.Svc/Method` or `pkg.Svc.Method`.
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/unknownSymbol`` and
    ///   close names as suggestions.
    public func method(named name: String) throws -> MethodInfo {
        var spelled = name.hasPrefix("/") ? String(name.dropFirst()) : name
        spelled = SymbolIndex.trimDot(spelled)
        let serviceName: String
        let methodName: String
        if let slash = spelled.lastIndex(of: "/") {
            serviceName = String(spelled[..<slash])
            methodName = String(spelled[spelled.index(after: slash)...])
        } else if let dot = spelled.lastIndex(of: ".") {
            serviceName = String(spelled[..<dot])
            methodName = String(spelled[spelled.index(after: dot)...])
        } else {
            serviceName = ""
            methodName = spelled
        }
        if let service = service(named: serviceName), let method = service.methods.first(where: { $0.name == methodName }) {
            return method
        }
        let all = services.flatMap { $0.methods.map { "\($0.serviceName)/\($0.name)" } }
        let suggestions = closeNames(to: "\(serviceName)/\(methodName)", among: all)
        let what = service(named: serviceName) == nil && !serviceName.isEmpty
            ? "unknown service \"\(serviceName)\"" : "unknown method \"\(spelled)\""
        return try Self.throwUnknown(what, suggestions: suggestions)
    }

    /// Every fully qualified name the pool can describe: services, methods,
    /// messages and enums.
    public var symbolNames: [String] {
        services.map(\.name) + services.flatMap { $0.methods.map(\.fullName) } + messageNames + enumNames
    }

    /// Renders a symbol as proto source (what `describe` prints).
    ///
    /// - Throws: ``SchemaError`` with ``SchemaError/Code/unknownSymbol`` and
    ///   close names as suggestions.
    public func render(symbol: String) throws -> RenderedSymbol {
        let name = SymbolIndex.trimDot(symbol.replacingSlash())
        var error = cpb_error()
        var text: UnsafeMutablePointer<CChar>?
        var kind: UnsafeMutablePointer<CChar>?
        guard cpb_render_symbol(handle, name, &text, &kind, &error) == 0, let text, let kind else {
            let failure = SchemaError(taking: &error)
            if failure.code == .unknownSymbol {
                return try Self.throwUnknown(
                    "unknown symbol \"\(name)\"", suggestions: closeNames(to: name, among: symbolNames))
            }
            throw failure
        }
        defer {
            cpb_free(text)
            cpb_free(kind)
        }
        return RenderedSymbol(kind: String(cString: kind), name: name, source: String(cString: text))
    }

    /// The name of the file that defines `symbol`.
    public func fileName(containing symbol: String) throws -> String {
        let name = SymbolIndex.trimDot(symbol.replacingSlash())
        var error = cpb_error()
        var out: UnsafeMutablePointer<CChar>?
        guard cpb_file_containing_symbol(handle, name, &out, &error) == 0, let out else {
            let failure = SchemaError(taking: &error)
            if failure.code == .unknownSymbol {
                return try Self.throwUnknown(
                    "unknown symbol \"\(name)\"", suggestions: closeNames(to: name, among: symbolNames))
            }
            throw failure
        }
        defer { cpb_free(out) }
        return String(cString: out)
    }

    private static func throwUnknown<T>(_ what: String, suggestions: [String]) throws -> T {
        var message = what
        if !suggestions.isEmpty {
            message += "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: " or ") + "?"
        }
        throw SchemaError(code: .unknownSymbol, message: message, suggestions: suggestions)
    }
}

extension String {
    /// `pkg.Svc/Method` -> `pkg.Svc.Method`; other names unchanged.
    fileprivate func replacingSlash() -> String {
        var s = hasPrefix("/") ? String(dropFirst()) : self
        if let slash = s.lastIndex(of: "/") { s.replaceSubrange(slash...slash, with: ".") }
        return s
    }
}
