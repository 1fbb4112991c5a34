import Certs
import Foundation
import Testing

@Suite("KeyType")
struct KeyTypeTests {
    @Test("key types parse by name; unknown names list the choices")
    func keyTypes() throws {
        #expect(try KeyType.parse("RSA-3072") == .rsa3072)
        #expect(throws: CertsError.self) { try KeyType.parse("dsa-1024") }
        do {
            _ = try KeyType.parse("dsa-1024")
        } catch let error as CertsError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519"))
        }
    }
}
