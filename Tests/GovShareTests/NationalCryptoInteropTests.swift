import Foundation
import GovShareCore
import GovShareCrypto
import Testing

/// `OpenSSLNationalCrypto` against the `openssl` command-line tool, both ways (the commands of
/// ../shared/spec/openssl-sm-commands.sh): signatures with the ID 1234567812345678, keys, certificates, SM4-CBC and
/// SM2 encryption. Skipped, with the reason shown, only where no `openssl` binary is installed.
///
/// Found on OpenSSL 3.0.19: `openssl verify -CAfile root.pem leaf.pem` checks the leaf's SM2 signature with the
/// EMPTY ID and so fails on a certificate signed with the standard ID; `-vfyopt distid:1234567812345678` makes it pass.
/// The option applies only to the certificate being verified: `-check_ss_sig` on the root still uses the empty ID and
/// fails, so the root's self-signature is checked here with `openssl pkeyutl` over its TBSCertificate instead.
@Suite("National cryptography: interoperability with the openssl CLI", .enabled(if: OpenSSLCLI.path != nil, "no openssl binary on PATH"))
struct NationalCryptoInteropTests {
    let crypto = OpenSSLNationalCrypto()
    let distid = "distid:1234567812345678"

    @Test func ourSignatureVerifiesWithOpenSSL() async throws {
        let work = try WorkDirectory()
        let key = try crypto.generateSM2Key()
        try work.write("pub.pem", PEM.encode(try crypto.publicKey(of: key).spkiDER, label: "PUBLIC KEY"))
        let message = Data("审批决定书 第 2026-0001 号\n".utf8)
        try work.write("msg", message)
        try work.write("sig", try crypto.sign(message, with: key, id: SM2Parameters.defaultID))

        let pkeyutl = try await work.openssl(
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-pkeyopt", distid, "-in", "msg",
                "-sigfile", "sig",
            ])
        #expect(pkeyutl.status == 0 && pkeyutl.output.contains("Signature Verified Successfully"), "\(pkeyutl)")
        let dgst = try await work.openssl(["dgst", "-sm3", "-verify", "pub.pem", "-sigopt", distid, "-signature", "sig", "msg"])
        #expect(dgst.status == 0 && dgst.output.contains("Verified OK"), "\(dgst)")
        let hexID = try await work.openssl(
            ["dgst", "-sm3", "-verify", "pub.pem", "-sigopt", "hexdistid:31323334353637383132333435363738", "-signature", "sig", "msg"])
        #expect(hexID.status == 0, "\(hexID)")

