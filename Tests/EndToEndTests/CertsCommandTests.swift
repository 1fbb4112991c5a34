import Foundation
import Testing

/// `polarisctl certs` on the built binary, checked with independent tools:
/// `openssl verify` / `openssl x509`, and grpcio (Python) as a TLS peer.
@Suite("certs (built binary)", .serialized)
struct CertsCommandTests {
    @Test("-q (anywhere on the line) leaves out the files-written report; errors still show")
    func quiet() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try CLI.run(["certs", "quick", "-q", "--hosts", "localhost", "--out", directory])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.output.isEmpty && made.stderr.isEmpty, "\(made.output)\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/client.key"))
        let again = try CLI.run(["--quiet", "certs", "quick", "--hosts", "localhost", "--out", directory])
        #expect(again.status == 9)
        #expect(again.stderr.contains("already exist"), "\(again.stderr)")
    }

    // MARK: Making certificates

    @Test("quick writes a CA, server and client that openssl verifies, keys 0600, and prints the flags")
    func quick() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(["certs", "quick", "--hosts", "localhost,127.0.0.1,::1,*.example.internal", "--out", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) ==
                ["ca.crt", "ca.key", "server.crt", "server.key", "client.crt", "client.key"])
        for key in ["ca.key", "server.key", "client.key"] {
            #expect(ExternalTool.mode(dir + "/" + key) == 0o600, "\(key)")
            #expect(try String(contentsOfFile: dir + "/" + key, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }
        #expect(ExternalTool.mode(dir + "/server.crt") == 0o644)
        #expect(result.output.contains(
            "polarisctl serve --tls-cert \(dir)/server.crt --tls-key \(dir)/server.key --client-ca \(dir)/ca.crt"))
        #expect(result.output.contains(
            "polarisctl call --cacert \(dir)/ca.crt --cert \(dir)/client.crt --key \(dir)/client.key localhost:PORT"))

        for leaf in ["server.crt", "client.crt"] {
            let verify = try ExternalTool.run("openssl", ["verify", "-CAfile", dir + "/ca.crt", dir + "/" + leaf])
            #expect(verify.status == 0 && verify.output.hasSuffix(": OK\n"), "\(verify.output)")
        }
        let server = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", dir + "/server.crt"]).output
        #expect(server.contains("DNS:localhost, DNS:*.example.internal, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
        #expect(server.contains("TLS Web Server Authentication"))
        #expect(server.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
        #expect(server.contains("CA:FALSE"))
        #expect(server.contains("Subject: CN = localhost"))
        let client = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", dir + "/client.crt"]).output
        #expect(client.contains("TLS Web Client Authentication"))
        #expect(client.contains("Subject: CN = polarisctl-client"))
        let ca = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", dir + "/ca.crt"]).output
        #expect(ca.contains("CA:TRUE, pathlen:1"))
        #expect(ca.contains("Certificate Sign, CRL Sign"))
        // Random serials of at least 64 bits.
        let serial = try ExternalTool.run("openssl", ["x509", "-noout", "-serial", "-in", dir + "/server.crt"]).output
        #expect(serial.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("serial=".count).count >= 16)
        // The private key matches the certificate.
        let certKey = try ExternalTool.run("openssl", ["x509", "-noout", "-pubkey", "-in", dir + "/server.crt"]).output
        let keyKey = try ExternalTool.run("openssl", ["pkey", "-pubout", "-in", dir + "/server.key"]).output
        #expect(!certKey.isEmpty && certKey == keyKey)
    }

    @Test("init, issue server and client for every key type; openssl verifies each", arguments: [
        "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "ed25519",
    ])
    func keyTypes(keyType: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["certs", "init", "--out", dir, "--key", keyType, "--cn", "Dev CA", "--days", "30"]).status == 0)
        let server = try CLI.run(["certs", "issue", "server", "--ca", dir, "--out", dir, "--hosts", "localhost,10.1.2.3",
                                  "--key", keyType, "--days", "7"])
        #expect(server.status == 0, "\(server.stderr)")
        let client = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "ci", "--key", keyType])
        #expect(client.status == 0, "\(client.stderr)")
        for leaf in ["server.crt", "client.crt"] {
            let verify = try ExternalTool.run("openssl", ["verify", "-CAfile", dir + "/ca.crt", dir + "/" + leaf])
            #expect(verify.status == 0, "\(keyType) \(leaf): \(verify.output)")
        }
        let text = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", dir + "/server.crt"]).output
        #expect(text.contains("DNS:localhost, IP Address:10.1.2.3"))
        if keyType.hasPrefix("rsa") { #expect(text.contains("Digital Signature, Key Encipherment")) }
        // --not-before and --days set the validity period exactly.
        let dated = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "x", "--name", "dated",
                                 "--not-before", "2030-01-02T00:00:00Z", "--days", "10"])
        #expect(dated.status == 0, "\(dated.stderr)")
        let dates = try ExternalTool.run("openssl", ["x509", "-noout", "-dates", "-in", dir + "/dated.crt"]).output
        #expect(dates == "notBefore=Jan  2 00:00:00 2030 GMT\nnotAfter=Jan 12 00:00:00 2030 GMT\n")
    }

    @Test("an intermediate CA: leaves carry the chain and openssl verifies them against the root")
    func intermediate() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = dir + "/root", issuing = dir + "/issuing"
        for sub in [root, issuing] { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false) }
        #expect(try CLI.run(["certs", "init", "--out", root]).status == 0)
        let made = try CLI.run(["certs", "init", "--intermediate", "--ca", root, "--out", issuing, "--cn", "Issuing CA"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try CLI.run(["certs", "issue", "server", "--ca", issuing, "--out", dir, "--hosts", "localhost"]).status == 0)
        #expect(try CLI.run(["certs", "issue", "client", "--ca", issuing, "--out", dir, "--cn", "svc"]).status == 0)
        let ca = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", issuing + "/ca.crt"]).output
        #expect(ca.contains("CA:TRUE, pathlen:0"))
        #expect(ca.contains("Issuer: CN = polarisctl CA"))
        for leaf in ["server.crt", "client.crt"] {
            let path = dir + "/" + leaf
            #expect(try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "BEGIN CERTIFICATE").count == 3)
            let verify = try ExternalTool.run("openssl", ["verify", "-CAfile", root + "/ca.crt", "-untrusted", path, path])
            #expect(verify.status == 0, "\(verify.output)")
            let alone = try ExternalTool.run("openssl", ["verify", "-CAfile", root + "/ca.crt", path])
            #expect(alone.status != 0)  // the chain really is needed
        }
        let inspect = try CLI.run(["certs", "inspect", dir + "/server.crt", "--verify", "--ca", root + "/ca.crt", "--host", "localhost"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.output.contains("certificate 1 of 2 (leaf)"))
        #expect(inspect.output.contains("verify:        OK"))
        // pathlen 0: the intermediate cannot sign another CA.
        let deeper = dir + "/deeper"
        try FileManager.default.createDirectory(atPath: deeper, withIntermediateDirectories: false)
        let tooDeep = try CLI.run(["certs", "init", "--intermediate", "--ca", issuing, "--out", deeper])
        #expect(tooDeep.status == 4)
        #expect(tooDeep.stderr.contains("pathlen 0"))
    }

    // MARK: Inspecting

    @Test("inspect shows names, key, validity, usages and fingerprint; JSON too; --verify fails with exit 7")
    func inspect() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let other = dir + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: false)
        #expect(try CLI.run(["certs", "quick", "--out", dir, "--days", "30"]).status == 0)
        #expect(try CLI.run(["certs", "init", "--out", other]).status == 0)
        let text = try CLI.run(["certs", "inspect", dir + "/server.crt", dir + "/server.key"])
        #expect(text.status == 0, "\(text.stderr)")
        let fingerprint = try ExternalTool.run("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", dir + "/server.crt"]).output
        for expected in ["subject:       CN=localhost", "issuer:        CN=polarisctl CA",
                         "names:         DNS:localhost, IP:127.0.0.1, IP:::1", "key:           EC P-256 (256 bits)",
                         "(expires in 29 days)", "key usage:     digitalSignature", "ext key usage: serverAuth",
                         "CA:            no", "private key:   EC P-256 (256 bits)",
                         "SHA-256:       " + (fingerprint.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "=").last ?? "?")] {
            #expect(text.output.contains(expected), "missing \(expected) in \(text.output)")
        }
        let json = try CLI.run(["certs", "inspect", "--format", "json", dir + "/ca.crt", dir + "/client.crt", "--verify", "--ca", dir + "/ca.crt"])
        #expect(json.status == 0, "\(json.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]]
        let ca = (parsed?.first?["certificates"] as? [[String: Any]])?.first
        #expect(ca?["isCA"] as? Bool == true)
        #expect(ca?["pathLength"] as? Int == 1)
        #expect((ca?["keyUsage"] as? [String])?.contains("keyCertSign") == true)
        let client = (parsed?.last?["certificates"] as? [[String: Any]])?.first
        #expect(client?["extendedKeyUsage"] as? [String] == ["clientAuth"])
        #expect(client?["daysUntilExpiry"] as? Int == 29)
        #expect((parsed?.last?["verification"] as? [String: Any])?["ok"] as? Bool == true)

        let untrusted = try CLI.run(["certs", "inspect", dir + "/server.crt", "--verify", "--ca", other + "/ca.crt"])
        #expect(untrusted.status == 7)
        #expect(untrusted.stderr == "polarisctl: verification failed: \(dir)/server.crt: unable to get local issuer certificate (at depth 0: CN=localhost)\n")
        #expect(untrusted.output.contains("verify:        FAILED: unable to get local issuer certificate"))
        let wrongHost = try CLI.run(["certs", "inspect", dir + "/server.crt", "--verify", "--ca", dir + "/ca.crt", "--host", "db.internal"])
        #expect(wrongHost.status == 7)
        #expect(wrongHost.stderr.contains("hostname mismatch"))

        let expired = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "old", "--name", "old",
                                   "--not-before", "2020-01-01", "--days", "30"])
        #expect(expired.status == 0, "\(expired.stderr)")
        let old = try CLI.run(["certs", "inspect", dir + "/old.crt", "--verify", "--ca", dir + "/ca.crt"])
        #expect(old.status == 7)
        #expect(old.output.contains("(EXPIRED)"))
        #expect(old.stderr.contains("certificate has expired"))
    }

    // MARK: Encrypted keys

    @Test("--encrypt-key writes an encrypted PKCS#8 key; the CA passphrase comes from a file or the environment")
    func encryptedKeys() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write("correct horse\n", to: dir + "/pass")
        try CLI.write("wrong\n", to: dir + "/wrong")
        let made = try CLI.run(["certs", "init", "--out", dir, "--encrypt-key", "--passphrase-file", dir + "/pass"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try String(contentsOfFile: dir + "/ca.key", encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let opened = try ExternalTool.run("openssl", ["pkey", "-noout", "-in", dir + "/ca.key", "-passin", "file:" + dir + "/pass"])
        #expect(opened.status == 0, "\(opened.output)")

        let none = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "x"])
        #expect(none.status == 4)
        #expect(none.stderr.contains("ca.key: the private key is encrypted and no passphrase was given"))
        let wrong = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "x", "--passphrase-file", dir + "/wrong"])
        #expect(wrong.status == 4)
        #expect(wrong.stderr == "polarisctl: \(dir)/ca.key: wrong passphrase for the private key\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/client.crt"))
        let viaEnv = try CLI.run(["certs", "issue", "client", "--ca", dir, "--out", dir, "--cn", "x"],
                                 environment: ["POLARISCTL_PASSPHRASE": "correct horse"])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        // --encrypt-key with no passphrase source and no terminal fails cleanly.
        let noSource = try CLI.run(["certs", "quick", "--out", dir + "/", "--encrypt-key", "--force"])
        #expect(noSource.status == 4)
        #expect(noSource.stderr.contains("--encrypt-key needs a passphrase"))
    }

    // MARK: Bad input

    @Test("bad input: one-line errors with documented exit codes, and nothing written", arguments: [
        BadInput(["certs", "init", "--out", "{dir}/missing"], 9, "{dir}/missing/ca.crt: directory {dir}/missing does not exist"),
        BadInput(["certs", "init", "--out", "{dir}/afile"], 9, "{dir}/afile is not a directory"),
        BadInput(["certs", "init", "--out", "{dir}/ca"], 9, "{dir}/ca/ca.crt, {dir}/ca/ca.key: already exist (--force overwrites)"),
        BadInput(["certs", "init", "--out", "{dir}", "--key", "dsa-1024"], 4, "unknown key type \"dsa-1024\" (expected one of: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519)"),
        BadInput(["certs", "init", "--out", "{dir}", "--days", "0"], 4, "the validity must be at least 1 day (got 0)"),
        BadInput(["certs", "init", "--out", "{dir}", "--days", "-5"], 4, "the validity must be at least 1 day (got -5)"),
        BadInput(["certs", "issue", "server", "--ca", "{dir}/ca", "--out", "{dir}", "--hosts", "localhost,bad_host"], 4, "invalid host \"bad_host\": character '_' is not allowed"),
        BadInput(["certs", "issue", "server", "--ca", "{dir}/ca", "--out", "{dir}", "--hosts", "300.1.2.3"], 4, "invalid host \"300.1.2.3\": not a valid IP address"),
        BadInput(["certs", "issue", "server", "--ca", "{dir}/ca", "--out", "{dir}", "--hosts", "fe80::1::2"], 4, "invalid host \"fe80::1::2\": not a valid IP address or DNS name"),
        BadInput(["certs", "issue", "server", "--ca", "{dir}/ca", "--out", "{dir}", "--hosts", "*.com"], 4, "a wildcard needs at least two labels"),
        BadInput(["certs", "issue", "server", "--ca", "{dir}/nowhere", "--out", "{dir}", "--hosts", "localhost"], 4, "CA directory {dir}/nowhere: no such directory"),
        BadInput(["certs", "issue", "client", "--ca", "{dir}/mismatch", "--out", "{dir}", "--cn", "x"], 4, "{dir}/mismatch/ca.crt: the CA private key does not match the CA certificate"),
        BadInput(["certs", "issue", "client", "--ca", "{dir}/notca", "--out", "{dir}", "--cn", "x"], 4, "{dir}/notca/ca.crt: \"CN=localhost\" is not a CA certificate (no CA:TRUE basic constraint)"),
        BadInput(["certs", "issue", "client", "--ca", "{dir}/ca", "--out", "{dir}/ca", "--cn", "x", "--name", "server"], 9, "{dir}/ca/server.crt, {dir}/ca/server.key: already exist (--force overwrites)"),
        BadInput(["certs", "issue", "client", "--ca", "{dir}/ca", "--out", "{dir}", "--cn", "x", "--days", "30", "--not-before", "yesterday"], 4, "--not-before \"yesterday\": not an ISO 8601 date"),
        BadInput(["certs", "inspect", "{dir}/afile"], 4, "{dir}/afile: neither a PEM certificate nor a PEM private key"),
        BadInput(["certs", "inspect", "{dir}/nothing.crt"], 4, "file {dir}/nothing.crt: no such file"),
        // Multi-file command failing on its last file: nothing of the set is written.
        BadInput(["certs", "quick", "--out", "{dir}/partial"], 9, "{dir}/partial/client.key: already exists (--force overwrites)"),
    ])
    func badInput(_ bad: BadInput) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Fixtures.make(in: dir)
        let before = ExternalTool.listing(dir)
        let result = try CLI.run(bad.arguments.map { $0.replacingOccurrences(of: "{dir}", with: dir) })
        let message = bad.message.replacingOccurrences(of: "{dir}", with: dir)
        #expect(result.status == bad.status, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("polarisctl: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(ExternalTool.listing(dir) == before, "files changed")
    }

    @Test("contradictory or malformed flags are usage errors (exit 2)", arguments: [
        (["certs", "init", "--intermediate"], "--intermediate needs --ca DIR"),
        (["certs", "init", "--ca", "somewhere"], "--ca is only used with --intermediate"),
        (["certs", "issue", "server", "--hosts", "localhost", "--name", "../x"], "--name must be a plain file name"),
        (["certs", "issue", "client"], "Missing expected argument '--cn <cn>'"),
        (["certs", "inspect", "x.crt", "--verify"], "--verify needs --ca FILE"),
        (["certs", "inspect", "x.crt", "--ca", "ca.crt"], "--ca and --host are only used with --verify"),
        (["certs", "init", "--days", "ten"], "The value 'ten' is invalid for '--days <days>'"),
    ])
    func usage(arguments: [String], message: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CLI.run(arguments, directory: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("--path-length sets the CA's pathlen; a negative one is an input error")
    func pathLength() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let negative = try CLI.run(["certs", "init", "--out", dir, "--path-length", "-1"])
        #expect(negative.status == 4)
        #expect(negative.stderr == "polarisctl: --path-length must be 0 or more (got -1)\n")
        #expect(try CLI.run(["certs", "init", "--out", dir, "--path-length", "0", "--cn", "Leaf-only CA"]).status == 0)
        let text = try ExternalTool.run("openssl", ["x509", "-noout", "-text", "-in", dir + "/ca.crt"]).output
        #expect(text.contains("CA:TRUE, pathlen:0"))
        #expect(text.contains("Subject: CN = Leaf-only CA"))
    }

    @Test("an unwritable output directory is a file error (exit 9) and leaves nothing")
    func unwritable() throws {
        let dir = try CLI.temporaryDirectory()
        defer {
            chmod(dir, 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        if getuid() != 0 {
            chmod(dir, 0o555)
            let result = try CLI.run(["certs", "quick", "--out", dir])
            #expect(result.status == 9)
            #expect(result.stderr == "polarisctl: \(dir)/ca.crt: directory \(dir) is not writable\n")
            chmod(dir, 0o755)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        } else if FileManager.default.fileExists(atPath: "/sys/kernel/ca.crt") == false,
                  FileManager.default.fileExists(atPath: "/sys/kernel") {
            // Permissions do not stop root; sysfs refuses new files even to root.
            let result = try CLI.run(["certs", "init", "--out", "/sys/kernel"])
            #expect(result.status == 9)
            #expect(result.stderr.hasPrefix("polarisctl: /sys/kernel/ca.crt: cannot be written ("))
        }
    }

    @Test("a CA made by openssl signs leaves; one whose key usage lacks keyCertSign is refused")
    func opensslCA() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = dir + "/good", bad = dir + "/bad"
        for (sub, usage) in [(good, "critical,keyCertSign,cRLSign"), (bad, "critical,digitalSignature")] {
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
            let made = try ExternalTool.run("openssl", [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", sub + "/ca.key", "-out", sub + "/ca.crt",
                "-subj", "/CN=OpenSSL CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=" + usage,
            ])
            #expect(made.status == 0, "\(made.output)")
        }
        let issued = try CLI.run(["certs", "issue", "server", "--ca", good, "--out", dir, "--hosts", "localhost"])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(try ExternalTool.run("openssl", ["verify", "-CAfile", good + "/ca.crt", dir + "/server.crt"]).status == 0)
        let refused = try CLI.run(["certs", "issue", "client", "--ca", bad, "--out", dir, "--cn", "x"])
        #expect(refused.status == 4)
        #expect(refused.stderr == "polarisctl: \(bad)/ca.crt: \"CN=OpenSSL CA\" may not sign certificates (key usage lacks keyCertSign)\n")
    }

    @Test("--force replaces existing files")
    func force() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["certs", "quick", "--out", dir]).status == 0)
        let first = try String(contentsOfFile: dir + "/ca.crt", encoding: .utf8)
        #expect(try CLI.run(["certs", "quick", "--out", dir]).status == 9)
        #expect(try CLI.run(["certs", "quick", "--out", dir, "--force"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/ca.crt", encoding: .utf8) != first)
        #expect(ExternalTool.mode(dir + "/ca.key") == 0o600)
    }

    // MARK: TLS with an independent peer (grpcio)

    @Test("a grpcio server with polarisctl's certificates: mutual TLS works, missing client cert, untrusted CA and wrong host fail",
          .enabled(if: GRPCIOTLSPeer.isAvailable))
    func grpcioMutualTLS() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let other = dir + "/other", wrongHost = dir + "/wronghost"
        for sub in [other, wrongHost] { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false) }
        #expect(try CLI.run(["certs", "quick", "--out", dir, "--hosts", "localhost,127.0.0.1"]).status == 0)
        #expect(try CLI.run(["certs", "quick", "--out", other]).status == 0)
        #expect(try CLI.run(["certs", "issue", "server", "--ca", dir, "--out", wrongHost, "--hosts", "db.internal"]).status == 0)

        let server = try GRPCIOTLSPeer.startServer(cert: dir + "/server.crt", key: dir + "/server.key", clientCA: dir + "/ca.crt")
        defer { server.stop() }
        let target = "localhost:\(server.port)"

        let ok = try GRPCIOTLSPeer.call(target: target, ca: dir + "/ca.crt", cert: dir + "/client.crt", key: dir + "/client.key")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output == "cn=polarisctl-client;hello\n")
        let byIP = try GRPCIOTLSPeer.call(target: "127.0.0.1:\(server.port)", ca: dir + "/ca.crt", cert: dir + "/client.crt", key: dir + "/client.key")
        #expect(byIP.status == 0, "\(byIP.output)")

        let anonymous = try GRPCIOTLSPeer.call(target: target, ca: dir + "/ca.crt")
        #expect(anonymous.status == 1 && anonymous.output.contains("FAILED UNAVAILABLE"), "\(anonymous.output)")
        let foreignClient = try GRPCIOTLSPeer.call(target: target, ca: dir + "/ca.crt", cert: other + "/client.crt", key: other + "/client.key")
        #expect(foreignClient.status == 1, "\(foreignClient.output)")
        let untrusted = try GRPCIOTLSPeer.call(target: target, ca: other + "/ca.crt", cert: dir + "/client.crt", key: dir + "/client.key")
        #expect(untrusted.status == 1 && untrusted.output.contains("FAILED UNAVAILABLE"), "\(untrusted.output)")
        #expect(untrusted.output.contains("CERTIFICATE_VERIFY_FAILED"), "\(untrusted.output)")

        let misnamed = try GRPCIOTLSPeer.startServer(cert: wrongHost + "/server.crt", key: wrongHost + "/server.key", clientCA: dir + "/ca.crt")
        defer { misnamed.stop() }
        let wrong = try GRPCIOTLSPeer.call(target: "localhost:\(misnamed.port)", ca: dir + "/ca.crt", cert: dir + "/client.crt", key: dir + "/client.key")
        #expect(wrong.status == 1 && wrong.output.contains("FAILED UNAVAILABLE"), "\(wrong.output)")
        #expect(wrong.output.contains("Hostname Verification Check failed"), "\(wrong.output)")
    }

    @Test("grpcio accepts an intermediate-issued chain from polarisctl, trusting only the root",
          .enabled(if: GRPCIOTLSPeer.isAvailable))
    func grpcioIntermediate() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = dir + "/root", issuing = dir + "/issuing"
        for sub in [root, issuing] { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false) }
        #expect(try CLI.run(["certs", "init", "--out", root, "--key", "rsa-2048"]).status == 0)
        #expect(try CLI.run(["certs", "init", "--intermediate", "--ca", root, "--out", issuing]).status == 0)
        #expect(try CLI.run(["certs", "issue", "server", "--ca", issuing, "--out", dir, "--hosts", "localhost"]).status == 0)
        #expect(try CLI.run(["certs", "issue", "client", "--ca", issuing, "--out", dir, "--cn", "svc"]).status == 0)
        let server = try GRPCIOTLSPeer.startServer(cert: dir + "/server.crt", key: dir + "/server.key", clientCA: root + "/ca.crt")
        defer { server.stop() }
        let ok = try GRPCIOTLSPeer.call(target: "localhost:\(server.port)", ca: root + "/ca.crt", cert: dir + "/client.crt", key: dir + "/client.key")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output == "cn=svc;hello\n")
    }
}

