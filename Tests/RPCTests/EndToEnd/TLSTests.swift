import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import RPC

/// TLS and mutual TLS with certificates made by the `openssl` CLI, against the engine's
/// own server and against grpcio; and how mismatched setups fail.
@Suite("TLS", .serialized, .timeLimit(.minutes(3)))
struct TLSTests {
    let certs: TestCertificates

    init() throws {
        certs = try TestCertificates.shared.get()
    }

    private var serverTLS: ServerTLSConfiguration {
        ServerTLSConfiguration(certificateChainFile: certs.serverCert, privateKeyFile: certs.serverKey)
    }

    private var mutualServerTLS: ServerTLSConfiguration {
        ServerTLSConfiguration(certificateChainFile: certs.serverCert, privateKeyFile: certs.serverKey, clientCAFile: certs.caCert)
    }

    private func clientTLS(clientCert: Bool = false, ca: String? = nil, serverName: String? = nil) -> ClientTLSConfiguration {
        ClientTLSConfiguration(
            trustRoots: .pemFile(ca ?? certs.caCert), serverName: serverName,
            certificateChainFile: clientCert ? certs.clientCert : nil, privateKeyFile: clientCert ? certs.clientKey : nil)
    }

    private func expectCode(_ code: RPCError.Code, _ label: String = "", _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(label): expected \(code), but it succeeded")
        } catch let error as RPCError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected RPCError \(code), got \(error)")
        }
    }

    @Test("engine client <-> engine server over TLS, by IP and by name override")
    func engineTLS() async throws {
        try await withEngineServer(configuration: ServerConfiguration(tls: serverTLS)) { server in
            let port = try #require(server.port)
            for tls in [clientTLS(), clientTLS(serverName: "localhost")] {
                let connection = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: tls), eventLoopGroup: testGroup)
                let response = try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "secret"))
                #expect(response.message?.text == "secret")
                await connection.close()
            }
            // Insecure mode accepts the certificate without a CA.
            let insecure = try await RPCConnection.connect(
                to: .tcp(host: "localhost", port: port),
                configuration: ClientConfiguration(tls: ClientTLSConfiguration(insecureSkipVerify: true)), eventLoopGroup: testGroup)
            #expect(try await insecure.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "i")).status.code == .ok)
            await insecure.close()

            // An untrusted CA fails the handshake; so does a wrong server name.
            await expectCode(.tlsHandshakeFailed, "untrusted CA") {
                _ = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS(ca: certs.otherCACert)),
                    eventLoopGroup: testGroup)
            }
            // Plaintext to a TLS server fails fast with a telling code.
            await expectCode(.tlsRequiredByServer) {
                _ = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(connectTimeout: .seconds(30)),
                    eventLoopGroup: testGroup)
            }
        }
        // TLS to a plaintext server fails fast too.
        try await withEngineServer { server in
            await expectCode(.tlsHandshakeFailed) {
                _ = try await RPCConnection.connect(
                    to: server.localAddress, configuration: ClientConfiguration(tls: clientTLS(), connectTimeout: .seconds(30)),
                    eventLoopGroup: testGroup)
            }
        }
    }

    @Test("the server name override is verified against a certificate without IP names")
    func serverNameOverride() async throws {
        let tls = ServerTLSConfiguration(certificateChainFile: certs.dnsOnlyServerCert, privateKeyFile: certs.serverKey)
        try await withEngineServer(configuration: ServerConfiguration(tls: tls)) { server in
            let port = try #require(server.port)
            let good = try await RPCConnection.connect(
                to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS(serverName: "localhost")),
                eventLoopGroup: testGroup)
            #expect(try await good.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "n")).message?.text == "n")
            await good.close()
            await expectCode(.tlsHandshakeFailed, "wrong name") {
                _ = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS(serverName: "wrong.example")),
                    eventLoopGroup: testGroup)
            }
            await expectCode(.tlsHandshakeFailed, "IP not in certificate") {
                _ = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS()),
                    eventLoopGroup: testGroup)
            }
        }
    }

    @Test("mutual TLS: a client certificate is required and accepted")
    func engineMutualTLS() async throws {
        try await withEngineServer(configuration: ServerConfiguration(tls: mutualServerTLS)) { server in
            let port = try #require(server.port)
            let connection = try await RPCConnection.connect(
                to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS(clientCert: true)),
                eventLoopGroup: testGroup)
            #expect(try await connection.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "m")).message?.text == "m")
            await connection.close()

            // Without a client certificate the server rejects the handshake.
            do {
                let rejected = try await RPCConnection.connect(
                    to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(tls: clientTLS()), eventLoopGroup: testGroup)
                // With TLS 1.3 the rejection may surface on the first call instead.
                await expectCode(.tlsHandshakeFailed) {
                    _ = try await rejected.unary(path: "/test.Echo/Unary", request: ByteBuffer(text: "m"))
                }
            } catch let error as RPCError {
                #expect(error.code == .tlsHandshakeFailed, "\(error)")
            }
        }
    }

    @Test("engine client -> grpcio server with TLS and mutual TLS", .enabled(if: PythonPeer.isAvailable))
    func pythonTLS() async throws {
        let peer = try PythonPeer(server: ["--cert", certs.serverCert, "--key", certs.serverKey])
        defer { peer.stop() }
        let connection = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: peer.port), configuration: ClientConfiguration(tls: clientTLS()), eventLoopGroup: testGroup)
        #expect(try await connection.unary(path: "/echo.Echo/Unary", request: ByteBuffer(text: "py")).message?.text == "py")
        await connection.close()
        // grpcio closes silently on plaintext; the error says what probably happened.
        do {
            _ = try await RPCConnection.connect(to: .tcp(host: "127.0.0.1", port: peer.port), eventLoopGroup: testGroup)
            Issue.record("plaintext connected to a TLS server")
        } catch let error as RPCError {
            #expect(error.code == .tlsRequiredByServer || (error.code == .connectionClosed && error.message.contains("TLS")), "\(error)")
        }

        let mutual = try PythonPeer(server: ["--cert", certs.serverCert, "--key", certs.serverKey, "--client-ca", certs.caCert])
        defer { mutual.stop() }
        let mtls = try await RPCConnection.connect(
            to: .tcp(host: "127.0.0.1", port: mutual.port), configuration: ClientConfiguration(tls: clientTLS(clientCert: true)),
            eventLoopGroup: testGroup)
        #expect(try await mtls.unary(path: "/echo.Echo/Unary", request: ByteBuffer(text: "mtls")).message?.text == "mtls")
        await mtls.close()
    }

    @Test("grpcio client -> engine server over TLS", .enabled(if: PythonPeer.isAvailable))
    func pythonClientTLS() async throws {
        try await withEngineServer(configuration: ServerConfiguration(tls: serverTLS), router: TestRouter.make(service: "echo.Echo")) { server in
            let port = try #require(server.port)
            let result = try PythonPeer.runClient(target: "localhost:\(port)", arguments: ["--ca", certs.caCert])
            #expect(result["unary"] as? String == "hello")
            #expect(result["bidi"] as? [String] == ["one", "two", "three"])
        }
    }
}

