import Foundation

/// A detached GB/T 38540 signature over a document.
public struct SignedDocument: Sendable, Equatable {
    /// The SES_Signature, DER: keep it beside the document.
    public let signatureDER: Data
    public let sealId: String
    public let sealName: String
    public let signedAt: Date
    public let documentSM3Hex: String

    public init(signatureDER: Data, sealId: String, sealName: String, signedAt: Date, documentSM3Hex: String) {
        self.signatureDER = signatureDER; self.sealId = sealId; self.sealName = sealName; self.signedAt = signedAt
        self.documentSM3Hex = documentSM3Hex
    }
}

extension SealService {
    /// Signs a document with a seal (Art. 24): staff of the holder department with a reviewer's role (the holder in
    /// person for a personal signature key), or the operator at the console. The seal must be active and within its
    /// validity. The time in the signature is the platform's clock: the key never leaves the platform, so no signature
    /// can carry another time. Every signing is audited (what was signed, by its SM3, and by whom).
    public func sign(
        document: Data, sealId: String, purpose: String? = nil, by actor: Principal, origin: RequestOrigin
    ) async throws -> SignedDocument {
        try await authorizeSigning(sealId: sealId, by: actor)
        let seal = try await find(sealId)
        return try await sign(document: document, with: seal, purpose: purpose, by: actor, origin: origin)
    }

    /// Signs one of the platform's official outputs (a decision letter, a grant, a licence) with the provincial data
    /// authority's data seal, issuing that seal on its first use. Audited as the platform.
    public func signAsAuthority(document: Data, purpose: String, origin: RequestOrigin) async throws -> SignedDocument {
        let platform = Principal.system("platform")
        let seal = try await authoritySeal.run { try await currentAuthoritySeal(origin: origin) }
        return try await sign(document: document, with: seal, purpose: purpose, by: platform, origin: origin)
    }

    /// `sign` for a record that stores its signature (an e-licence): the signing's audit entry is returned, not
    /// written, and the caller writes it in the transaction that stores the record — the bulk issuance of thousands of
    /// licences commits once instead of once per signature. If that transaction fails, the signature is discarded
    /// unseen.
    public func signForRecord(
        document: Data, sealId: String, purpose: String? = nil, by actor: Principal, origin: RequestOrigin
    ) async throws -> (signed: SignedDocument, audit: AuditRecord) {
        try await authorizeSigning(sealId: sealId, by: actor)
        let seal = try await find(sealId)
        let signed = try await sign(document: document, with: seal, purpose: purpose, by: actor, origin: origin, audited: false)
        let audit = Self.signingAudit(
            sealId: seal.id, documentSM3Hex: signed.documentSM3Hex, documentBytes: document.count,
            signedAt: Timestamp.format(signed.signedAt), purpose: purpose, actor: actor, origin: origin)
        return (signed, audit)
    }

    /// `signAsAuthority` for an output stored as an `OfficialDocument`: the signing's audit entry is not written here
    /// but by the store, in the transaction that writes the document and the decision it records
    /// (`OfficialDocument.signingAudit`). One commit instead of two on the decision's path — and if that transaction
    /// fails, the signature is discarded unseen, so nothing signed goes unaudited.
    public func signAsAuthorityForRecord(document: Data, purpose: String, origin: RequestOrigin) async throws -> SignedDocument {
        let platform = Principal.system("platform")
        let seal = try await authoritySeal.run { try await currentAuthoritySeal(origin: origin) }
        return try await sign(document: document, with: seal, purpose: purpose, by: platform, origin: origin, audited: false)
    }

    /// The authority's active data seal, valid now; issued (as the platform) when there is none.
    /// The provincial data authority, whose data seal is the platform's own (`currentAuthoritySeal`).
    func provincialAuthority() async throws -> Department? {
        try await departments.list(DepartmentFilter(level: .province, kind: .dataAuthority)).sorted(by: { $0.createdAt < $1.createdAt })
            .first
    }