        // What proves the ID is in Z_A: OpenSSL's own default (the empty ID) rejects it, and so does a changed message.
        let emptyID = try await work.openssl([
            "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-in", "msg", "-sigfile", "sig",
        ])
        #expect(emptyID.status != 0, "\(emptyID)")
        try work.write("msg", message + Data("x".utf8))
        let changed = try await work.openssl(
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-pkeyopt", distid, "-in", "msg",
                "-sigfile", "sig",
            ])
        #expect(changed.status != 0, "\(changed)")
    }

    @Test func openSSLSignaturesVerifyHere() async throws {
        let work = try WorkDirectory()
        try #require(try await work.openssl(["genpkey", "-algorithm", "SM2", "-out", "key.pem"]).status == 0)
        try #require(try await work.openssl(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"]).status == 0)
        let publicKey = try crypto.importPublicKey(try work.read("pub.pem"))
        // The private key openssl made imports, and is the same key.
        let privateKey = try crypto.importPrivateKey(try work.read("key.pem"))
        #expect(try crypto.publicKey(of: privateKey) == publicKey)
        let message = Data("message digest".utf8)
        try work.write("msg", message)

        let pkeyutl = try await work.openssl(
            ["pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt", distid, "-in", "msg", "-out", "sig1"])
        try #require(pkeyutl.status == 0, "\(pkeyutl)")
        let first = try work.read("sig1")
        #expect(crypto.verify(first, of: message, by: publicKey, id: SM2Parameters.defaultID))
        #expect(!crypto.verify(first, of: message, by: publicKey, id: Data()))

        let dgst = try await work.openssl(["dgst", "-sm3", "-sign", "key.pem", "-sigopt", distid, "-out", "sig2", "msg"])
        try #require(dgst.status == 0, "\(dgst)")
        let second = try work.read("sig2")
        #expect(crypto.verify(second, of: message, by: publicKey, id: SM2Parameters.defaultID))
        #expect(!crypto.verify(second, of: Data("message digesT".utf8), by: publicKey, id: SM2Parameters.defaultID))

        // Signed without -pkeyopt distid, OpenSSL 3.0 uses the empty ID: not a signature under the standard ID, and
        // the empty ID itself is refused here.
        let bare = try await work.openssl([
            "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-in", "msg", "-out", "sig3",
        ])
        try #require(bare.status == 0, "\(bare)")
        let third = try work.read("sig3")
        #expect(!crypto.verify(third, of: message, by: publicKey, id: SM2Parameters.defaultID))
        #expect(!crypto.verify(third, of: message, by: publicKey, id: Data()))
        // Another ID, given to both sides, works both ways.
        let alice = try await work.openssl(
            [
                "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:ALICE123@YAHOO.COM", "-in", "msg",
                "-out", "sig4",
            ])
        try #require(alice.status == 0, "\(alice)")
        #expect(crypto.verify(try work.read("sig4"), of: message, by: publicKey, id: Data("ALICE123@YAHOO.COM".utf8)))
        #expect(!crypto.verify(try work.read("sig4"), of: message, by: publicKey, id: SM2Parameters.defaultID))
    }

    @Test func keysCrossBothWays() async throws {
        let work = try WorkDirectory()
        // SEC1 as `openssl ec` writes it (labelled SM2 PRIVATE KEY by OpenSSL 3.0) and as DER.
        try #require(try await work.openssl(["genpkey", "-algorithm", "SM2", "-out", "key.pem"]).status == 0)
        try #require(try await work.openssl(["ec", "-in", "key.pem", "-out", "sec1.pem"]).status == 0)
        try #require(try await work.openssl(["ec", "-in", "key.pem", "-outform", "DER", "-out", "sec1.der"]).status == 0)
        try #require(try await work.openssl(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der"]).status == 0)
        let publicKey = try crypto.importPublicKey(try work.read("pub.der"))
        #expect(publicKey.spkiDER == (try work.read("pub.der")))
        for file in ["sec1.pem", "sec1.der"] {
            #expect(try crypto.publicKey(of: try crypto.importPrivateKey(try work.read(file))) == publicKey, "\(file)")
        }

        // Our key, exported as PKCS#8 PEM, is read by openssl, which derives the same public key and signs with it.
        let ours = try crypto.generateSM2Key()
        let ourPublic = try crypto.publicKey(of: ours)
        try work.write("ours.pem", PEM.encode(ours.pkcs8DER, label: "PRIVATE KEY"))
        let derived = try await work.openssl(["pkey", "-in", "ours.pem", "-pubout", "-outform", "DER", "-out", "ours.pub.der"])
        try #require(derived.status == 0, "\(derived)")
        #expect(try work.read("ours.pub.der") == ourPublic.spkiDER)
        let text = try await work.openssl(["pkey", "-in", "ours.pem", "-noout", "-text"])
        #expect(text.output.contains("ASN1 OID: SM2"), "\(text)")
        try work.write("msg", Data("x".utf8))
        try #require(
            try await work.openssl([
                "pkeyutl", "-sign", "-inkey", "ours.pem", "-rawin", "-digest", "sm3", "-pkeyopt", distid, "-in", "msg", "-out", "sig",
            ])
            .status == 0)
        #expect(crypto.verify(try work.read("sig"), of: Data("x".utf8), by: ourPublic, id: SM2Parameters.defaultID))
    }

    @Test func ourCertificatesParseAndVerifyWithOpenSSL() async throws {
        let work = try WorkDirectory()
        let now = Date()
        let rootKey = try crypto.generateSM2Key()
        let rootDER = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "GovShare Test Root", organization: "广东省政务服务数据管理局"),
                serialNumber: Data([0x40]) + crypto.randomBytes(15),
                notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400 * 365),
                publicKey: try crypto.publicKey(of: rootKey), isCertificateAuthority: true),
            issuer: nil, issuerKey: rootKey)
        let root = try crypto.parseCertificate(rootDER)
        let sealKey = try crypto.generateSM2Key()
        let leafDER = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "广州市市场监督管理局 公章", organization: "广州市市场监督管理局"),
                serialNumber: Data([0x01, 0x23, 0x45]), notBefore: now.addingTimeInterval(-60),
                notAfter: now.addingTimeInterval(86_400 * 30), publicKey: try crypto.publicKey(of: sealKey),
                isCertificateAuthority: false),
            issuer: root, issuerKey: rootKey)
        try work.write("root.pem", PEM.encode(rootDER, label: "CERTIFICATE"))
        try work.write("leaf.pem", PEM.encode(leafDER, label: "CERTIFICATE"))

        let rootText = try await work.openssl(["x509", "-in", "root.pem", "-noout", "-text", "-nameopt", "utf8"])
        #expect(rootText.status == 0, "\(rootText)")
        #expect(rootText.output.contains("Signature Algorithm: SM2-with-SM3"), "\(rootText.output)")
        #expect(rootText.output.contains("CA:TRUE"), "\(rootText.output)")
        #expect(rootText.output.contains("ASN1 OID: SM2"), "\(rootText.output)")
        let leafText = try await work.openssl(["x509", "-in", "leaf.pem", "-noout", "-text", "-nameopt", "utf8"])
        #expect(leafText.status == 0 && leafText.output.contains("广州市市场监督管理局 公章"), "\(leafText.output)")
        #expect(leafText.output.contains("Serial Number: 74565 (0x12345)"), "\(leafText.output)")
        #expect(!leafText.output.contains("CA:TRUE"), "\(leafText.output)")

        // The chain verifies with the standard ID given; OpenSSL 3.0's empty default does not match it.
        let verified = try await work.openssl(["verify", "-vfyopt", distid, "-CAfile", "root.pem", "leaf.pem"])
        #expect(verified.status == 0 && verified.output.contains("leaf.pem: OK"), "\(verified)")
        let withEmptyID = try await work.openssl(["verify", "-CAfile", "root.pem", "leaf.pem"])
        #expect(withEmptyID.status != 0, "signed with the empty ID instead of 1234567812345678? \(withEmptyID)")
        // Another root of the same name does not verify the leaf.
        let strangerKey = try crypto.generateSM2Key()
        let stranger = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "GovShare Test Root", organization: "广东省政务服务数据管理局"),
                serialNumber: Data([0x09]), notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400),
                publicKey: try crypto.publicKey(of: strangerKey), isCertificateAuthority: true),
            issuer: nil, issuerKey: strangerKey)
        try work.write("stranger.pem", PEM.encode(stranger, label: "CERTIFICATE"))
        #expect(try await work.openssl(["verify", "-vfyopt", distid, "-CAfile", "stranger.pem", "leaf.pem"]).status != 0)

        // The root's self-signature, checked by openssl over the TBSCertificate with the standard ID.
        let parts = try #require(CertificateParts(rootDER), "certificate DER did not split into TBS and signature")
        try work.write("tbs.der", parts.tbs)
        try work.write("sig.der", parts.signature)
        try #require(try await work.openssl(["x509", "-in", "root.pem", "-noout", "-pubkey", "-out", "root.pub"]).status == 0)
        let selfSigned = try await work.openssl(
            [
                "pkeyutl", "-verify", "-pubin", "-inkey", "root.pub", "-rawin", "-digest", "sm3", "-pkeyopt", distid, "-in", "tbs.der",
                "-sigfile", "sig.der",
            ])
        #expect(selfSigned.status == 0, "\(selfSigned)")
    }

    @Test func openSSLCertificatesParseHere() async throws {
        let work = try WorkDirectory()
        try #require(try await work.openssl(["genpkey", "-algorithm", "SM2", "-out", "key.pem"]).status == 0)
        let made = try await work.openssl(
            [
                "req", "-x509", "-new", "-key", "key.pem", "-sm3", "-sigopt", distid, "-subj", "/C=CN/O=GovShare/CN=SM2 test", "-days",
                "365",
                "-addext", "basicConstraints=critical,CA:TRUE", "-out", "cert.pem",
            ])
        try #require(made.status == 0, "\(made)")
        let certificate = try crypto.parseCertificate(try work.read("cert.pem"))
        #expect(certificate.subject.contains("CN=SM2 test") && certificate.subject.contains("O=GovShare"), "\(certificate.subject)")
        #expect(certificate.isCertificateAuthority)
        #expect(certificate.signatureAlgorithmOID == SM2Parameters.signatureAlgorithmOID)
        let publicKey = try crypto.publicKey(of: try crypto.importPrivateKey(try work.read("key.pem")))
        #expect(certificate.publicKey == publicKey)
        #expect(crypto.verifyCertificateSignature(certificate, issuerKey: publicKey))
        #expect(try crypto.importPublicKey(try work.read("cert.pem")) == publicKey)
        // Signed by openssl with its empty default ID, the certificate does not verify as SM2-with-SM3 under the standard ID.
        let emptyID = try await work.openssl(
            ["req", "-x509", "-new", "-key", "key.pem", "-sm3", "-subj", "/CN=SM2 empty id", "-days", "1", "-out", "empty.pem"])
        try #require(emptyID.status == 0, "\(emptyID)")
        #expect(!crypto.verifyCertificateSignature(try crypto.parseCertificate(try work.read("empty.pem")), issuerKey: publicKey))
    }

    @Test func sm4CBCAndSM3MatchTheCLI() async throws {
        let work = try WorkDirectory()
        let key = crypto.randomBytes(16)
        let iv = crypto.randomBytes(16)
        let plaintext = crypto.randomBytes(1000)
        try work.write("plain", plaintext)
        let encrypted = try await work.openssl(
            ["enc", "-sm4-cbc", "-K", Hex.encode(key), "-iv", Hex.encode(iv), "-in", "plain", "-out", "cipher"])
        try #require(encrypted.status == 0, "\(encrypted)")
        let theirs = try work.read("cipher")
        #expect(try crypto.sm4CBCEncrypt(plaintext, key: key, iv: iv) == theirs)
        #expect(try crypto.sm4CBCDecrypt(theirs, key: key, iv: iv) == plaintext)
        try work.write("ours", try crypto.sm4CBCEncrypt(Data("abc".utf8), key: key, iv: iv))
        let decrypted = try await work.openssl(
            ["enc", "-d", "-sm4-cbc", "-K", Hex.encode(key), "-iv", Hex.encode(iv), "-in", "ours", "-out", "back"])
        #expect(decrypted.status == 0, "\(decrypted)")
        let back = try work.read("back")
        #expect(back == Data("abc".utf8))

        let digest = try await work.openssl(["dgst", "-sm3", "-r", "plain"])
        #expect(digest.output.hasPrefix(Hex.encode(crypto.sm3(plaintext))), "\(digest)")
        let mac = try await work.openssl(["dgst", "-sm3", "-hmac", "GovShare", "-r", "plain"])
        #expect(mac.output.hasPrefix(Hex.encode(crypto.hmacSM3(key: Data("GovShare".utf8), message: plaintext))), "\(mac)")
    }

    @Test func sm2EncryptionCrossesBothWays() async throws {
        let work = try WorkDirectory()
        let key = try crypto.generateSM2Key()
        try work.write("key.pem", PEM.encode(key.pkcs8DER, label: "PRIVATE KEY"))
        try work.write("pub.pem", PEM.encode(try crypto.publicKey(of: key).spkiDER, label: "PUBLIC KEY"))
        let secret = Data("数据密钥 0123456789abcdef".utf8)
        try work.write("ours.ct", try crypto.encrypt(secret, to: try crypto.publicKey(of: key)))
        let decrypted = try await work.openssl(["pkeyutl", "-decrypt", "-inkey", "key.pem", "-in", "ours.ct", "-out", "ours.pt"])
        #expect(decrypted.status == 0, "\(decrypted)")
        #expect(try work.read("ours.pt") == secret)

        try work.write("secret", secret)
        let encrypted = try await work.openssl(["pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "secret", "-out", "theirs.ct"])
        try #require(encrypted.status == 0, "\(encrypted)")
        #expect(try crypto.decrypt(try work.read("theirs.ct"), with: key) == secret)
    }
}

/// The `openssl` binary found on PATH, and a scratch directory to run it in.
enum OpenSSLCLI {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/openssl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

struct CLIResult: CustomStringConvertible {
    let status: Int32
    let output: String
    let error: String
    var description: String { "exit \(status); stdout: \(output.prefix(2000)); stderr: \(error.prefix(2000))" }
}

/// A temporary directory, removed when the value is released.
final class WorkDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-sm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ data: Data) throws { try data.write(to: url.appendingPathComponent(name)) }
    func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }
    func read(_ name: String) throws -> Data { try Data(contentsOf: url.appendingPathComponent(name)) }

    /// Runs `openssl ARGS…` in this directory (its output and errors through files; ProcessLaunch).
    func openssl(_ arguments: [String]) async throws -> CLIResult {
        try await run(try #require(OpenSSLCLI.path), arguments)
    }

    func run(_ executable: String, _ arguments: [String]) async throws -> CLIResult {
        try await ProcessLaunch.run(executable, arguments, in: url)
    }
}

