import Foundation
import GovShareCore
import SwiftASN1

/// GB/T 38540-2019 (信息安全技术 安全电子签章密码技术规范), version 4 structures, DER over swift-asn1. Field order as
/// the standard's ASN.1 (checked against public implementations: ofdrw `org.ofdrw.gm.ses.v4` and the
/// `gm_0031_38540_verifier` templates):
///
///     SESeal          ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING, signAlgID OBJECT IDENTIFIER,
///                                    signedValue BIT STRING }
///     SES_SealInfo    ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo,
///                                    picture SES_ESPictureInfo, extDatas ExtensionDatas OPTIONAL }
///     SES_Header      ::= SEQUENCE { id IA5String ("ES"), version INTEGER (4), vid IA5String }
///     SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
///                                    certList SEQUENCE OF OCTET STRING (certListType 1: certificates),
///                                    createDate GeneralizedTime, validStart GeneralizedTime, validEnd GeneralizedTime }
///     SES_ESPictureInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
///     TBS_Sign        ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime, dataHash BIT STRING,
///                                    propertyInfo IA5String, extDatas ExtensionDatas OPTIONAL }
///     SES_Signature   ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER,
///                                    signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
///
/// The maker signs the DER of SES_SealInfo, the signer the DER of TBS_Sign (SM2 with SM3, 1.2.156.10197.1.501). We
/// write no extDatas nor timeStamp; decoding accepts and ignores an extDatas but refuses anything else unexpected.
public struct GBT38540Codec: ElectronicSealCodec {
    public static let headerID = "ES"
    public static let version = 4
    /// certListType 1: the certificates themselves (2 would be their digests).
    public static let certListType = 1
    /// Larger inputs are refused before parsing (a seal picture is at most a few hundred kilobytes).
    public static let maxBytes = 4 * 1024 * 1024

    public init() {}

