import Foundation

/// An SM2 private key (GB/T 32918) as PKCS#8 DER. Lives in memory only while it is used: at rest it is always wrapped
/// by `KeyCustody`.
public struct SM2PrivateKey: Sendable, Equatable {
    public let pkcs8DER: Data
    public init(pkcs8DER: Data) { self.pkcs8DER = pkcs8DER }
}

/// An SM2 public key as SubjectPublicKeyInfo DER (id-ecPublicKey with the curve sm2p256v1, 1.2.156.10197.1.301).
public struct SM2PublicKey: Sendable, Equatable, Hashable, Codable {
    public let spkiDER: Data
    public init(spkiDER: Data) { self.spkiDER = spkiDER }
}

public enum SM2Parameters {
    /// The signer's distinguishing ID of GM/T 0009 and GB/T 35276. OpenSSL 3.0 defaults to an empty ID, which other
    /// implementations do not: every signature made or checked here passes this one explicitly.
    public static let defaultID = Data("1234567812345678".utf8)
    public static let signatureAlgorithmOID = "1.2.156.10197.1.501"  // SM2 signature with SM3
    public static let curveOID = "1.2.156.10197.1.301"
    public static let sm3OID = "1.2.156.10197.1.401"
}

/// The names in a certificate's subject or issuer.
public struct DistinguishedName: Sendable, Equatable, Codable {
    public var commonName: String
    public var organization: String?
    public var organizationalUnit: String?
    public var country: String
    /// Each name is cut to 64 characters, the upper bound RFC 5280 sets for CN, O and OU (libcrypto refuses longer):
    /// a department's or authority's long name still gets a certificate. Names a user chooses (a seal's) are checked
    /// against the bound before they get here.
    public init(commonName: String, organization: String? = nil, organizationalUnit: String? = nil, country: String = "CN") {
        self.commonName = String(commonName.prefix(Self.maximumLength))
        self.organization = organization.map { String($0.prefix(Self.maximumLength)) }
        self.organizationalUnit = organizationalUnit.map { String($0.prefix(Self.maximumLength)) }
        self.country = country
    }

    public static let maximumLength = 64
}

/// What an X.509 certificate (SM2 with SM3) states about its key.
public struct CertificateRequest: Sendable {
    public var subject: DistinguishedName
    /// Positive, at most 20 bytes (RFC 5280); issuers use 16 random bytes.
    public var serialNumber: Data
    public var notBefore: Date
    public var notAfter: Date
    public var publicKey: SM2PublicKey
    /// A certification authority (the platform's root) may sign certificates; a seal or node key may only sign data.
    public var isCertificateAuthority: Bool
    public init(
        subject: DistinguishedName, serialNumber: Data, notBefore: Date, notAfter: Date, publicKey: SM2PublicKey,
        isCertificateAuthority: Bool
    ) {
        self.subject = subject; self.serialNumber = serialNumber; self.notBefore = notBefore; self.notAfter = notAfter
        self.publicKey = publicKey; self.isCertificateAuthority = isCertificateAuthority
    }
}

/// A parsed certificate: what verification needs, read by the cryptography provider (Core does not parse DER).
public struct CertificateInfo: Sendable, Equatable {
    public let der: Data
    public let serialNumberHex: String
    /// One line, RFC 2253 order (`CN=…,O=…,C=CN`).
    public let subject: String
    public let issuer: String
    public let notBefore: Date
    public let notAfter: Date
    public let publicKey: SM2PublicKey
    public let isCertificateAuthority: Bool
    public let signatureAlgorithmOID: String
    public init(
        der: Data, serialNumberHex: String, subject: String, issuer: String, notBefore: Date, notAfter: Date,
        publicKey: SM2PublicKey, isCertificateAuthority: Bool, signatureAlgorithmOID: String
    ) {
        self.der = der; self.serialNumberHex = serialNumberHex; self.subject = subject; self.issuer = issuer
        self.notBefore = notBefore; self.notAfter = notAfter; self.publicKey = publicKey
        self.isCertificateAuthority = isCertificateAuthority; self.signatureAlgorithmOID = signatureAlgorithmOID
    }
}