/// One bad command line, its exit status, and a piece of its message (`{dir}` is the test directory).
struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var status: Int32
    var message: String
    init(_ arguments: [String], _ status: Int32, _ message: String) {
        self.arguments = arguments
        self.status = status
        self.message = message
    }
    var testDescription: String { arguments.dropFirst().joined(separator: " ") }
}

/// The files the bad-input cases start from.
private enum Fixtures {
    static func make(in dir: String) throws {
        let fm = FileManager.default
        for sub in ["ca", "other", "mismatch", "notca", "partial"] {
            try fm.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: false)
        }
        try CLI.write("not a certificate\n", to: dir + "/afile")
        try check(CLI.run(["certs", "init", "--out", dir + "/ca", "--days", "30"]))
        try check(CLI.run(["certs", "issue", "server", "--ca", dir + "/ca", "--out", dir + "/ca", "--hosts", "localhost"]))
        try check(CLI.run(["certs", "init", "--out", dir + "/other", "--days", "30"]))
        // A CA certificate with another CA's key.
        try fm.copyItem(atPath: dir + "/ca/ca.crt", toPath: dir + "/mismatch/ca.crt")
        try fm.copyItem(atPath: dir + "/other/ca.key", toPath: dir + "/mismatch/ca.key")
        // A server certificate posing as a CA.
        try fm.copyItem(atPath: dir + "/ca/server.crt", toPath: dir + "/notca/ca.crt")
        try fm.copyItem(atPath: dir + "/ca/server.key", toPath: dir + "/notca/ca.key")
        // The last file of `quick` already exists.
        try CLI.write("keep me\n", to: dir + "/partial/client.key")
    }

    private static func check(_ result: CLI.Result) throws {
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
    }
}
