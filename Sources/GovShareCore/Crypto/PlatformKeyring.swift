import Foundation

/// The platform's own keys (Art. 25, 28): the data authority's root (a self-signed SM2 certification authority that
/// certifies every seal, signing key and node key issued here) and this node's signing key (audit checkpoints, and
/// messages between nodes once federation lands).
public enum PlatformKeyKind: String, Sendable, Codable, CaseIterable {
    case root
    case node
}

/// One stored platform key: its certificate in clear, its private key wrapped by `KeyCustody`.
public struct PlatformKeyRecord: Sendable, Equatable {
    public let id: String
    public let kind: PlatformKeyKind
    public let nodeId: String
    public let certificateDER: Data
    public let wrappedPrivateKey: Data
    public let keyEncryptionKeyId: String
    public let createdAt: String
    public init(
        id: String, kind: PlatformKeyKind, nodeId: String, certificateDER: Data, wrappedPrivateKey: Data,
        keyEncryptionKeyId: String, createdAt: String
    ) {
        self.id = id; self.kind = kind; self.nodeId = nodeId; self.certificateDER = certificateDER
        self.wrappedPrivateKey = wrappedPrivateKey; self.keyEncryptionKeyId = keyEncryptionKeyId; self.createdAt = createdAt
    }
}

public protocol PlatformKeyRepository: Sendable {
    /// The newest key of that kind on that node.
    func current(kind: PlatformKeyKind, nodeId: String) async throws -> PlatformKeyRecord?
    /// Inserts unless a key of that kind already exists on the node (two starting processes keep the first);
    /// returns the key that is current afterwards.
    func insertIfAbsent(_ record: PlatformKeyRecord, audit: AuditRecord) async throws -> PlatformKeyRecord
}

/// A signature by this node's key, with the certificate that names the key (chained to the root).
public struct NodeSignature: Sendable, Equatable {
    public let signature: Data
    public let certificateDER: Data
    public init(signature: Data, certificateDER: Data) { self.signature = signature; self.certificateDER = certificateDER }
}

/// Creates the root and node keys on first start, certifies keys the seal registry issues, signs as this node and
/// checks a certificate against the root. Each key is unwrapped once, on first use, and kept only in this process's
/// memory. `@unchecked Sendable`: the one mutable member, the loaded-key table, is read and written only under `lock`
/// (Core imports Foundation alone, so Synchronization's Mutex is not available here); everything else is immutable.
public final class PlatformKeyring: @unchecked Sendable {
    public let crypto: any NationalCrypto
    public let custody: any KeyCustody
    private let repository: any PlatformKeyRepository
    private let clock: any WallClock
    private let nodeId: String
    private let authorityName: String
    private let lock = NSLock()
    private var loaded: [PlatformKeyKind: (record: PlatformKeyRecord, certificate: CertificateInfo, key: SM2PrivateKey)] = [:]

    /// How long the root and node certificates are valid.
    public static let rootValidityYears = 20
    public static let nodeValidityYears = 5

    public init(
        repository: any PlatformKeyRepository, crypto: any NationalCrypto, custody: any KeyCustody, clock: any WallClock,
        nodeId: String, authorityName: String
    ) {
        self.repository = repository; self.crypto = crypto; self.custody = custody; self.clock = clock
        self.nodeId = nodeId; self.authorityName = authorityName
    }

    /// Loads the root and node keys, creating them on the first start of a node. Fails closed when the
    /// key-encryption key in custody is not the one that wrapped the stored keys (a lost or exchanged key file).
    public func start(origin: RequestOrigin) async throws {
        _ = try await loadOrCreate(.root, origin: origin)
        _ = try await loadOrCreate(.node, origin: origin)
    }

    public func rootCertificate() async throws -> CertificateInfo {
        try await loadOrCreate(.root, origin: .commandLine()).certificate
    }

    public func nodeCertificate() async throws -> CertificateInfo {
        try await loadOrCreate(.node, origin: .commandLine()).certificate
    }

    /// Certifies an end-entity SM2 key (a seal, a personal signing key) with the root: SM2 with SM3, 16 random serial
    /// bytes, not a certification authority.
    public func certify(_ publicKey: SM2PublicKey, subject: DistinguishedName, notBefore: Date, notAfter: Date) async throws
        -> CertificateInfo
    {
        let root = try await loadOrCreate(.root, origin: .commandLine())
        let request = CertificateRequest(
            subject: subject, serialNumber: Self.serial(crypto), notBefore: notBefore, notAfter: notAfter,
            publicKey: publicKey, isCertificateAuthority: false)
        let der = try crypto.issueCertificate(request, issuer: root.certificate, issuerKey: root.key)
        return try crypto.parseCertificate(der)
    }

    /// Signs as this node (audit checkpoints): SM2 with the standard ID.
    public func signAsNode(_ message: Data) async throws -> NodeSignature {
        let node = try await loadOrCreate(.node, origin: .commandLine())
        return NodeSignature(
            signature: try crypto.sign(message, with: node.key, id: SM2Parameters.defaultID),
            certificateDER: node.record.certificateDER)
    }

    /// Signs as the data authority's root (the maker's signature over a GB/T 38540 seal structure, which Art. 25 has the
    /// authority make): SM2 with the standard ID; the certificate is the root's.
    public func signAsRoot(_ message: Data) async throws -> NodeSignature {
        let root = try await loadOrCreate(.root, origin: .commandLine())
        return NodeSignature(
            signature: try crypto.sign(message, with: root.key, id: SM2Parameters.defaultID),
            certificateDER: root.record.certificateDER)
    }

