import CGovShareSM
import Foundation
import GovShareCore

/// X.509 certificates signed with SM2-with-SM3 (OID 1.2.156.10197.1.501) and the GM/T 0009 ID, built and read by
/// libcrypto.
extension OpenSSLNationalCrypto {
    public func issueCertificate(_ request: CertificateRequest, issuer: CertificateInfo?, issuerKey: SM2PrivateKey) throws -> Data {
        guard !request.serialNumber.isEmpty, request.serialNumber.count <= 20 else {
            throw NationalCryptoError.invalidInput("serial number must be 1–20 bytes")
        }
        guard request.notBefore < request.notAfter else { throw NationalCryptoError.invalidInput("notBefore must precede notAfter") }
        var out = gs_buf()
        let ok = request.subject.commonName.withCString { cn in
            (request.subject.organization ?? "").withCString { o in
                (request.subject.organizationalUnit ?? "").withCString { ou in
                    request.subject.country.withCString { c in
                        request.serialNumber.withUnsafeBytes { serial in
                            request.publicKey.spkiDER.withUnsafeBytes { spki in
                                (issuer?.der ?? Data()).withUnsafeBytes { issuerDER in
                                    issuerKey.pkcs8DER.withUnsafeBytes { key in
                                        var req = gs_cert_request(
                                            common_name: cn, organization: o, organizational_unit: ou, country: c,
                                            serial: serial.bytes, serial_len: serial.count,
                                            not_before: Int64(request.notBefore.timeIntervalSince1970),
                                            not_after: Int64(request.notAfter.timeIntervalSince1970), spki: spki.bytes,
                                            spki_len: spki.count, is_ca: request.isCertificateAuthority ? 1 : 0)
                                        return gs_cert_issue(
                                            &req, issuer == nil ? nil : issuerDER.bytes, issuerDER.count, key.bytes, key.count, &out)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw NationalCryptoError.library("certificate issuance failed (\(Self.lastError()))") }
        return Self.take(&out)
    }

    public func parseCertificate(_ pemOrDER: Data) throws -> CertificateInfo {
        var info = gs_cert_info()
        let ok = pemOrDER.withUnsafeBytes { gs_cert_parse($0.bytes, $0.count, &info) }
        guard ok == 1 else { throw NationalCryptoError.invalidInput("not an X.509 certificate with an SM2 key (\(Self.lastError()))") }
        defer { gs_cert_info_free(&info) }
        func copy(_ buffer: gs_buf) -> Data { buffer.data.map { Data(bytes: $0, count: buffer.len) } ?? Data() }
        func text(_ buffer: gs_buf) -> String { String(decoding: copy(buffer), as: UTF8.self) }
        return CertificateInfo(
            der: copy(info.der), serialNumberHex: text(info.serial_hex), subject: text(info.subject), issuer: text(info.issuer),
            notBefore: Date(timeIntervalSince1970: TimeInterval(info.not_before)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(info.not_after)),
            publicKey: SM2PublicKey(spkiDER: copy(info.spki)), isCertificateAuthority: info.is_ca != 0,
            signatureAlgorithmOID: text(info.signature_oid))
    }

    public func verifyCertificateSignature(_ certificate: CertificateInfo, issuerKey: SM2PublicKey) -> Bool {
        let result = certificate.der.withUnsafeBytes { c in
            issuerKey.spkiDER.withUnsafeBytes { k in gs_cert_verify(c.bytes, c.count, k.bytes, k.count) }
        }
        return result == 1
    }
}
