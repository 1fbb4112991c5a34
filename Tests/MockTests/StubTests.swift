import Foundation
import Mock
import NIOCore
import RPC
import Schema
import Testing

@Suite("Stub loading, matching and templates")
struct StubTests {
    static func loader() throws -> StubLoader {
        try StubLoader(schema: FakeMessageTests.pool())
    }

    @Test("templates: literal, request field, header; unknown placeholders rejected")
    func templates() throws {
        let body = try JSONValue(parsing: #"{"message":"Hi {{request.name}} from {{header.x-lang}}!","n":1}"#)
        let template = try #require(try ResponseTemplate.compile(body))
        #expect(template.usesRequest)
        let request = try JSONValue(parsing: #"{"name":"Ann"}"#)
        var metadata = Metadata()
        metadata.addString("fr", forKey: "x-lang")
        #expect(template.render(request: request, metadata: metadata) == #"{"message":"Hi Ann from fr!","n":1}"#)
        #expect(try ResponseTemplate.compile(try JSONValue(parsing: #"{"a":"plain"}"#)) == nil)
        #expect(throws: MockError.self) { try ResponseTemplate.compile(.string("{{nope}}")) }
        #expect(throws: MockError.self) { try ResponseTemplate.compile(.string("{{request.x")) }
    }

    @Test("contains is a subset test on objects and arrays")
    func contains() throws {
        let request = try JSONValue(parsing: #"{"a":{"b":1,"c":"x"},"list":[{"k":1},{"k":2}]}"#)
        #expect(request.contains(try JSONValue(parsing: #"{"a":{"b":1}}"#)))
        #expect(request.contains(try JSONValue(parsing: #"{"list":[{"k":2}]}"#)))
        #expect(!request.contains(try JSONValue(parsing: #"{"a":{"b":2}}"#)))
        #expect(!request.contains(try JSONValue(parsing: #"{"z":1}"#)))
    }

    @Test("loader: YAML list, match rules compiled, needsRequest only with body rules")
    func load() throws {
        let stubs = try Self.loader().load(text: """
            - method: helloworld.Greeter/SayHello
              match: {equals: {name: Ann}}
              response: {message: {message: exact}}
            - method: helloworld.Greeter.SayHello
              match: {headers: {x-a: "1"}}
              response: {message: {message: header}}
            - method: routeguide.RouteGuide/RouteChat
              match: {regex: {message: "^N"}, present: [location.latitude]}
              response: {error: {code: NOT_FOUND, message: none}}
            """, file: "t.yaml")
        #expect(stubs.count == 3)
        #expect(stubs[0].needsRequest)
        #expect(!stubs[1].needsRequest)
        #expect(stubs[1].path == "/helloworld.Greeter/SayHello")
        #expect(stubs[0].match.matches(requestText: #"{"name":"Ann"}"#, request: nil, metadata: Metadata()))
        #expect(!stubs[0].match.matches(requestText: #"{"name":"Bob"}"#, request: nil, metadata: Metadata()))
        var metadata = Metadata()
        metadata.addString("1", forKey: "x-a")
        #expect(stubs[1].match.matches(requestText: nil, request: nil, metadata: metadata))
        #expect(!stubs[1].match.matches(requestText: nil, request: nil, metadata: Metadata()))
        let note = try JSONValue(parsing: #"{"message":"Nice","location":{"latitude":1}}"#)
        #expect(stubs[2].match.matches(requestText: nil, request: note, metadata: Metadata()))
        #expect(!stubs[2].match.matches(requestText: nil, request: try JSONValue(parsing: #"{"message":"Nice"}"#), metadata: Metadata()))
        #expect(!stubs[2].match.matches(requestText: nil, request: try JSONValue(parsing: #"{"message":"Bad","location":{"latitude":1}}"#), metadata: Metadata()))
    }

    @Test("JSON stub files may be indented with tabs")
    func tabbedJSON() throws {
        // A tab before the first bracket makes YAML's scanner read an empty document.
        let text = "\t[\n\t{\n\t\t\"method\": \"helloworld.Greeter/SayHello\",\n\t\t\"response\": {\"message\": {\"message\": \"tab\"}}\n\t}\n]\n"
        let stubs = try Self.loader().load(text: text, file: "tabs.json")
        #expect(stubs.count == 1)
        #expect(stubs.first?.path == "/helloworld.Greeter/SayHello")
    }

    @Test("contains: a field written with its default value must be unset in the request")
    func containsDefaults() throws {
        let stubs = try Self.loader().load(text: """
            - method: routeguide.RouteGuide/RouteChat
              match: {contains: {message: "", location: {latitude: 0, longitude: 7}}}
              response: {message: {message: defaults}}
            - method: routeguide.RouteGuide/RouteChat
              match: {contains: {location: {latitude: 3}}}
              response: {message: {message: three}}
            """, file: "t.yaml")
        let match = stubs[0].match
        func request(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }
        #expect(match.matches(requestText: nil, request: try request(#"{"location":{"longitude":7}}"#), metadata: Metadata()))
        #expect(!match.matches(requestText: nil, request: try request(#"{"location":{"latitude":5,"longitude":7}}"#), metadata: Metadata()))
        #expect(!match.matches(requestText: nil, request: try request(#"{"message":"x","location":{"longitude":7}}"#), metadata: Metadata()))
        #expect(!match.matches(requestText: nil, request: try request(#"{"location":{"latitude":0}}"#), metadata: Metadata()))
        // Fields left out of the pattern stay free.
        #expect(stubs[1].match.matches(requestText: nil, request: try request(#"{"message":"m","location":{"latitude":3,"longitude":9}}"#), metadata: Metadata()))
    }

    @Test("loader errors name file:line and the field", arguments: [
        ("- method: helloworld.Greeter/SayHello\n  response: {message: {nmae: 1}}\n", "f.yaml:2", "nmae"),
        ("- method: helloworld.Greeter/SayHello\n  match: {regex: {nope: x}}\n  response: {message: {}}\n", "f.yaml:2", "'nope' is not a field path"),
        ("- method: helloworld.Greeter/SayHello\n  response: {error: {code: WHAT}}\n", "f.yaml:2", "unknown status"),
        ("- method: helloworld.Greeter/SayHello\n  respnse: {}\n", "f.yaml:2", "unknown stub field"),
        ("- method: helloworld.Greeter/SayHello\n  response: {message: {message: \"{{request.nope}}\"}}\n", "f.yaml:2", "request.nope"),
    ])
    func errors(text: String, location: String, detail: String) throws {
        do {
            _ = try Self.loader().load(text: text, file: "f.yaml")
            Issue.record("no error for \(text)")
        } catch let error as MockError {
            #expect(error.message.contains(location), "\(error.message)")
            #expect(error.message.contains(detail), "\(error.message)")
        }
    }

    @Test("store: priority first, then load order; limits; equals index")
    func store() throws {
        let loader = try Self.loader()
        let stubs = try loader.load(text: """
            - {id: low, method: helloworld.Greeter/SayHello, response: {message: {message: low}}}
            - {id: high, priority: 5, times: 1, method: helloworld.Greeter/SayHello, response: {message: {message: high}}}
            """, file: "s.yaml")
        let store = StubStore(stubs)
        #expect(store.all.map(\.id) == ["high", "low"])
        #expect(store.remove(ids: ["high"], path: nil, all: false) == 1)
        #expect(store.all.map(\.id) == ["low"])
        #expect(store.add(try loader.load(text: "{method: helloworld.Greeter/SayHello, response: {message: {}}}", file: "x")).count == 1)
        #expect(store.count == 2)
    }

    @Test("durations")
    func durations() throws {
        let stubs = try Self.loader().load(text: """
            - method: helloworld.Greeter/SayHello
              response: {message: {}, delay: {min: 10ms, max: 20ms}}
            """, file: "d.yaml")
        let delay = try #require(stubs[0].delay)
        for _ in 0..<20 {
            let picked = delay.pick().nanoseconds
            #expect(picked >= 10_000_000 && picked <= 20_000_000)
        }
    }
}

@Suite("StubMatch.Pattern")
struct PatternTests {
    @Test("plain-text patterns with anchors agree with the regex engine", arguments: [
        ("^wor", "world", true), ("^wor", "a world", false), ("ld$", "world", true), ("^world$", "world", true),
        ("^world$", "worlds", false), ("orl", "world", true), ("^per-1$", "per-10", false), ("w.rld", "world", true),
        ("^(a|b)$", "b", true), ("x+", "", false),
    ])
    func literal(pattern: String, text: String, expected: Bool) throws {
        let compiled = try StubMatch.Pattern(pattern)
        #expect(compiled.matches(text) == expected)
        let regex = try NSRegularExpression(pattern: pattern)
        #expect((regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil) == expected)
    }
}