    func currentAuthoritySeal(origin: RequestOrigin) async throws -> Seal {
        guard let authority = try await provincialAuthority() else {
            throw DomainError(
                .unavailable, code: "no_data_authority",
                message: LocalizedText(zh: "尚未登记省政务数据主管部门，无法加盖其数据专用章", en: "No provincial data authority is registered to seal with"))
        }
        let now = clock.now()
        let root = try await keyring.rootCertificate()
        if let seal = try await seals.activeSeal(kind: .dataSeal, holderDepartmentId: authority.id), seal.validFrom <= now,
            now < seal.validTo
        {
            if let certificate = try? keyring.crypto.parseCertificate(seal.certificateDER),
                PlatformSealIdentity.isPlatformSeal(signer: certificate, root: root)
            {
                return seal
            }
            // Made before the platform's seal named the root's organisation (or under another authority name): archive
            // verification would not take it for the platform's. Revoked from now — what it signed stays valid — and
            // replaced below.
            _ = try await revoke(
                id: seal.id, reason: "由证书机构名与平台根证书一致的平台数据专用章替代 / superseded by the platform seal naming the root's organisation",
                by: Principal.system("platform"), origin: origin)
        }
        let years = Calendar(identifier: .gregorian).date(byAdding: .year, value: Limits.defaultValidityYears, to: now)!
        return try await make(
            name: "\(authority.nameZh)数据专用章", kind: .dataSeal, department: authority, holderUserId: nil, validFrom: now,
            validTo: min(years, root.notAfter), image: nil, pictureSize: (0, 0),
            organization: PlatformSealIdentity.authorityName(root: root) ?? authority.nameZh, by: Principal.system("platform"),
            origin: origin)
    }

    func sign(
        document: Data, with seal: Seal, purpose: String?, by actor: Principal, origin: RequestOrigin, audited: Bool = true
    ) async throws -> SignedDocument {
        var v = Validator()
        v.limit(purpose, field: "purpose", maxLength: Limits.purpose)
        if document.count > Limits.documentBytes {
            v.fail(
                "document", "max_bytes", zh: "document 不能超过 \(Limits.documentBytes / 1024 / 1024) MB",
                en: "document must be at most \(Limits.documentBytes / 1024 / 1024) MB")
        }
        try v.check()
        let now = clock.now()
        guard seal.status == .active else {
            throw DomainError.conflict(
                code: "seal_not_active", zh: "电子印章当前状态为「\(seal.status.name.zh)」，不能签章",
                en: "The seal is \(seal.status.rawValue) and cannot sign")
        }
        guard seal.validFrom <= now, now <= seal.validTo else {
            throw DomainError.conflict(
                code: "seal_not_valid_now", zh: "电子印章不在有效期内（\(Timestamp.format(seal.validFrom)) 至 \(Timestamp.format(seal.validTo))）",
                en: "The seal is outside its validity (\(Timestamp.format(seal.validFrom)) to \(Timestamp.format(seal.validTo)))")
        }
        let custody = keyring.custody
        let crypto = keyring.crypto
        let hash = crypto.sm3(document)
        let toSign = try codec.encodeToSign(
            ToSignContent(
                version: 4, sealDER: seal.sealStructureDER, timeInfo: now, dataHash: hash,
                propertyInfo: Self.propertyInfo(purpose)))
        let key = try custody.unwrapPrivateKey(
            seal.wrappedPrivateKey, label: seal.keyLabel, keyEncryptionKeyId: seal.keyEncryptionKeyId)
        let signature = try crypto.sign(toSign, with: key, id: SM2Parameters.defaultID)
        let der = try codec.encodeSignature(toSignDER: toSign, signerCertificateDER: seal.certificateDER, signature: signature)
        let hashHex = Hex.encode(hash)
        if audited {
            // Fails closed: if the entry cannot be written, the signature is not handed out.
            _ = try await auditLog.append(
                Self.signingAudit(
                    sealId: seal.id, documentSM3Hex: hashHex, documentBytes: document.count, signedAt: Timestamp.format(now),
                    purpose: purpose, actor: actor, origin: origin))
        }
        return SignedDocument(signatureDER: der, sealId: seal.id, sealName: seal.name, signedAt: now, documentSM3Hex: hashHex)
    }

    /// What every signing records (`seal.sign`): the seal, the document by its SM3 and size, the time and the purpose.
    public static func signingAudit(
        sealId: String, documentSM3Hex: String, documentBytes: Int, signedAt: String, purpose: String?, actor: Principal,
        origin: RequestOrigin
    ) -> AuditRecord {
        var detail = ["document_sm3": documentSM3Hex, "document_bytes": String(documentBytes), "signed_at": signedAt]
        detail["purpose"] = purpose
        return AuditRecord(
            actor: actor, action: "seal.sign", objectType: "seal", objectId: sealId, after: AuditJSON.encode(detail), origin: origin)
    }