/// Connection failures are told apart.
@Suite("Connect errors", .timeLimit(.minutes(2)))
struct ConnectErrorTests {
    @Test("connection refused")
    func refused() async throws {
        // Bind a port, close it, then connect to it.
        let server = try await RPCServer.bind(to: .tcp(host: "127.0.0.1", port: 0), router: RPCRouter(), eventLoopGroup: testGroup)
        let port = try #require(server.port)
        await server.closeNow()
        do {
            _ = try await RPCConnection.connect(to: .tcp(host: "127.0.0.1", port: port), eventLoopGroup: testGroup)
            Issue.record("connected to a closed port")
        } catch let error as RPCError {
            #expect(error.code == .connectionRefused, "\(error)")
        }
    }

    @Test("no Unix socket")
    func missingSocket() async throws {
        do {
            _ = try await RPCConnection.connect(to: .unix(path: "/tmp/does-not-exist-\(getpid()).sock"), eventLoopGroup: testGroup)
            Issue.record("connected to a missing socket")
        } catch let error as RPCError {
            #expect(error.code == .connectionRefused, "\(error)")
        }
    }

    @Test("DNS failure")
    func dns() async throws {
        do {
            _ = try await RPCConnection.connect(
                to: .tcp(host: "no-such-host.invalid", port: 443), configuration: ClientConfiguration(connectTimeout: .seconds(20)),
                eventLoopGroup: testGroup)
            Issue.record("resolved an .invalid name")
        } catch let error as RPCError {
            #expect(error.code == .dnsFailure, "\(error)")
        }
    }

    @Test("a server that accepts but never speaks HTTP/2 hits the connect timeout")
    func silentServer() async throws {
        let silent = try await ServerBootstrap(group: testGroup).bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        do {
            _ = try await RPCConnection.connect(
                to: .tcp(host: "127.0.0.1", port: port), configuration: ClientConfiguration(connectTimeout: .milliseconds(300)),
                eventLoopGroup: testGroup)
            Issue.record("connected to a silent server")
        } catch let error as RPCError {
            #expect(error.code == .connectTimeout, "\(error)")
        }
    }

    @Test("a peer that is not HTTP/2 is a protocol error")
    func notHTTP2() async throws {
        let garbage = try await ServerBootstrap(group: testGroup)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP1Responder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { garbage.close(promise: nil) }
        let port = try #require(garbage.localAddress?.port)
        do {
            _ = try await RPCConnection.connect(to: .tcp(host: "127.0.0.1", port: port), eventLoopGroup: testGroup)
            Issue.record("connected to an HTTP/1 server")
        } catch let error as RPCError {
            #expect(error.code == .protocolError, "\(error)")
        }
    }
}

/// Answers anything with an HTTP/1.1 error, like a plain web server would.
final class HTTP1Responder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        buffer.writeString("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
