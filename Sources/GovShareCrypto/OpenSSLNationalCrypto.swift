import CGovShareSM
import Foundation
import GovShareCore

/// `NationalCrypto` over OpenSSL 3's libcrypto (Debian `libssl-dev`) through the small C module `CGovShareSM`. Every
/// primitive is libcrypto's; this type only moves bytes across and turns failures into `NationalCryptoError`.
public struct OpenSSLNationalCrypto: NationalCrypto {
    /// Inputs above this are refused before they reach the library (the C side refuses above 1 GiB too).
    public static let maximumInput = 1 << 30

    public init() {}

    // MARK: SM3

    public func sm3(_ data: Data) -> Data {
        var out = Data(count: 32)
        let ok = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { gs_sm3(input.bytes, input.count, $0.mutableBytes) }
        }
        precondition(ok == 1, "SM3 is always available in libcrypto 3")
        return out
    }

    public func sm3(contentsOf url: URL) throws -> Data {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw NationalCryptoError.invalidInput("cannot read \(url.path)")
        }
        defer { try? handle.close() }
        guard let ctx = gs_sm3_new() else { throw NationalCryptoError.library(Self.lastError()) }
        defer { gs_sm3_free(ctx) }
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            let ok = chunk.withUnsafeBytes { gs_sm3_update(ctx, $0.bytes, $0.count) }
            guard ok == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        }
        var out = Data(count: 32)
        let ok = out.withUnsafeMutableBytes { gs_sm3_final(ctx, $0.mutableBytes) }
        guard ok == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        return out
    }

    public func hmacSM3(key: Data, message: Data) -> Data {
        var out = Data(count: 32)
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in out.withUnsafeMutableBytes { hmacSM3(key: k, message: m, into: $0) } }
        }
        return out
    }

    public func hmacSM3(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, into mac: UnsafeMutableRawBufferPointer) {
        precondition(mac.count == 32, "an HMAC-SM3 is 32 bytes")
        let ok = gs_hmac_sm3(key.bytes, key.count, message.bytes, message.count, mac.mutableBytes)
        precondition(ok == 1, "HMAC-SM3 is always available in libcrypto 3")
    }

    // MARK: SM4

    static let gcmNonceSize = 12
    static let gcmTagSize = 16
    static let gcmOverhead = 28

    public func sm4GCMSeal(_ plaintext: Data, key: Data, associatedData: Data) throws -> Data {
        try sm4GCMSeal(plaintext, key: key, nonce: randomBytes(Self.gcmNonceSize), associatedData: associatedData)
    }

    /// SM4-GCM with a caller's nonce: known-answer tests (RFC 8998's vector) only. A nonce used twice with one key
    /// breaks GCM, which is why the protocol's method draws a fresh one.
    public func sm4GCMSeal(_ plaintext: Data, key: Data, nonce: Data, associatedData: Data) throws -> Data {
        try Self.checkKey(key)
        try Self.checkSize(plaintext)
        guard nonce.count == Self.gcmNonceSize else { throw NationalCryptoError.invalidInput("SM4-GCM nonce must be 12 bytes") }
        var ciphertext = Data(count: plaintext.count)
        var tag = Data(count: Self.gcmTagSize)
        let ok = key.withUnsafeBytes { k in
            nonce.withUnsafeBytes { n in
                associatedData.withUnsafeBytes { a in
                    plaintext.withUnsafeBytes { p in
                        ciphertext.withUnsafeMutableBytes { c in
                            tag.withUnsafeMutableBytes { t in
                                gs_sm4_gcm_seal(
                                    k.bytes, n.bytes, n.count, a.bytes, a.count, p.bytes, p.count, c.mutableBytes, t.mutableBytes)
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        return nonce + ciphertext + tag
    }

    public func sm4GCMOpen(_ sealed: Data, key: Data, associatedData: Data) throws -> Data {
        try Self.checkSize(sealed)
        guard sealed.count >= Self.gcmOverhead else { throw NationalCryptoError.invalidInput("SM4-GCM data shorter than nonce and tag") }
        var plaintext = Data(count: sealed.count - Self.gcmOverhead)
        try key.withUnsafeBytes { k in
            try associatedData.withUnsafeBytes { a in
                try sealed.withUnsafeBytes { s in
                    try plaintext.withUnsafeMutableBytes { p in try sm4GCMOpen(s, key: k, associatedData: a, into: p) }
                }
            }
        }
        return plaintext
    }

    /// The checks both raw SM4-GCM calls make before touching a buffer: a 16-byte key, inputs within the size limit.
    private static func checkBuffers(key: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer)
        throws
    {
        guard key.count == 16 else { throw NationalCryptoError.invalidKey("SM4 keys are 16 bytes, got \(key.count)") }
        guard input.count <= maximumInput, associatedData.count <= maximumInput else {
            throw NationalCryptoError.invalidInput("more than \(maximumInput) bytes")
        }
    }

    public func sm4GCMSeal(
        _ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        into sealed: UnsafeMutableRawBufferPointer
    ) throws {
        try Self.checkBuffers(key: key, input: plaintext, associatedData: associatedData)
        guard sealed.count == plaintext.count + Self.gcmOverhead, let out = sealed.baseAddress else {
            throw NationalCryptoError.invalidInput("SM4-GCM output must be the plaintext and 28 bytes")
        }
        let nonce = out.assumingMemoryBound(to: UInt8.self)
        guard gs_random(nonce, Self.gcmNonceSize) == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        let ok = gs_sm4_gcm_seal(
            key.bytes, nonce, Self.gcmNonceSize, associatedData.bytes, associatedData.count, plaintext.bytes, plaintext.count,
            nonce + Self.gcmNonceSize, nonce + Self.gcmNonceSize + plaintext.count)
        guard ok == 1 else { throw NationalCryptoError.library(Self.lastError()) }
    }

    public func sm4GCMOpen(
        _ sealed: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws {
        try Self.checkBuffers(key: key, input: sealed, associatedData: associatedData)
        guard sealed.count >= Self.gcmOverhead, plaintext.count == sealed.count - Self.gcmOverhead else {
            throw NationalCryptoError.invalidInput("SM4-GCM data shorter than nonce and tag, or output of the wrong size")
        }
        let s = sealed.bytes
        let result = gs_sm4_gcm_open(
            key.bytes, s, Self.gcmNonceSize, associatedData.bytes, associatedData.count, s + Self.gcmNonceSize, plaintext.count,
            s + sealed.count - Self.gcmTagSize, plaintext.mutableBytes)
        switch result {
        case 1: return
        case 0: throw NationalCryptoError.authenticationFailed
        default: throw NationalCryptoError.library(Self.lastError())
        }
    }

    public func sm4CBCEncrypt(_ plaintext: Data, key: Data, iv: Data) throws -> Data {
        try cbc(encrypt: true, plaintext, key: key, iv: iv)
    }

    public func sm4CBCDecrypt(_ ciphertext: Data, key: Data, iv: Data) throws -> Data {
        try cbc(encrypt: false, ciphertext, key: key, iv: iv)
    }

    private func cbc(encrypt: Bool, _ input: Data, key: Data, iv: Data) throws -> Data {
        try Self.checkKey(key)
        try Self.checkSize(input)
        guard iv.count == 16 else { throw NationalCryptoError.invalidInput("SM4-CBC IV must be 16 bytes, got \(iv.count)") }
        if !encrypt && input.count % 16 != 0 {
            throw NationalCryptoError.invalidInput("SM4-CBC ciphertext must be whole 16-byte blocks")
        }
        var out = gs_buf()
        let ok = key.withUnsafeBytes { k in
            iv.withUnsafeBytes { v in input.withUnsafeBytes { gs_sm4_cbc(encrypt ? 1 : 0, k.bytes, v.bytes, $0.bytes, $0.count, &out) } }
        }
        guard ok == 1 else {
            throw encrypt ? NationalCryptoError.library(Self.lastError()) : NationalCryptoError.authenticationFailed
        }
        return Self.take(&out)
    }

    public func sm4EncryptBlocks(_ blocks: Data, key: Data) throws -> Data {
        try Self.checkKey(key)
        try Self.checkSize(blocks)
        guard blocks.count % 16 == 0 else { throw NationalCryptoError.invalidInput("SM4 blocks must be a multiple of 16 bytes") }
        var out = Data(count: blocks.count)
        let ok = key.withUnsafeBytes { k in
            blocks.withUnsafeBytes { b in out.withUnsafeMutableBytes { gs_sm4_ecb_encrypt(k.bytes, b.bytes, b.count, $0.mutableBytes) } }
        }
        guard ok == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        return out
    }

    public func randomBytes(_ count: Int) -> Data {
        var out = Data(count: max(count, 0))
        let ok = out.withUnsafeMutableBytes { gs_random($0.mutableBytes, $0.count) }
        precondition(ok == 1, "the system random generator failed")
        return out
    }

    // MARK: SM2

    public func generateSM2Key() throws -> SM2PrivateKey {
        var out = gs_buf()
        guard gs_sm2_generate(&out) == 1 else { throw NationalCryptoError.library(Self.lastError()) }
        return SM2PrivateKey(pkcs8DER: Self.take(&out))
    }

    public func publicKey(of key: SM2PrivateKey) throws -> SM2PublicKey {
        var out = gs_buf()
        let ok = key.pkcs8DER.withUnsafeBytes { gs_sm2_public_of($0.bytes, $0.count, &out) }
        guard ok == 1 else { throw NationalCryptoError.invalidKey("not an SM2 private key (\(Self.lastError()))") }
        return SM2PublicKey(spkiDER: Self.take(&out))
    }

    public func sign(_ message: Data, with key: SM2PrivateKey, id: Data) throws -> Data {
        try Self.checkSize(message)
        try Self.checkID(id)
        guard let handle = SM2KeyHandle.privateKeys.handle(for: key.pkcs8DER, load: gs_sm2_private_load) else {
            throw NationalCryptoError.invalidKey("not an SM2 private key (\(Self.lastError()))")
        }
        var out = gs_buf()
        let ok = id.withUnsafeBytes { i in
            message.withUnsafeBytes { gs_sm2_sign_with(handle.pointer, i.bytes, i.count, $0.bytes, $0.count, &out) }
        }
        guard ok == 1 else { throw NationalCryptoError.invalidKey("SM2 signing failed (\(Self.lastError()))") }
        return Self.take(&out)
    }

    public func verify(_ signature: Data, of message: Data, by key: SM2PublicKey, id: Data) -> Bool {
        guard message.count <= Self.maximumInput, signature.count <= 256, (1...8191).contains(id.count),
            let handle = SM2KeyHandle.publicKeys.handle(for: key.spkiDER, load: gs_sm2_public_load)
        else { return false }
        let result = id.withUnsafeBytes { i in
            message.withUnsafeBytes { m in
                signature.withUnsafeBytes { s in gs_sm2_verify_with(handle.pointer, i.bytes, i.count, m.bytes, m.count, s.bytes, s.count) }
            }
        }
        return result == 1
    }

    public func encrypt(_ plaintext: Data, to key: SM2PublicKey) throws -> Data {
        try Self.checkSize(plaintext)
        var out = gs_buf()
        let ok = key.spkiDER.withUnsafeBytes { k in plaintext.withUnsafeBytes { gs_sm2_encrypt(k.bytes, k.count, $0.bytes, $0.count, &out) }
        }
        guard ok == 1 else { throw NationalCryptoError.invalidKey("SM2 encryption failed (\(Self.lastError()))") }
        return Self.take(&out)
    }

    public func decrypt(_ ciphertext: Data, with key: SM2PrivateKey) throws -> Data {
        try Self.checkSize(ciphertext)
        var out = gs_buf()
        let ok = key.pkcs8DER.withUnsafeBytes { k in
            ciphertext.withUnsafeBytes { gs_sm2_decrypt(k.bytes, k.count, $0.bytes, $0.count, &out) }
        }
        guard ok == 1 else { throw NationalCryptoError.authenticationFailed }
        return Self.take(&out)
    }

    // MARK: Import

    public func importPrivateKey(_ pemOrDER: Data) throws -> SM2PrivateKey {
        var out = gs_buf()
        let ok = pemOrDER.withUnsafeBytes { gs_sm2_import_private($0.bytes, $0.count, &out) }
        guard ok == 1 else {
            throw NationalCryptoError.invalidKey("not an unencrypted SM2 private key on sm2p256v1 (\(Self.lastError()))")
        }
        return SM2PrivateKey(pkcs8DER: Self.take(&out))
    }

    public func importPublicKey(_ pemOrDER: Data) throws -> SM2PublicKey {
        var out = gs_buf()
        let ok = pemOrDER.withUnsafeBytes { gs_sm2_import_public($0.bytes, $0.count, &out) }
        guard ok == 1 else { throw NationalCryptoError.invalidKey("not an SM2 public key on sm2p256v1 (\(Self.lastError()))") }
        return SM2PublicKey(spkiDER: Self.take(&out))
    }

    // MARK: Helpers

    static func take(_ buffer: inout gs_buf) -> Data {
        defer { gs_buf_free(&buffer) }
        guard let data = buffer.data else { return Data() }
        return Data(bytes: data, count: buffer.len)
    }

    static func lastError() -> String {
        var text = [CChar](repeating: 0, count: 256)
        guard gs_last_error(&text, text.count) == 1 else { return "no detail" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func checkKey(_ key: Data) throws {
        guard key.count == 16 else { throw NationalCryptoError.invalidKey("SM4 keys are 16 bytes, got \(key.count)") }
    }

    static func checkSize(_ data: Data) throws {
        guard data.count <= maximumInput else { throw NationalCryptoError.invalidInput("more than \(maximumInput) bytes") }
    }

    static func checkID(_ id: Data) throws {
        // ENTL is two bytes of bit length: the ID is at most 8191 bytes; an empty ID is what OpenSSL 3.0 would default to.
        guard (1...8191).contains(id.count) else { throw NationalCryptoError.invalidInput("SM2 ID must be 1–8191 bytes") }
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as the C module takes them; a valid (never dereferenced) pointer for empty buffers.
    var bytes: UnsafePointer<UInt8> {
        guard let base = baseAddress else { return UnsafePointer(bitPattern: 1)! }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}

extension UnsafeMutableRawBufferPointer {
    var mutableBytes: UnsafeMutablePointer<UInt8> {
        guard let base = baseAddress else { return UnsafeMutablePointer(bitPattern: 1)! }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