/// Splits a DER certificate into its TBSCertificate and the DER signature inside its BIT STRING (RFC 5280:
/// SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }), enough for the CLI to check the signature.
struct CertificateParts {
    let tbs: Data
    let signature: Data

    init?(_ der: Data) {
        let bytes = [UInt8](der)
        guard let outer = Self.element(bytes, at: 0), bytes[0] == 0x30 else { return nil }
        guard let tbs = Self.element(bytes, at: outer.contentStart), let algorithm = Self.element(bytes, at: tbs.end),
            let bitString = Self.element(bytes, at: algorithm.end), bytes[algorithm.end] == 0x03,
            bitString.end == outer.end, bytes[bitString.contentStart] == 0
        else { return nil }
        self.tbs = Data(bytes[outer.contentStart..<tbs.end])
        self.signature = Data(bytes[(bitString.contentStart + 1)..<bitString.end])
    }

    /// One TLV at `offset`: where its content starts and where it ends.
    private static func element(_ bytes: [UInt8], at offset: Int) -> (contentStart: Int, end: Int)? {
        guard offset + 2 <= bytes.count else { return nil }
        var index = offset + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 3, index + count <= bytes.count else { return nil }
            length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
            index += count
        }
        guard index + length <= bytes.count else { return nil }
        return (index, index + length)
    }
}