    public func encodeSealInfo(_ info: SealInfoContent) throws -> Data {
        try Self.encode { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { header in
                    try header.serialize(try ASN1IA5String(Self.headerID))
                    try header.serialize(Self.version)
                    try header.serialize(try Self.ia5(info.vendorId, field: "vid"))
                }
                try coder.serialize(try Self.ia5(info.esID, field: "esID"))
                try coder.appendConstructedNode(identifier: .sequence) { property in
                    try property.serialize(info.type)
                    try property.serialize(ASN1UTF8String(info.name))
                    try property.serialize(Self.certListType)
                    try property.appendConstructedNode(identifier: .sequence) { list in
                        for certificate in info.certificates { try list.serialize(ASN1OctetString(contentBytes: ArraySlice(certificate))) }
                    }
                    try property.serialize(try Self.generalizedTime(info.createDate))
                    try property.serialize(try Self.generalizedTime(info.validStart))
                    try property.serialize(try Self.generalizedTime(info.validEnd))
                }
                try coder.appendConstructedNode(identifier: .sequence) { picture in
                    try picture.serialize(try Self.ia5(info.pictureType, field: "picture.type"))
                    try picture.serialize(ASN1OctetString(contentBytes: ArraySlice(info.pictureData)))
                    try picture.serialize(info.pictureWidthMM)
                    try picture.serialize(info.pictureHeightMM)
                }
            }
        }
    }

    public func encodeSeal(sealInfoDER: Data, makerCertificateDER: Data, signedValue: Data) throws -> Data {
        try Self.encode { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(sealInfoDER)
                try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(makerCertificateDER)))
                try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: SM2Parameters.signatureAlgorithmOID))
                try coder.serialize(ASN1BitString(bytes: ArraySlice(signedValue)))
            }
        }
    }

    public func decodeSeal(_ der: Data) throws -> DecodedSeal {
        try Self.decode(der) { try Self.seal(from: DER.parse(Array(der))) }
    }

    public func encodeToSign(_ content: ToSignContent) throws -> Data {
        try Self.encode { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(content.version)
                coder.serializeRawBytes(content.sealDER)
                try coder.serialize(try Self.generalizedTime(content.timeInfo))
                try coder.serialize(ASN1BitString(bytes: ArraySlice(content.dataHash)))
                try coder.serialize(try Self.ia5(content.propertyInfo, field: "propertyInfo"))
            }
        }
    }

    public func encodeSignature(toSignDER: Data, signerCertificateDER: Data, signature: Data) throws -> Data {
        try Self.encode { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(toSignDER)
                try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(signerCertificateDER)))
                try coder.serialize(try ASN1ObjectIdentifier(dotRepresentation: SM2Parameters.signatureAlgorithmOID))
                try coder.serialize(ASN1BitString(bytes: ArraySlice(signature)))
            }
        }
    }

    public func decodeSignature(_ der: Data) throws -> DecodedSignature {
        try Self.decode(der) {
            try DER.sequence(try DER.parse(Array(der)), identifier: .sequence) { nodes in
                let toSignNode = try Self.next(&nodes, "toSign")
                let (version, seal, time, hash, property) = try DER.sequence(toSignNode, identifier: .sequence) { tbs in
                    let version = try Int(derEncoded: &tbs)
                    let seal = try Self.seal(from: try Self.next(&tbs, "eseal"))
                    let time = try GeneralizedTime(derEncoded: &tbs)
                    let hash = try ASN1BitString(derEncoded: &tbs)
                    let property = try ASN1IA5String(derEncoded: &tbs)
                    _ = tbs.next()  // extDatas, OPTIONAL: not used here
                    return (version, seal, time, hash, property)
                }
                let certificate = try ASN1OctetString(derEncoded: &nodes)
                let algorithm = try ASN1ObjectIdentifier(derEncoded: &nodes)
                let signature = try ASN1BitString(derEncoded: &nodes)
                _ = nodes.next()  // timeStamp [0], OPTIONAL: not used here
                return DecodedSignature(
                    version: version, seal: seal, timeInfo: try Self.date(time), dataHash: Data(hash.bytes),
                    propertyInfo: String(decoding: property.bytes, as: UTF8.self), toSignDER: Data(toSignNode.encodedBytes),
                    signerCertificateDER: Data(certificate.bytes), signatureAlgorithmOID: algorithm.description,
                    signature: Data(signature.bytes))
            }
        }
    }

    // MARK: - Parts

    static func seal(from node: ASN1Node) throws -> DecodedSeal {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let infoNode = try next(&nodes, "eSealInfo")
            let (version, info) = try sealInfo(from: infoNode)
            let maker = try ASN1OctetString(derEncoded: &nodes)
            let algorithm = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let signed = try ASN1BitString(derEncoded: &nodes)
            return DecodedSeal(
                der: Data(node.encodedBytes), version: version, info: info, sealInfoDER: Data(infoNode.encodedBytes),
                makerCertificateDER: Data(maker.bytes), signatureAlgorithmOID: algorithm.description, signedValue: Data(signed.bytes))
        }
    }

    static func sealInfo(from node: ASN1Node) throws -> (Int, SealInfoContent) {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let (id, version, vid) = try DER.sequence(try next(&nodes, "header"), identifier: .sequence) { header in
                (try ASN1IA5String(derEncoded: &header), try Int(derEncoded: &header), try ASN1IA5String(derEncoded: &header))
            }
            guard String(decoding: id.bytes, as: UTF8.self) == headerID else {
                throw NationalCryptoError.invalidInput("SES_Header.id is not \"ES\"")
            }
            let esID = try ASN1IA5String(derEncoded: &nodes)
            let property = try DER.sequence(try next(&nodes, "property"), identifier: .sequence) { p in
                let type = try Int(derEncoded: &p)
                let name = try ASN1UTF8String(derEncoded: &p)
                let listType = try Int(derEncoded: &p)
                guard listType == certListType else {
                    throw NationalCryptoError.unsupported("certListType \(listType) (only 1, certificates, is read)")
                }
                let certificates = try DER.sequence(of: ASN1OctetString.self, identifier: .sequence, rootNode: try next(&p, "certList"))
                return (
                    type, String(decoding: name.bytes, as: UTF8.self), certificates.map { Data($0.bytes) },
                    try date(try GeneralizedTime(derEncoded: &p)), try date(try GeneralizedTime(derEncoded: &p)),
                    try date(try GeneralizedTime(derEncoded: &p))
                )
            }
            let picture = try DER.sequence(try next(&nodes, "picture"), identifier: .sequence) { p in
                (
                    try ASN1IA5String(derEncoded: &p), try ASN1OctetString(derEncoded: &p), try Int(derEncoded: &p),
                    try Int(derEncoded: &p)
                )
            }
            _ = nodes.next()  // extDatas, OPTIONAL
            return (
                version,
                SealInfoContent(
                    vendorId: String(decoding: vid.bytes, as: UTF8.self), esID: String(decoding: esID.bytes, as: UTF8.self),
                    type: property.0, name: property.1, certificates: property.2, createDate: property.3, validStart: property.4,
                    validEnd: property.5, pictureType: String(decoding: picture.0.bytes, as: UTF8.self),
                    pictureData: Data(picture.1.bytes), pictureWidthMM: picture.2, pictureHeightMM: picture.3)
            )
        }
    }

    static func next(_ nodes: inout ASN1NodeCollection.Iterator, _ field: String) throws -> ASN1Node {
        guard let node = nodes.next() else { throw NationalCryptoError.invalidInput("\(field) is missing") }
        return node
    }

    static func ia5(_ text: String, field: String) throws -> ASN1IA5String {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else {
            throw NationalCryptoError.invalidInput("\(field) must be ASCII (IA5String)")
        }
        return try ASN1IA5String(text)
    }

    /// UTC with millisecond precision (the revocation check compares signing times to the millisecond).
    static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Nearest millisecond: a time decoded from its own encoding (a binary fraction) encodes to the same text.
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = Date(timeIntervalSince1970: (millis / 1000).rounded(.down))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let fraction = Int(millis) - Int(whole.timeIntervalSince1970) * 1000
        var digits = String(format: "%03d", fraction)
        while digits.hasSuffix("0") { digits.removeLast() }  // DER: no trailing zeros
        return try GeneralizedTime(
            year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!,
            rawFractionalSeconds: ArraySlice(Array(digits.utf8)))
    }

    static func date(_ time: GeneralizedTime) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let whole = calendar.date(
                from: DateComponents(
                    year: time.year, month: time.month, day: time.day, hour: time.hours, minute: time.minutes, second: time.seconds))
        else { throw NationalCryptoError.invalidInput("GeneralizedTime out of range") }
        return whole.addingTimeInterval((time.fractionalSeconds * 1000).rounded() / 1000)
    }

    static func encode(_ body: (inout DER.Serializer) throws -> Void) throws -> Data {
        var serializer = DER.Serializer()
        do { try body(&serializer) } catch let error as NationalCryptoError { throw error } catch {
            throw NationalCryptoError.invalidInput("GB/T 38540 encoding: \(error)")
        }
        return Data(serializer.serializedBytes)
    }

    static func decode<T>(_ der: Data, _ body: () throws -> T) throws -> T {
        guard der.count <= maxBytes else { throw NationalCryptoError.invalidInput("larger than \(maxBytes) bytes") }
        do { return try body() } catch let error as NationalCryptoError { throw error } catch {
            throw NationalCryptoError.invalidInput("not a GB/T 38540 structure: \(error)")
        }
    }
}

extension ElectronicSealVerifier {
    /// `verifyOffline` with this package's GB/T 38540 codec: all a holder of a signed file needs besides the root.
    public static func verifyOffline(document: Data, signature: Data, root: CertificateInfo, crypto: any NationalCrypto)
        -> SealVerification
    {
        verifyOffline(document: document, signature: signature, root: root, crypto: crypto, codec: GBT38540Codec())
    }
}
