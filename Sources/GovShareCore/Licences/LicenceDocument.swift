import Foundation

/// The one canonical rendering of a licence that its issuer's seal signs: UTF-8 JSON with sorted keys, no
/// insignificant whitespace, fields in the type's order. It is made once at issuance and stored as signed; a copy
/// handed out is those stored bytes, never a re-rendering.
public enum LicenceDocument {
    public static let format = "govshare-licence/1"

    struct Named: Codable { var code: String?; var id: String?; var kind: String?; var name: String; var nameEn: String? }
    struct Field: Codable { var item: String; var name: String; var value: String }
    struct File: Codable { var fileName: String; var size: Int; var sha256: String }
    struct Body: Codable {
        var format: String
        var id: String
        var nodeId: String
        var type: Named
        var number: String
        var holder: Named
        var issuer: Named
        var issuedAt: String
        var validFrom: String
        var validTo: String?
        var fields: [Field]
        var file: File?
    }

    public static func render(_ licence: Licence, type: LicenceType, issuer: Department) -> Data {
        let body = Body(
            format: format, id: licence.id, nodeId: licence.nodeId,
            type: Named(code: type.code, name: type.nameZh, nameEn: type.nameEn), number: licence.number,
            holder: Named(id: licence.holderId, kind: type.holderKind.rawValue, name: licence.holderName),
            issuer: Named(code: issuer.code, name: issuer.nameZh), issuedAt: licence.issuedAt, validFrom: licence.validFrom,
            validTo: licence.validTo,
            fields: type.fields.compactMap { f in licence.fields[f.item].map { Field(item: f.item, name: f.nameZh, value: $0) } },
            file: licence.attachment.map { File(fileName: $0.fileName, size: $0.size, sha256: $0.sha256) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain strings and numbers cannot fail.
        return (try? encoder.encode(body)) ?? Data()
    }

    /// The document's licence id, number and holder, read back (what `verify` reports alongside the signature).
    public static func summary(of document: Data) -> (id: String, number: String, holderId: String, typeName: String)? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let body = try? decoder.decode(Body.self, from: document), body.format == format else { return nil }
        return (body.id, body.number, body.holder.id ?? "", body.type.name)
    }
}

/// What a licence holder or anyone they hand it to keeps: the signed document, the SES_Signature and the signer's
/// certificate chain. It verifies with nothing but the platform's root certificate (`verifyOffline`).
public struct LicencePackage: Sendable, Codable, Equatable {
    public static let format = "govshare-licence-package/1"
    public var format: String
    public var licenceId: String
    /// The canonical document, base64 (its bytes are what was signed), and the same as text for people to read.
    public var document: String
    public var documentText: String
    /// The SES_Signature (DER), base64.
    public var signature: String
    /// PEM certificates, the signer's first and the platform's root last.
    public var chain: [String]
    /// The status when the package was made; whether it is still in force is asked online (lookup).
    public var statusAtDownload: LicenceStatus

    public init(licence: Licence, chain: [String], status: LicenceStatus) {
        format = Self.format; licenceId = licence.id; document = licence.document.base64EncodedString()
        documentText = String(decoding: licence.document, as: UTF8.self); signature = licence.signatureDER.base64EncodedString()
        self.chain = chain; statusAtDownload = status
    }

    enum CodingKeys: String, CodingKey {
        case format, document, signature, chain
        case licenceId = "licence_id", documentText = "document_text", statusAtDownload = "status_at_download"
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    public static func decode(_ data: Data) throws -> LicencePackage {
        guard let package = try? JSONDecoder().decode(LicencePackage.self, from: data), package.format == format else {
            throw DomainError.invalid(
                field: "package", rule: "format", zh: "不是电子证照文件包（\(format)）", en: "Not an e-licence package (\(format))")
        }
        return package
    }

    /// Checks the package with the root certificate alone (no database, no network): the signature over the document
    /// as the package carries it, the seal and its certificate's chain to `root`. A changed byte anywhere in the
    /// document or the signature fails. Revocation after issuance is not visible offline.
    public func verifyOffline(root: CertificateInfo, crypto: any NationalCrypto, codec: any ElectronicSealCodec) -> SealVerification {
        guard let documentBytes = Data(base64Encoded: document), let signatureBytes = Data(base64Encoded: signature) else {
            var failed = SealVerification(documentSM3Hex: "")
            failed.reasons.append(
                .init(code: "malformed_package", zh: "文件包的文档或签章不是 base64", en: "The package's document or signature is not base64"))
            return failed
        }
        var result = ElectronicSealVerifier.verifyOffline(
            document: documentBytes, signature: signatureBytes, root: root, crypto: crypto, codec: codec)
        if LicenceDocument.summary(of: documentBytes)?.id != licenceId {
            result.reasons.append(
                .init(code: "document_mismatch", zh: "文档不是该证照的规范文档", en: "The document is not this licence's canonical document"))
        }
        return result
    }
}

extension LicencePackage {
    /// Reads a package file and checks it against a root certificate (PEM or DER) with nothing else: what
    /// `govshare licence verify` and any offline verifier do. Throws only when the inputs cannot be read at all.
    public static func verifyOffline(
        package data: Data, rootCertificate: Data, crypto: any NationalCrypto, codec: any ElectronicSealCodec
    ) throws -> (LicencePackage, SealVerification) {
        let package = try decode(data)
        guard let root = try? crypto.parseCertificate(rootCertificate) else {
            throw DomainError.invalid(
                field: "root", rule: "certificate", zh: "根证书不是有效的 X.509 证书（PEM 或 DER）",
                en: "The root certificate is not a valid X.509 certificate (PEM or DER)")
        }
        return (package, package.verifyOffline(root: root, crypto: crypto, codec: codec))
    }
}
