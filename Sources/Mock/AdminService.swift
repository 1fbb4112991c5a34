import Foundation
import NIOCore
import RPC
import SwiftProtobuf
import WireProtos

/// `polarisctl.mock.v1.Admin`: stubs, journal and health of a running mock server.
struct AdminService: Sendable {
    let server: MockServer

    func install(into router: inout RPCRouter) {
        unary(WireMethod.MockAdmin.addStubs, &router) { (request: Polarisctl_Mock_V1_AddStubsRequest) in
            var compiled: [Stub] = []
            for (i, stub) in request.stubs.enumerated() {
                do {
                    compiled.append(try server.loader.load(json: stub.json, id: stub.id, method: stub.method))
                } catch let error as MockError {
                    throw AdminFailure(status: GRPCStatus(code: .invalidArgument, message: "stubs[\(i)]: \(error.message)"))
                }
            }
            var response = Polarisctl_Mock_V1_AddStubsResponse()
            response.ids = server.stubs.add(compiled)
            return response
        }
        unary(WireMethod.MockAdmin.removeStubs, &router) { (request: Polarisctl_Mock_V1_RemoveStubsRequest) in
            var response = Polarisctl_Mock_V1_RemoveStubsResponse()
            let path = request.method.isEmpty ? nil : "/" + request.method
            response.removed = UInt32(server.stubs.remove(ids: request.ids, path: path, all: request.all))
            return response
        }
        unary(WireMethod.MockAdmin.listStubs, &router) { (request: Polarisctl_Mock_V1_ListStubsRequest) in
            var response = Polarisctl_Mock_V1_ListStubsResponse()
            response.stubs = server.stubs.all.filter { request.method.isEmpty || $0.method == request.method }.map { stub in
                var out = Polarisctl_Mock_V1_Stub()
                out.id = stub.id
                out.method = stub.method
                out.json = stub.json
                return out
            }
            return response
        }
        unary(WireMethod.MockAdmin.readJournal, &router) { (request: Polarisctl_Mock_V1_ReadJournalRequest) in
            let read = server.journal.read(method: request.method, after: request.afterSequence, limit: Int(request.limit))
            var response = Polarisctl_Mock_V1_ReadJournalResponse()
            response.lastSequence = read.last
            response.entries = read.entries.map { entry in
                var out = Polarisctl_Mock_V1_JournalEntry()
                out.sequence = entry.sequence
                out.time = Google_Protobuf_Timestamp(date: entry.time)
                out.method = entry.method
                out.headers = entry.headers.map { name, value in
                    var header = Polarisctl_Mock_V1_Header()
                    header.name = name
                    header.value = value
                    return header
                }
                out.requestJson = server.journal.requestJSON(entry)
                out.statusCode = Int32(entry.status.rawValue)
                out.statusMessage = entry.statusMessage
                out.latency = Google_Protobuf_Duration(rounding: entry.latency)
                out.stubID = entry.stubID
                out.peer = entry.peer
                return out
            }
            return response
        }
        unary(WireMethod.MockAdmin.clearJournal, &router) { (_: Polarisctl_Mock_V1_ClearJournalRequest) in
            var response = Polarisctl_Mock_V1_ClearJournalResponse()
            response.cleared = UInt64(server.journal.clear())
            return response
        }
        unary(WireMethod.MockAdmin.setHealth, &router) { (request: Polarisctl_Mock_V1_SetHealthRequest) in
            var response = Polarisctl_Mock_V1_SetHealthResponse()
            response.previous = server.health.set(request.status, for: request.service)
            return response
        }
    }

    /// Registers a unary admin method: decode, run, encode; a thrown status is the answer.
    private func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: WireMethod, _ router: inout RPCRouter, _ body: @escaping @Sendable (Request) throws -> Response
    ) {
        router.registerUnary(method.path) { _, buffer, responder in
            guard let request = try? Request(serializedBytes: Array(buffer.readableBytesView)) else {
                responder.fail(GRPCStatus(code: .invalidArgument, message: "the request is not a valid \(Request.protoMessageName)"))
                return
            }
            do {
                let response = try body(request)
                responder.respond(ByteBuffer(bytes: (try? response.serializedBytes() as [UInt8]) ?? []))
            } catch let failure as AdminFailure {
                responder.fail(failure.status)
            } catch {
                responder.fail(GRPCStatus(code: .internal, message: "\(error)"))
            }
        }
    }
}

/// A status thrown by an admin method body.
struct AdminFailure: Error {
    var status: GRPCStatus
}
