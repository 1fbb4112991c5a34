import SwiftProtobuf
import Testing
import WireProtos

/// The message subset tolerates what other specification versions send.
@Suite struct WireCompatibilityTests {
    /// A v1.5.3 server sends Service field 26 as a BoolValue message (wire type 2); the
    /// subset leaves 26 undeclared, so it is kept as an unknown field.
    @Test func serviceField26AsAMessageDecodes() throws {
        var service = V1_Service()
        service.name = .with { $0.value = "svc" }
        var bytes: [UInt8] = try service.serializedBytes()
        bytes += [0xD2, 0x01, 0x02, 0x08, 0x01]  // field 26, length-delimited: BoolValue{value: true}
        let decoded = try V1_Service(serializedBytes: bytes)
        #expect(decoded.name.value == "svc")
        #expect(!decoded.unknownFields.data.isEmpty)

        var response = V1_DiscoverResponse()
        response.code = .with { $0.value = 200000 }
        var outer: [UInt8] = try response.serializedBytes()
        outer += [0x22, UInt8(bytes.count)] + bytes  // field 4 (service)
        outer += [0xF2, 0x06, 0x00]  // field 110, an unknown empty message
        let parsed = try V1_DiscoverResponse(serializedBytes: outer)
        #expect(parsed.code.value == 200000 && parsed.service.name.value == "svc")
    }

    /// Field 26 as a plain bool (v1.8.0) decodes too.
    @Test func serviceField26AsABoolDecodes() throws {
        let bytes: [UInt8] = [0x0A, 0x05, 0x0A, 0x03, 0x73, 0x76, 0x63, 0xD0, 0x01, 0x01]
        let decoded = try V1_Service(serializedBytes: bytes)
        #expect(decoded.name.value == "svc")
    }
}