    /// TBS_Sign.propertyInfo is IA5 (ASCII) text: the stated purpose, percent-encoded (RFC 3986) so any language fits.
    static func propertyInfo(_ purpose: String?) -> String {
        let text = purpose?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        return text.isEmpty ? "document" : (text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "document")
    }

    // MARK: - Verification

    /// Verifies a signature made here, for anyone signed in (`verify(document:signature:)` without the check is for
    /// the platform's own services).
    public func verify(document: Data, signature: Data, by actor: Principal) async throws -> SealVerification {
        try Policy.readSeals.check(actor)
        return try await verify(document: document, signature: signature)
    }

    /// Everything `ElectronicSealVerifier.verifyOffline` checks, then the registry: the seal must be one this
    /// platform issued, and a signature made at or after the seal's revocation (or during a suspension) is refused
    /// while one made before still verifies, reporting when the seal was revoked.
    public func verify(document: Data, signature: Data) async throws -> SealVerification {
        if document.count > Limits.documentBytes {
            throw DomainError.invalid(
                field: "document", rule: "max_bytes", zh: "document 不能超过 \(Limits.documentBytes / 1024 / 1024) MB",
                en: "document must be at most \(Limits.documentBytes / 1024 / 1024) MB")
        }
        let crypto = keyring.crypto
        let root = try await keyring.rootCertificate()
        var (result, decoded, signer) = ElectronicSealVerifier.check(
            documentHash: crypto.sm3(document), signature: signature, root: root, crypto: crypto, codec: codec)
        guard let decoded, let signer else { return result }
        guard Identifier.isValid(decoded.seal.info.esID), let seal = try await seals.find(id: decoded.seal.info.esID),
            seal.certificateSerialHex == signer.serialNumberHex.lowercased()
        else {
            result.fail(
                "seal_not_registered", zh: "该电子印章不在本平台的印章登记中", en: "The seal is not in this platform's register")
            return result
        }
        result.sealKind = seal.kind
        result.holderDepartmentId = seal.holderDepartmentId
        if let department = try await departments.find(id: seal.holderDepartmentId) { result.holderName = department.nameZh }
        result.revokedAt = seal.revokedAt
        if let revokedAt = seal.revokedAt, decoded.timeInfo >= revokedAt {
            result.fail(
                "seal_revoked", zh: "签章时电子印章已注销（注销时间 \(Timestamp.format(revokedAt))）",
                en: "The seal was revoked when this was signed (revoked at \(Timestamp.format(revokedAt)))")
        }
        if seal.status == .suspended, let suspendedAt = seal.suspendedAt, decoded.timeInfo >= suspendedAt {
            result.fail(
                "seal_suspended", zh: "签章时电子印章已暂停（自 \(Timestamp.format(suspendedAt))）",
                en: "The seal was suspended when this was signed (since \(Timestamp.format(suspendedAt)))")
        }
        return result
    }
}

extension SealService {
    /// Whether the actor may sign with this seal, asked before a document is read (Core/UploadAuthorization.swift's
    /// rule): a caller who may not sign cannot make the server read megabytes.
    public func authorizeSigning(sealId: String, by actor: Principal) async throws {
        if actor.kind != .system { try Policy.signWithSeals.check(actor) }
        let seal = try await find(sealId)
        if actor.kind == .system { return }
        guard seal.holderDepartmentId == actor.departmentId, seal.kind != .personalSignature || seal.holderUserId == actor.id else {
            throw DomainError(
                .forbidden, code: "not_seal_holder",
                message: LocalizedText(
                    zh: "只能使用本部门的电子印章（个人签名只能由本人使用）签章",
                    en: "You may sign only with your own department's seals (a personal signature only by its holder)"))
        }
        // The provincial authority's data seal is the platform's: it seals decision letters, grants, correction orders,
        // assessments, risk reports and archive manifests on the platform's own account. Anything a person signed with
        // it would pass as one of those (review finding), so only the platform uses it.
        if seal.kind == .dataSeal, seal.holderDepartmentId == (try await provincialAuthority())?.id {
            throw DomainError(
                .forbidden, code: "platform_seal",
                message: LocalizedText(
                    zh: "省政务数据主管部门的数据专用章由平台用于决定书、授权、整改通知等，不能用于人工签章",
                    en:
                        "The provincial data authority's data seal is the platform's (decision letters, grants, orders): nobody signs with it by hand"
                ))
        }
    }

    /// The platform's root certificate (DER): with it anyone verifies a signature offline
    /// (`ElectronicSealVerifier.verifyOffline`).
    public func rootCertificate() async throws -> Data { try await keyring.rootCertificate().der }
}
