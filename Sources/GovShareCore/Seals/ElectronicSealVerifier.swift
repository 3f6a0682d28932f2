import Foundation

/// The outcome of checking a GB/T 38540 signature: valid only when every check passed; `reasons` says why not.
public struct SealVerification: Sendable, Equatable, Codable {
    public struct Reason: Sendable, Equatable, Codable {
        public let code: String
        public let message: LocalizedText
        public init(code: String, zh: String, en: String) { self.code = code; message = LocalizedText(zh: zh, en: en) }
    }

    public var valid: Bool { reasons.isEmpty }
    public var reasons: [Reason]
    public var sealId: String?
    public var sealName: String?
    public var sealKind: SealKind?
    public var holderDepartmentId: String?
    /// The holder as the certificate names it (its organisation), or the department's name online.
    public var holderName: String?
    public var signerSubject: String?
    public var signerCertificateSerialHex: String?
    public var signedAt: Date?
    /// SM3 of the document checked, hex.
    public var documentSM3Hex: String
    /// What the document is, as the signer stated (TBS_Sign.propertyInfo).
    public var documentProperty: String?
    /// When the seal was revoked: for a valid signature, a revocation after it was made (it stays valid).
    public var revokedAt: Date?

    public init(documentSM3Hex: String) {
        reasons = []; self.documentSM3Hex = documentSM3Hex
    }

    mutating func fail(_ code: String, zh: String, en: String) { reasons.append(Reason(code: code, zh: zh, en: en)) }
}

/// Checks a signature made here with nothing but the platform's root certificate (an e-licence file's holder, a court,
/// another system): the document's SM3 against the signed hash, the signer's SM2 signature over TBS_Sign (ID
/// 1234567812345678), the signer's certificate inside the seal, the root's signature over the seal (its maker), the
/// certificate's chain to the root, and the seal's and certificate's validity at the signing time. Revocation needs
/// the registry (`SealService.verify`, or the status query by certificate serial).
public enum ElectronicSealVerifier {
    public static func verifyOffline(
        document: Data, signature: Data, root: CertificateInfo, crypto: any NationalCrypto, codec: any ElectronicSealCodec
    ) -> SealVerification {
        check(documentHash: crypto.sm3(document), signature: signature, root: root, crypto: crypto, codec: codec).result
    }

    /// The offline checks; also returns the parsed signature for the registry's checks on top.
    static func check(
        documentHash: Data, signature: Data, root: CertificateInfo, crypto: any NationalCrypto, codec: any ElectronicSealCodec
    ) -> (result: SealVerification, decoded: DecodedSignature?, signer: CertificateInfo?) {
        var result = SealVerification(documentSM3Hex: Hex.encode(documentHash))
        let decoded: DecodedSignature
        do { decoded = try codec.decodeSignature(signature) } catch {
            result.fail(
                "malformed_signature", zh: "签章数据不是有效的 GB/T 38540 SES_Signature（DER）：\(error)",
                en: "The signature is not a valid GB/T 38540 SES_Signature (DER): \(error)")
            return (result, nil, nil)
        }
        result.signedAt = decoded.timeInfo
        result.documentProperty = decoded.propertyInfo
        result.sealId = decoded.seal.info.esID
        result.sealName = decoded.seal.info.name
        result.sealKind = decoded.seal.info.type == 2 ? .personalSignature : nil
        if decoded.version != 4 || decoded.seal.version != 4 {
            result.fail("unsupported_version", zh: "仅支持第 4 版电子签章结构", en: "Only version 4 seal structures are supported")
        }
        if decoded.dataHash != documentHash {
            result.fail(
                "document_changed", zh: "原文的 SM3 杂凑值与签章中的不一致：文件已被改动或不是所签的文件",
                en: "The document's SM3 hash differs from the signed one: the file was changed or is not the one signed")
        }
        let signer: CertificateInfo
        do { signer = try crypto.parseCertificate(decoded.signerCertificateDER) } catch {
            result.fail("signer_certificate_invalid", zh: "签章者证书无法解析", en: "The signer's certificate cannot be parsed")
            return (result, decoded, nil)
        }
        result.signerSubject = signer.subject
        result.signerCertificateSerialHex = signer.serialNumberHex
        result.holderName = organisation(in: signer.subject)
        if result.sealKind == nil {
            result.sealKind = SealKind.allCases.first { signer.subject.contains("OU=\($0.name.zh)") }
        }
        if decoded.signatureAlgorithmOID != SM2Parameters.signatureAlgorithmOID
            || !crypto.verify(decoded.signature, of: decoded.toSignDER, by: signer.publicKey, id: SM2Parameters.defaultID)
        {
            result.fail(
                "signature_invalid", zh: "签章签名值验证失败（SM2，签名者标识 1234567812345678）",
                en: "The signature value does not verify (SM2, ID 1234567812345678)")
        }
        if !decoded.seal.info.certificates.contains(decoded.signerCertificateDER) {
            result.fail(
                "signer_not_in_seal", zh: "签章者证书不在电子印章的证书列表中",
                en: "The signer's certificate is not in the seal's certificate list")
        }
        checkSeal(decoded.seal, root: root, crypto: crypto, into: &result)
        if !PlatformKeyring.chains(signer, to: root, at: decoded.timeInfo, crypto: crypto) {
            result.fail(
                "chain_invalid", zh: "签章者证书不是由平台根证书签发，或签章时不在有效期内",
                en: "The signer's certificate was not issued by the platform's root or was not valid at the signing time")
        }
        let info = decoded.seal.info
        if decoded.timeInfo < info.validStart || decoded.timeInfo > info.validEnd {
            result.fail(
                "seal_not_valid_at_signing", zh: "签章时间不在电子印章有效期内",
                en: "The signing time lies outside the seal's validity")
        }
        return (result, decoded, signer)
    }

    /// The maker's signature over SES_SealInfo must be the root's.
    static func checkSeal(_ seal: DecodedSeal, root: CertificateInfo, crypto: any NationalCrypto, into result: inout SealVerification) {
        guard seal.makerCertificateDER == root.der else {
            result.fail(
                "seal_maker_unknown", zh: "电子印章的制章者证书不是平台根证书",
                en: "The seal's maker certificate is not the platform's root certificate")
            return
        }
        if seal.signatureAlgorithmOID != SM2Parameters.signatureAlgorithmOID
            || !crypto.verify(seal.signedValue, of: seal.sealInfoDER, by: root.publicKey, id: SM2Parameters.defaultID)
        {
            result.fail(
                "seal_signature_invalid", zh: "电子印章的制章签名验证失败：印章数据已被改动",
                en: "The seal maker's signature does not verify: the seal data was changed")
        }
    }

    /// `O=` of a one-line subject (`CN=…,O=…,C=CN`); names here do not hold commas (issuance refuses them).
    static func organisation(in subject: String) -> String? {
        subject.split(separator: ",").first { $0.hasPrefix("O=") }.map { String($0.dropFirst(2)) }
    }
}
