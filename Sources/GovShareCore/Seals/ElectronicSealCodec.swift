import Foundation

/// The content of a GB/T 38540-2019 seal (SES_SealInfo, version 4): what the seal maker signs.
public struct SealInfoContent: Sendable, Equatable {
    /// SES_Header.vid: who made the structure.
    public var vendorId: String
    /// SES_SealInfo.esID: the seal's identifier (our seal id).
    public var esID: String
    /// SES_ESPropertyInfo.type: 1 an organisation's seal, 2 a person's (`SealKind.standardType`).
    public var type: Int
    public var name: String
    /// The holder's certificates (certListType 1: the certificates themselves, DER).
    public var certificates: [Data]
    public var createDate: Date
    public var validStart: Date
    public var validEnd: Date
    /// SES_ESPictureInfo: "PNG", the picture's bytes (empty when none was supplied) and its printed size in mm.
    public var pictureType: String
    public var pictureData: Data
    public var pictureWidthMM: Int
    public var pictureHeightMM: Int

    public init(
        vendorId: String, esID: String, type: Int, name: String, certificates: [Data], createDate: Date, validStart: Date,
        validEnd: Date, pictureType: String, pictureData: Data, pictureWidthMM: Int, pictureHeightMM: Int
    ) {
        self.vendorId = vendorId; self.esID = esID; self.type = type; self.name = name; self.certificates = certificates
        self.createDate = createDate; self.validStart = validStart; self.validEnd = validEnd; self.pictureType = pictureType
        self.pictureData = pictureData; self.pictureWidthMM = pictureWidthMM; self.pictureHeightMM = pictureHeightMM
    }
}

/// A parsed SESeal: its content, and the exact bytes the maker's signature covers.
public struct DecodedSeal: Sendable, Equatable {
    public let der: Data
    public let version: Int
    public let info: SealInfoContent
    /// The SES_SealInfo as encoded (the maker signed these bytes).
    public let sealInfoDER: Data
    public let makerCertificateDER: Data
    public let signatureAlgorithmOID: String
    public let signedValue: Data

    public init(
        der: Data, version: Int, info: SealInfoContent, sealInfoDER: Data, makerCertificateDER: Data,
        signatureAlgorithmOID: String, signedValue: Data
    ) {
        self.der = der; self.version = version; self.info = info; self.sealInfoDER = sealInfoDER
        self.makerCertificateDER = makerCertificateDER; self.signatureAlgorithmOID = signatureAlgorithmOID
        self.signedValue = signedValue
    }
}

/// What a signer signs (TBS_Sign, version 4).
public struct ToSignContent: Sendable, Equatable {
    public var version: Int
    /// The SESeal, DER, embedded as is.
    public var sealDER: Data
    public var timeInfo: Date
    /// SM3 of the document.
    public var dataHash: Data
    /// What the document is (its name or purpose), IA5 (ASCII) text.
    public var propertyInfo: String

    public init(version: Int, sealDER: Data, timeInfo: Date, dataHash: Data, propertyInfo: String) {
        self.version = version; self.sealDER = sealDER; self.timeInfo = timeInfo; self.dataHash = dataHash
        self.propertyInfo = propertyInfo
    }
}

/// A parsed SES_Signature.
public struct DecodedSignature: Sendable, Equatable {
    public let version: Int
    public let seal: DecodedSeal
    public let timeInfo: Date
    public let dataHash: Data
    public let propertyInfo: String
    /// The TBS_Sign as encoded (the signer signed these bytes).
    public let toSignDER: Data
    public let signerCertificateDER: Data
    public let signatureAlgorithmOID: String
    public let signature: Data

    public init(
        version: Int, seal: DecodedSeal, timeInfo: Date, dataHash: Data, propertyInfo: String, toSignDER: Data,
        signerCertificateDER: Data, signatureAlgorithmOID: String, signature: Data
    ) {
        self.version = version; self.seal = seal; self.timeInfo = timeInfo; self.dataHash = dataHash
        self.propertyInfo = propertyInfo; self.toSignDER = toSignDER; self.signerCertificateDER = signerCertificateDER
        self.signatureAlgorithmOID = signatureAlgorithmOID; self.signature = signature
    }
}

/// The DER encoding of GB/T 38540's seal (SESeal) and signature (SES_Signature) structures. Core says what it needs;
/// GovShareCrypto implements it over swift-asn1 (`GBT38540Codec`), so Core holds no DER code. Decoding refuses
/// anything malformed with `NationalCryptoError.invalidInput` (never a crash, whatever the bytes).
public protocol ElectronicSealCodec: Sendable {
    /// SES_SealInfo DER: what the maker signs.
    func encodeSealInfo(_ info: SealInfoContent) throws -> Data
    /// SESeal DER from the signed SES_SealInfo, the maker's certificate and signature (SM2 with SM3).
    func encodeSeal(sealInfoDER: Data, makerCertificateDER: Data, signedValue: Data) throws -> Data
    func decodeSeal(_ der: Data) throws -> DecodedSeal
    /// TBS_Sign DER: what the signer signs.
    func encodeToSign(_ content: ToSignContent) throws -> Data
    /// SES_Signature DER from the signed TBS_Sign, the signer's certificate and signature (SM2 with SM3).
    func encodeSignature(toSignDER: Data, signerCertificateDER: Data, signature: Data) throws -> Data
    func decodeSignature(_ der: Data) throws -> DecodedSignature
}