    /// Whether `certificate` was issued by this platform's root and was within its validity at `time` (revocation is
    /// the registry's to check).
    public func chainsToRoot(_ certificate: CertificateInfo, at time: Date) async throws -> Bool {
        let root = try await loadOrCreate(.root, origin: .commandLine()).certificate
        return Self.chains(certificate, to: root, at: time, crypto: crypto)
    }

    /// The same check with only the root certificate in hand: what an offline verifier does.
    public static func chains(_ certificate: CertificateInfo, to root: CertificateInfo, at time: Date, crypto: any NationalCrypto)
        -> Bool
    {
        guard certificate.issuer == root.subject, root.isCertificateAuthority,
            crypto.verifyCertificateSignature(certificate, issuerKey: root.publicKey),
            certificate.notBefore <= time, time <= certificate.notAfter, root.notBefore <= time, time <= root.notAfter
        else { return false }
        return true
    }

    static func serial(_ crypto: any NationalCrypto) -> Data {
        var bytes = crypto.randomBytes(16)
        bytes[bytes.startIndex] &= 0x7F  // positive
        bytes[bytes.startIndex] |= 0x01  // and 16 bytes long
        return bytes
    }

    private func cached(_ kind: PlatformKeyKind) -> (record: PlatformKeyRecord, certificate: CertificateInfo, key: SM2PrivateKey)? {
        lock.withLock { loaded[kind] }
    }

    private func store(_ entry: (record: PlatformKeyRecord, certificate: CertificateInfo, key: SM2PrivateKey), as kind: PlatformKeyKind) {
        lock.withLock { loaded[kind] = entry }
    }

    private func loadOrCreate(_ kind: PlatformKeyKind, origin: RequestOrigin) async throws
        -> (record: PlatformKeyRecord, certificate: CertificateInfo, key: SM2PrivateKey)
    {
        if let hit = cached(kind) { return hit }
        let record: PlatformKeyRecord
        if let stored = try await repository.current(kind: kind, nodeId: nodeId) {
            record = stored
        } else {
            record = try await create(kind, origin: origin)
        }
        let key: SM2PrivateKey
        do {
            key = try custody.unwrapPrivateKey(
                record.wrappedPrivateKey, label: "platform-key:\(record.id)", keyEncryptionKeyId: record.keyEncryptionKeyId)
        } catch {
            // A key file that is not the one that wrapped the keys (another file, a retired KEK gone): fail closed.
            let reason = (error as? DomainError)?.message ?? LocalizedText(zh: "\(error)", en: "\(error)")
            throw DomainError(
                .unavailable, code: "key_encryption_key_mismatch",
                message: LocalizedText(
                    zh:
                        "密钥加密密钥（\(custody.custodyDescription)）无法解开数据库中平台\(kind.rawValue)密钥（应为 \(record.keyEncryptionKeyId)：\(reason.zh)），拒绝启动",
                    en:
                        "The key-encryption key (\(custody.custodyDescription)) does not open the platform \(kind.rawValue) key (expected \(record.keyEncryptionKeyId): \(reason.en)); refusing to start"
                ))
        }
        let entry = (record: record, certificate: try crypto.parseCertificate(record.certificateDER), key: key)
        store(entry, as: kind)
        return entry
    }

    private func create(_ kind: PlatformKeyKind, origin: RequestOrigin) async throws -> PlatformKeyRecord {
        let now = clock.now()
        let key = try crypto.generateSM2Key()
        let publicKey = try crypto.publicKey(of: key)
        let id = Identifier.make(at: now)
        let years = kind == .root ? Self.rootValidityYears : Self.nodeValidityYears
        let notAfter = Calendar(identifier: .gregorian).date(byAdding: .year, value: years, to: now) ?? now
        let der: Data
        switch kind {
        case .root:
            let subject = DistinguishedName(
                commonName: "\(authorityName) 根证书 (\(nodeId))", organization: authorityName, organizationalUnit: "GovShare")
            der = try crypto.issueCertificate(
                CertificateRequest(
                    subject: subject, serialNumber: Self.serial(crypto), notBefore: now, notAfter: notAfter, publicKey: publicKey,
                    isCertificateAuthority: true),
                issuer: nil, issuerKey: key)
        case .node:
            let root = try await loadOrCreate(.root, origin: origin)
            let subject = DistinguishedName(
                commonName: "GovShare node \(nodeId)", organization: authorityName, organizationalUnit: "GovShare node")
            der = try crypto.issueCertificate(
                CertificateRequest(
                    subject: subject, serialNumber: Self.serial(crypto), notBefore: now, notAfter: notAfter, publicKey: publicKey,
                    isCertificateAuthority: false),
                issuer: root.certificate, issuerKey: root.key)
        }
        let record = PlatformKeyRecord(
            id: id, kind: kind, nodeId: nodeId, certificateDER: der,
            wrappedPrivateKey: try custody.wrap(key, label: "platform-key:\(id)"),
            keyEncryptionKeyId: custody.keyEncryptionKeyId, createdAt: Timestamp.format(now))
        let audit = AuditRecord(
            actor: .system("platform"), action: "platform_key.create", objectType: "platform_key", objectId: id,
            after: AuditJSON.encode(["kind": kind.rawValue, "node_id": nodeId, "kek_id": custody.keyEncryptionKeyId]),
            origin: origin)
        return try await repository.insertIfAbsent(record, audit: audit)
    }
}