/// The national algorithms (SM2 GB/T 32918, SM3 GB/T 32905, SM4 GB/T 32907) and the X.509 work built on them. Core
/// declares what it needs; GovShareCrypto implements it once over OpenSSL 3's libcrypto, so no primitive is ours.
/// Every failure throws `NationalCryptoError` (never a crash, whatever the input).
public protocol NationalCrypto: Sendable {
    // SM3
    func sm3(_ data: Data) -> Data
    /// SM3 of a file read in chunks (a licence scan or an archive is never held whole in memory).
    func sm3(contentsOf url: URL) throws -> Data
    func hmacSM3(key: Data, message: Data) -> Data
    /// `hmacSM3` between a caller's buffers (blind indexes: one per sealed value an import writes); `mac` is 32 bytes.
    func hmacSM3(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, into mac: UnsafeMutableRawBufferPointer)

    // SM4
    /// SM4-GCM with a fresh 12-byte nonce: returns nonce ‖ ciphertext ‖ 16-byte tag.
    func sm4GCMSeal(_ plaintext: Data, key: Data, associatedData: Data) throws -> Data
    /// Opens what `sm4GCMSeal` produced; throws `.authenticationFailed` if any byte or the associated data differ.
    func sm4GCMOpen(_ sealed: Data, key: Data, associatedData: Data) throws -> Data
    /// `sm4GCMSeal` between a caller's buffers, for the per-cell hot paths of encryption at rest (no `Data` built):
    /// writes nonce ‖ ciphertext ‖ tag into `sealed`, which is exactly `plaintext.count + 28` bytes.
    func sm4GCMSeal(
        _ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        into sealed: UnsafeMutableRawBufferPointer) throws
    /// `sm4GCMOpen` between a caller's buffers: `plaintext` is exactly `sealed.count - 28` bytes and holds nothing
    /// usable when this throws.
    func sm4GCMOpen(
        _ sealed: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer) throws
    /// SM4-CBC with PKCS#7 padding, for the standards that name CBC.
    func sm4CBCEncrypt(_ plaintext: Data, key: Data, iv: Data) throws -> Data
    func sm4CBCDecrypt(_ ciphertext: Data, key: Data, iv: Data) throws -> Data
    /// Raw SM4 on whole 16-byte blocks (ECB, no padding): the standard's example and tests only.
    func sm4EncryptBlocks(_ blocks: Data, key: Data) throws -> Data
    func randomBytes(_ count: Int) -> Data

    // SM2
    func generateSM2Key() throws -> SM2PrivateKey
    func publicKey(of key: SM2PrivateKey) throws -> SM2PublicKey
    /// SM2 signature over SM3(Z_A ‖ message) with the given distinguishing ID; DER SEQUENCE { r, s }.
    func sign(_ message: Data, with key: SM2PrivateKey, id: Data) throws -> Data
    func verify(_ signature: Data, of message: Data, by key: SM2PublicKey, id: Data) -> Bool
    /// SM2 public-key encryption (GB/T 32918.4), DER C1 ‖ C3 ‖ C2 as GM/T 0009 encodes it.
    func encrypt(_ plaintext: Data, to key: SM2PublicKey) throws -> Data
    func decrypt(_ ciphertext: Data, with key: SM2PrivateKey) throws -> Data

    // Import and export
    /// Accepts PKCS#8 or SEC1 (`EC PRIVATE KEY`), PEM or DER, of a key on sm2p256v1; refuses any other curve.
    func importPrivateKey(_ pemOrDER: Data) throws -> SM2PrivateKey
    /// Accepts SubjectPublicKeyInfo (PEM or DER), an uncompressed point (04 ‖ x ‖ y) or a certificate.
    func importPublicKey(_ pemOrDER: Data) throws -> SM2PublicKey

    // X.509 with SM2-with-SM3
    /// Issues a certificate signed by `issuerKey` (ID 1234567812345678); `issuer` nil makes it self-signed.
    func issueCertificate(_ request: CertificateRequest, issuer: CertificateInfo?, issuerKey: SM2PrivateKey) throws -> Data
    /// Accepts PEM or DER.
    func parseCertificate(_ pemOrDER: Data) throws -> CertificateInfo
    /// Whether `certificate` carries a valid SM2-with-SM3 signature by `issuerKey` (dates and revocation are the
    /// caller's to check).
    func verifyCertificateSignature(_ certificate: CertificateInfo, issuerKey: SM2PublicKey) -> Bool
}

public enum NationalCryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKey(String)
    case invalidInput(String)
    case authenticationFailed
    case unsupported(String)
    case library(String)

    public var description: String {
        switch self {
        case .invalidKey(let why): "invalid key: \(why)"
        case .invalidInput(let why): "invalid input: \(why)"
        case .authenticationFailed: "authentication failed (the data or its tag was changed)"
        case .unsupported(let what): "unsupported: \(what)"
        case .library(let why): "cryptography library: \(why)"
        }
    }
}
