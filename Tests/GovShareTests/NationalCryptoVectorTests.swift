import Foundation
import GovShareCore
import GovShareCrypto
import Testing

/// The national algorithms through `OpenSSLNationalCrypto`, checked against the standards' published vectors
/// (../shared/spec/gm-test-vectors.txt: GB/T 32905 SM3, GB/T 32907 SM4, GB/T 32918.5 SM2 on the recommended curve),
/// RFC 8998's SM4-GCM vector and values the `openssl` 3.0 CLI printed (pinned here so this suite needs no CLI).
/// The GB/T 32918.2 example-curve signature does not apply: that curve is not sm2p256v1 and nothing here accepts it.
@Suite("National cryptography: standard vectors")
struct NationalCryptoVectorTests {
    let crypto = OpenSSLNationalCrypto()

    // MARK: SM3 (GB/T 32905 Appendix A)

    @Test func sm3OfTheStandardsMessages() throws {
        #expect(crypto.sm3(Data("abc".utf8)) == hexBytes("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"))
        let sixtyFour = Data(String(repeating: "abcd", count: 16).utf8)
        #expect(sixtyFour.count == 64)
        #expect(crypto.sm3(sixtyFour) == hexBytes("DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732"))
        #expect(crypto.sm3(Data()) == hexBytes("1AB21D8355CFA17F8E61194831E81A8F22BEC8C728FEFB747ED035EB5082AA2B"))
        // A slice that does not start at index 0 hashes its own bytes, not the buffer's.
        let slice = Data("xxabc".utf8).dropFirst(2)
        #expect(crypto.sm3(slice) == crypto.sm3(Data("abc".utf8)))
    }

    @Test func sm3OfAFileEqualsSM3OfItsBytes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sm3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Larger than any sensible read chunk, and not a multiple of one, so the chunking shows.
        let count: Int = 3 * 1024 * 1024 + 17
        let bytes = Data((0..<count).map { (i: Int) -> UInt8 in UInt8(truncatingIfNeeded: i &* 31 &+ 7) })
        let file = directory.appendingPathComponent("scan.bin")
        try bytes.write(to: file)
        #expect(try crypto.sm3(contentsOf: file) == crypto.sm3(bytes))
        let abc = directory.appendingPathComponent("abc.txt")
        try Data("abc".utf8).write(to: abc)
        #expect(try crypto.sm3(contentsOf: abc) == hexBytes("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"))
        let empty = directory.appendingPathComponent("empty")
        try Data().write(to: empty)
        #expect(try crypto.sm3(contentsOf: empty) == hexBytes("1AB21D8355CFA17F8E61194831E81A8F22BEC8C728FEFB747ED035EB5082AA2B"))
        #expect(throws: NationalCryptoError.self) { try crypto.sm3(contentsOf: directory.appendingPathComponent("missing")) }
    }

    // MARK: HMAC-SM3 (values from `openssl dgst -sm3 -hmac`, cross-checked with Python's hmac over OpenSSL's SM3)

    @Test func hmacSM3MatchesOpenSSL() {
        // printf abc | openssl dgst -sm3 -hmac key
        #expect(
            crypto.hmacSM3(key: Data("key".utf8), message: Data("abc".utf8))
                == hexBytes("28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393"))
        // printf 'The quick brown fox jumps over the lazy dog' | openssl dgst -sm3 -hmac 'GovShare HMAC key'
        #expect(
            crypto.hmacSM3(
                key: Data("GovShare HMAC key".utf8), message: Data("The quick brown fox jumps over the lazy dog".utf8))
                == hexBytes("f3177c2c2e1f539c9546e5a73f2a3226cf9da7d1426b4893d84290b819c152ec"))
        // A key longer than SM3's 64-byte block is hashed first: 100 bytes 0xAB over 100 zero bytes
        // (openssl dgst -sm3 -mac HMAC -macopt hexkey:abab…).
        #expect(
            crypto.hmacSM3(key: Data(repeating: 0xAB, count: 100), message: Data(count: 100))
                == hexBytes("d1e79a69e8871692a0862eb418b332da62f80c3e21500ace58983afc09cc3d1b"))
        // The empty key is a valid HMAC key (RFC 2104); python3 hmac.new(b'', b'', 'sm3').
        #expect(
            crypto.hmacSM3(key: Data(), message: Data())
                == hexBytes("0d23f72ba15e9c189a879aefc70996b06091de6e64d31b7a84004356dd915261"))
    }

    // MARK: SM4 (GB/T 32907 Appendix A)

    static let sm4Key = "0123456789ABCDEFFEDCBA9876543210"

    @Test func sm4ExampleBlock() throws {
        let key = hexBytes(Self.sm4Key)
        #expect(try crypto.sm4EncryptBlocks(hexBytes(Self.sm4Key), key: key) == hexBytes("681EDF34D206965E86B3E94F536E4246"))
        // Two blocks are two independent ECB blocks.
        let two = try crypto.sm4EncryptBlocks(hexBytes(Self.sm4Key + Self.sm4Key), key: key)
        #expect(two == hexBytes("681EDF34D206965E86B3E94F536E4246681EDF34D206965E86B3E94F536E4246"))
    }

    /// The standard's second example: the plaintext encrypted 1,000,000 times with the same key (about a second).
    @Test func sm4MillionIterations() throws {
        let key = hexBytes(Self.sm4Key)
        var block = hexBytes(Self.sm4Key)
        for _ in 0..<1_000_000 { block = try crypto.sm4EncryptBlocks(block, key: key) }
        #expect(block == hexBytes("595298C7C6FD271F0402F804C33D3F66"))
    }

    @Test func sm4RefusesWrongSizes() {
        let key = hexBytes(Self.sm4Key)
        #expect(throws: NationalCryptoError.self) { try crypto.sm4EncryptBlocks(Data(count: 15), key: key) }
        #expect(throws: NationalCryptoError.self) { try crypto.sm4EncryptBlocks(Data(count: 16), key: Data(count: 15)) }
        #expect(throws: NationalCryptoError.self) { try crypto.sm4EncryptBlocks(Data(count: 16), key: Data(count: 32)) }
        #expect(throws: NationalCryptoError.self) { try crypto.sm4GCMSeal(Data("x".utf8), key: Data(count: 8), associatedData: Data()) }
        #expect(throws: NationalCryptoError.self) { try crypto.sm4CBCEncrypt(Data("x".utf8), key: key, iv: Data(count: 8)) }
    }

    // MARK: SM4-CBC (printf … | openssl enc -sm4-cbc -K … -iv …, as in openssl-sm-commands.sh)

    @Test func sm4CBCMatchesOpenSSL() throws {
        let key = hexBytes(Self.sm4Key)
        let zeroIV = Data(count: 16)
        // printf abc | openssl enc -sm4-cbc -K 0123456789abcdeffedcba9876543210 -iv 000…0
        let abc = try crypto.sm4CBCEncrypt(Data("abc".utf8), key: key, iv: zeroIV)
        #expect(abc == hexBytes("1055435b9ece612344f8e10016c4943b"))
        #expect(try crypto.sm4CBCDecrypt(abc, key: key, iv: zeroIV) == Data("abc".utf8))
        // A whole block of input gains a whole block of padding: printf 0123456789abcdef | … -iv 000102…0f
        let iv = hexBytes("000102030405060708090a0b0c0d0e0f")
        let block = try crypto.sm4CBCEncrypt(Data("0123456789abcdef".utf8), key: key, iv: iv)
        #expect(block == hexBytes("9d193c43fdc9ac44b40c27629ea9df0c8dce12d6419f61023c46b703dbd1bd2d"))
        #expect(try crypto.sm4CBCDecrypt(block, key: key, iv: iv) == Data("0123456789abcdef".utf8))
        // Round trip of the empty text and of a long one.
        for length in [0, 1, 15, 16, 17, 1000] {
            let text = Data((0..<length).map { UInt8(truncatingIfNeeded: $0) })
            let sealed = try crypto.sm4CBCEncrypt(text, key: key, iv: iv)
            #expect(sealed.count == (length / 16 + 1) * 16)
            #expect(try crypto.sm4CBCDecrypt(sealed, key: key, iv: iv) == text)
        }
        // The wrong key breaks the padding (or yields other bytes); never the plaintext.
        let wrongKey = Data(repeating: 0x11, count: 16)
        #expect((try? crypto.sm4CBCDecrypt(block, key: wrongKey, iv: iv)) != Data("0123456789abcdef".utf8))
        #expect(throws: NationalCryptoError.self) { try crypto.sm4CBCDecrypt(Data(count: 15), key: key, iv: iv) }
    }

    // MARK: SM4-GCM (RFC 8998 Appendix A.1; recomputed with pyca/cryptography and a hand-written GHASH over SM4-ECB)

    @Test func sm4GCMOpensRFC8998Vector() throws {
        let key = hexBytes(Self.sm4Key)
        let nonce = hexBytes("00001234567800000000ABCD")
        let aad = hexBytes("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
        let plaintext = hexBytes(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
        )
        let ciphertext = hexBytes(
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        )
        let tag = hexBytes("83DE3541E4C2B58177E065A9BF7B62EC")
        #expect(try crypto.sm4GCMOpen(nonce + ciphertext + tag, key: key, associatedData: aad) == plaintext)
        #expect(try crypto.sm4GCMSeal(plaintext, key: key, nonce: nonce, associatedData: aad) == nonce + ciphertext + tag)
        #expect(throws: NationalCryptoError.authenticationFailed) {
            try crypto.sm4GCMOpen(nonce + ciphertext + tag, key: key, associatedData: aad.dropLast())
        }
    }

    @Test func sm4GCMRoundTripAndTamperDetection() throws {
        let key = crypto.randomBytes(16)
        #expect(key.count == 16 && key != crypto.randomBytes(16))
        let aad = Data("licence:0001".utf8)
        let plaintext = Data("营业执照 91440101MA59TEST0X".utf8)
        let sealed = try crypto.sm4GCMSeal(plaintext, key: key, associatedData: aad)
        #expect(sealed.count == 12 + plaintext.count + 16)
        #expect(try crypto.sm4GCMOpen(sealed, key: key, associatedData: aad) == plaintext)
        // A fresh nonce every time: the same plaintext never seals to the same bytes.
        #expect(try crypto.sm4GCMSeal(plaintext, key: key, associatedData: aad) != sealed)
        // Any byte changed — nonce, ciphertext or tag — or other associated data: authenticationFailed.
        for index in [0, 11, 12, 12 + plaintext.count / 2, sealed.count - 16, sealed.count - 1] {
            var tampered = sealed
            tampered[tampered.startIndex + index] ^= 0x01
            #expect(throws: NationalCryptoError.authenticationFailed) {
                try crypto.sm4GCMOpen(tampered, key: key, associatedData: aad)
            }
        }
        #expect(throws: NationalCryptoError.authenticationFailed) {
            try crypto.sm4GCMOpen(sealed, key: key, associatedData: Data("licence:0002".utf8))
        }
        #expect(throws: NationalCryptoError.authenticationFailed) {
            try crypto.sm4GCMOpen(sealed, key: crypto.randomBytes(16), associatedData: aad)
        }
        // Too short to hold a nonce and a tag: an error, not a crash.
        #expect(throws: NationalCryptoError.self) { try crypto.sm4GCMOpen(sealed.prefix(27), key: key, associatedData: aad) }
        #expect(throws: NationalCryptoError.self) { try crypto.sm4GCMOpen(Data(), key: key, associatedData: aad) }
        // The empty plaintext still carries a tag that protects the associated data.
        let empty = try crypto.sm4GCMSeal(Data(), key: key, associatedData: aad)
        #expect(empty.count == 28)
        #expect(try crypto.sm4GCMOpen(empty, key: key, associatedData: aad) == Data())
        #expect(throws: NationalCryptoError.authenticationFailed) { try crypto.sm4GCMOpen(empty, key: key, associatedData: Data()) }
    }

    // MARK: SM2 (GB/T 32918.5 recommended curve, ID 1234567812345678)

    static let standardMessage = Data("message digest".utf8)
    static let standardSPKI = hexBytes(
        "3059301306072A8648CE3D020106082A811CCF5501822D0342000409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    )
    static let standardPKCS8 = hexBytes(
        "308187020100301306072A8648CE3D020106082A811CCF5501822D046D306B02010104203945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8A1440342000409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    )
    static let standardPoint = hexBytes(
        "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
    )
    static let standardSignature = hexBytes(
        "3046022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
    )

    @Test func theStandardsSignatureVerifies() throws {
        let publicKey = try crypto.importPublicKey(Self.standardSPKI)
        #expect(publicKey.spkiDER == Self.standardSPKI)
        #expect(crypto.verify(Self.standardSignature, of: Self.standardMessage, by: publicKey, id: SM2Parameters.defaultID))
        // The same key as a bare uncompressed point, and as the public half of the standard's private key.
        #expect(try crypto.importPublicKey(Self.standardPoint) == publicKey)
        let privateKey = try crypto.importPrivateKey(Self.standardPKCS8)
        #expect(try crypto.publicKey(of: privateKey) == publicKey)
        // Z_A binds the ID: the same signature is not valid for another ID, nor for OpenSSL 3.0's empty default.
        #expect(!crypto.verify(Self.standardSignature, of: Self.standardMessage, by: publicKey, id: Data()))
        #expect(!crypto.verify(Self.standardSignature, of: Self.standardMessage, by: publicKey, id: Data("ALICE123@YAHOO.COM".utf8)))
        // Nor for another message, nor with a changed r or s.
        #expect(!crypto.verify(Self.standardSignature, of: Data("message digesT".utf8), by: publicKey, id: SM2Parameters.defaultID))
        for index in [8, 40, 45, 70] {
            var changed = Self.standardSignature
            changed[index] ^= 0x01
            #expect(!crypto.verify(changed, of: Self.standardMessage, by: publicKey, id: SM2Parameters.defaultID))
        }
    }

    @Test func signWithTheStandardKeyAndVerify() throws {
        let privateKey = try crypto.importPrivateKey(Self.standardPKCS8)
        let publicKey = try crypto.importPublicKey(Self.standardSPKI)
        let signature = try crypto.sign(Self.standardMessage, with: privateKey, id: SM2Parameters.defaultID)
        // DER SEQUENCE { r INTEGER, s INTEGER }: at most 72 bytes, and a fresh k makes each signature differ.
        #expect(signature.first == 0x30 && signature.count <= 72 && signature.count >= 8)
        #expect(try crypto.sign(Self.standardMessage, with: privateKey, id: SM2Parameters.defaultID) != signature)
        #expect(crypto.verify(signature, of: Self.standardMessage, by: publicKey, id: SM2Parameters.defaultID))
        #expect(!crypto.verify(signature, of: Self.standardMessage, by: publicKey, id: Data()))
        // The empty ID (OpenSSL 3.0's silent default) is refused outright: every signature here names its ID.
        #expect(throws: NationalCryptoError.self) { try crypto.sign(Self.standardMessage, with: privateKey, id: Data()) }
        let alice = Data("ALICE123@YAHOO.COM".utf8)
        let aliceSignature = try crypto.sign(Self.standardMessage, with: privateKey, id: alice)
        #expect(crypto.verify(aliceSignature, of: Self.standardMessage, by: publicKey, id: alice))
        #expect(!crypto.verify(aliceSignature, of: Self.standardMessage, by: publicKey, id: SM2Parameters.defaultID))
        // Another key does not verify it.
        let other = try crypto.publicKey(of: try crypto.generateSM2Key())
        #expect(!crypto.verify(signature, of: Self.standardMessage, by: other, id: SM2Parameters.defaultID))
        // Empty and large messages.
        for message in [Data(), Data(repeating: 0x5A, count: 1 << 20)] {
            let made = try crypto.sign(message, with: privateKey, id: SM2Parameters.defaultID)
            #expect(crypto.verify(made, of: message, by: publicKey, id: SM2Parameters.defaultID))
        }
    }

    @Test func generatedKeysAreFreshAndExportable() throws {
        let first = try crypto.generateSM2Key()
        let second = try crypto.generateSM2Key()
        #expect(first != second)
        let publicKey = try crypto.publicKey(of: first)
        // Exported DER and PEM import to the same key on both halves.
        #expect(try crypto.publicKey(of: try crypto.importPrivateKey(first.pkcs8DER)) == publicKey)
        #expect(
            try crypto.publicKey(of: try crypto.importPrivateKey(Data(PEM.encode(first.pkcs8DER, label: "PRIVATE KEY").utf8))) == publicKey)
        #expect(try crypto.importPublicKey(publicKey.spkiDER) == publicKey)
        #expect(try crypto.importPublicKey(Data(PEM.encode(publicKey.spkiDER, label: "PUBLIC KEY").utf8)) == publicKey)
        // The SPKI names id-ecPublicKey and sm2p256v1 (1.2.156.10197.1.301 = 06 08 2A 81 1C CF 55 01 82 2D).
        #expect(publicKey.spkiDER.count == 91)
        #expect(publicKey.spkiDER.range(of: hexBytes("06082A811CCF5501822D")) != nil)
        let signature = try crypto.sign(Data("x".utf8), with: first, id: SM2Parameters.defaultID)
        #expect(crypto.verify(signature, of: Data("x".utf8), by: publicKey, id: SM2Parameters.defaultID))
    }

    /// SEC1 (`EC PRIVATE KEY`) of the standard's key, as `openssl ec` writes it (OpenSSL 3.0 labels it `SM2 PRIVATE KEY`).
    static let standardSEC1Body = """
        MHcCAQEEIDlFII97IUSxPzbjisbTn5WIk5NpKGC1GkL7ge9N98W4oAoGCCqBHM9V
        AYItoUQDQgAECfnfMR5UIaFQ3X0WHkvFxnIXn60YM/wHa7CP81bzUCDM6kkM4md1
        pS3G6nGMwapgCu0F+/NeCEpmMvYHLamtEw==
        """

    @Test func importsSEC1AndPKCS8InPEMAndDER() throws {
        let standardPublic = try crypto.importPublicKey(Self.standardSPKI)
        let sec1PEM = "-----BEGIN EC PRIVATE KEY-----\n\(Self.standardSEC1Body)\n-----END EC PRIVATE KEY-----\n"
        let sec1DER = try #require(PEM.decode(sec1PEM))
        for input in [
            Data(sec1PEM.utf8), sec1DER, Self.standardPKCS8, Data(PEM.encode(Self.standardPKCS8, label: "PRIVATE KEY").utf8),
        ] {
            let key = try crypto.importPrivateKey(input)
            #expect(try crypto.publicKey(of: key) == standardPublic)
            let signature = try crypto.sign(Self.standardMessage, with: key, id: SM2Parameters.defaultID)
            #expect(crypto.verify(signature, of: Self.standardMessage, by: standardPublic, id: SM2Parameters.defaultID))
        }
    }

    @Test func sm2EncryptionRoundTrip() throws {
        let key = try crypto.generateSM2Key()
        let publicKey = try crypto.publicKey(of: key)
        let otherKey = try crypto.generateSM2Key()
        for message in [Data("a".utf8), Data("数据共享 SM2 加密".utf8), Data(repeating: 7, count: 4096)] {
            let ciphertext = try crypto.encrypt(message, to: publicKey)
            // DER SEQUENCE { x, y, C3 (32), C2 (as long as the message) }: 96 bytes of overhead or a little more.
            #expect(ciphertext.first == 0x30 && ciphertext.count >= message.count + 96)
            #expect(try crypto.encrypt(message, to: publicKey) != ciphertext)
            #expect(try crypto.decrypt(ciphertext, with: key) == message)
            // Another key cannot open it; a changed byte of C2 or C3 is detected by C3.
            #expect((try? crypto.decrypt(ciphertext, with: otherKey)) != message)
            var changed = ciphertext
            changed[changed.endIndex - 1] ^= 0x01
            #expect(throws: NationalCryptoError.self) { try crypto.decrypt(changed, with: key) }
        }
        // Decrypting with the standard key what was encrypted to its public key.
        let standardKey = try crypto.importPrivateKey(Self.standardPKCS8)
        let sealed = try crypto.encrypt(Self.standardMessage, to: try crypto.importPublicKey(Self.standardSPKI))
        #expect(try crypto.decrypt(sealed, with: standardKey) == Self.standardMessage)
    }

    // MARK: Keys of other curves (made by `openssl ecparam -name prime256v1 -genkey`) are refused

    static let p256PKCS8PEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJXYobg+PsDMQNuc8
        DgG9mcruay3WyicVtbSggjGbDYqhRANCAATIK6HRZ+H9TVDrn5H0rYM3G7lV+vLy
        pw0linsJCC6H9dn1wHH/xD5w5zjTJom6GyuR+t+J3KhpyOe9wv1t1jZt
        -----END PRIVATE KEY-----
        """
    static let p256SEC1PEM = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEICV2KG4Pj7AzEDbnPA4BvZnK7mst1sonFbW0oIIxmw2KoAoGCCqGSM49
        AwEHoUQDQgAEyCuh0Wfh/U1Q65+R9K2DNxu5Vfry8qcNJYp7CQguh/XZ9cBx/8Q+
        cOc40yaJuhsrkfrfidyoacjnvcL9bdY2bQ==
        -----END EC PRIVATE KEY-----
        """
    static let p256PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyCuh0Wfh/U1Q65+R9K2DNxu5Vfry
        8qcNJYp7CQguh/XZ9cBx/8Q+cOc40yaJuhsrkfrfidyoacjnvcL9bdY2bQ==
        -----END PUBLIC KEY-----
        """
    static let p256CertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBczCCARmgAwIBAgIUUEgYT41SXAPvpMaXOTYjsLBqgsowCgYIKoZIzj0EAwIw
        DzENMAsGA1UEAwwEUDI1NjAeFw0yNjEyMDUwODAyMDBaFw0zNjEyMDIwODAyMDBa
        MA8xDTALBgNVBAMMBFAyNTYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATIK6HR
        Z+H9TVDrn5H0rYM3G7lV+vLypw0linsJCC6H9dn1wHH/xD5w5zjTJom6GyuR+t+J
        3KhpyOe9wv1t1jZto1MwUTAdBgNVHQ4EFgQUsdnx2d1MX6YE8Uyd4Dv5a6xJokkw
        HwYDVR0jBBgwFoAUsdnx2d1MX6YE8Uyd4Dv5a6xJokkwDwYDVR0TAQH/BAUwAwEB
        /zAKBggqhkjOPQQDAgNIADBFAiB4YPVjoCQU1ZNUgK0XyIAmiW7isAvxTMiYba6O
        0DczWwIhALlgW1l4dy5SBQ4YysJMgRldPHilcF+5HWVA570HEP5Y
        -----END CERTIFICATE-----
        """

    @Test func aP256KeyIsRefused() throws {
        for pem in [Self.p256PKCS8PEM, Self.p256SEC1PEM] {
            #expect(throws: NationalCryptoError.self) { try crypto.importPrivateKey(Data(pem.utf8)) }
            #expect(throws: NationalCryptoError.self) { try crypto.importPrivateKey(try #require(PEM.decode(pem))) }
        }
        #expect(throws: NationalCryptoError.self) { try crypto.importPublicKey(Data(Self.p256PublicPEM.utf8)) }
        #expect(throws: NationalCryptoError.self) { try crypto.importPublicKey(try #require(PEM.decode(Self.p256PublicPEM))) }
        #expect(throws: NationalCryptoError.self) { try crypto.importPublicKey(Data(Self.p256CertificatePEM.utf8)) }
        #expect(throws: NationalCryptoError.self) { try crypto.parseCertificate(Data(Self.p256CertificatePEM.utf8)) }
        // Handed in unchecked as key structs, a P-256 key neither signs nor verifies.
        let p256Private = SM2PrivateKey(pkcs8DER: try #require(PEM.decode(Self.p256PKCS8PEM)))
        #expect(throws: NationalCryptoError.self) { try crypto.sign(Data("x".utf8), with: p256Private, id: SM2Parameters.defaultID) }
        let p256Public = SM2PublicKey(spkiDER: try #require(PEM.decode(Self.p256PublicPEM)))
        #expect(!crypto.verify(Self.standardSignature, of: Self.standardMessage, by: p256Public, id: SM2Parameters.defaultID))
    }

    // MARK: Garbage never crashes

    @Test func garbageThrowsOrIsRejected() throws {
        var generator = SystemRandomNumberGenerator()
        let standardKey = try crypto.importPrivateKey(Self.standardPKCS8)
        let standardPublic = try crypto.importPublicKey(Self.standardSPKI)
        let samples: [Data] =
            [Data(), Data([0x30]), Data([0x30, 0x82, 0xFF, 0xFF]), Data("-----BEGIN PUBLIC KEY-----\nnot base64\n".utf8)]
            + (0..<40).map { _ in
                Data((0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
        for garbage in samples {
            #expect(throws: NationalCryptoError.self) { try crypto.importPrivateKey(garbage) }
            #expect(throws: NationalCryptoError.self) { try crypto.importPublicKey(garbage) }
            #expect(throws: NationalCryptoError.self) { try crypto.parseCertificate(garbage) }
            #expect(throws: NationalCryptoError.self) { try crypto.decrypt(garbage, with: standardKey) }
            #expect(throws: NationalCryptoError.self) { try crypto.publicKey(of: SM2PrivateKey(pkcs8DER: garbage)) }
            #expect(throws: NationalCryptoError.self) {
                try crypto.sign(garbage, with: SM2PrivateKey(pkcs8DER: garbage), id: SM2Parameters.defaultID)
            }
            #expect(throws: NationalCryptoError.self) { try crypto.encrypt(Data("x".utf8), to: SM2PublicKey(spkiDER: garbage)) }
            #expect(!crypto.verify(garbage, of: Self.standardMessage, by: standardPublic, id: SM2Parameters.defaultID))
            #expect(
                !crypto.verify(
                    Self.standardSignature, of: Self.standardMessage, by: SM2PublicKey(spkiDER: garbage), id: SM2Parameters.defaultID))
        }
        // Every truncation of a valid key, signature and certificate: refused, never a crash.
        let certificate = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "Truncation test"), serialNumber: Data([0x01, 0x02]),
                notBefore: Date(timeIntervalSince1970: 1_700_000_000), notAfter: Date(timeIntervalSince1970: 1_900_000_000),
                publicKey: standardPublic, isCertificateAuthority: true),
            issuer: nil, issuerKey: standardKey)
        for length in 0..<Self.standardSPKI.count {
            #expect(throws: NationalCryptoError.self) { try crypto.importPublicKey(Self.standardSPKI.prefix(length)) }
        }
        for length in 0..<Self.standardPKCS8.count {
            #expect(throws: NationalCryptoError.self) { try crypto.importPrivateKey(Self.standardPKCS8.prefix(length)) }
        }
        for length in 0..<Self.standardSignature.count {
            #expect(
                !crypto.verify(
                    Self.standardSignature.prefix(length), of: Self.standardMessage, by: standardPublic, id: SM2Parameters.defaultID))
        }
        for length in stride(from: 0, to: certificate.count, by: 7) {
            #expect(throws: NationalCryptoError.self) { try crypto.parseCertificate(certificate.prefix(length)) }
        }
    }

    // MARK: Certificates (SM2 with SM3)

    @Test func issuedCertificatesParseAndChain() throws {
        let rootKey = try crypto.generateSM2Key()
        let rootPublic = try crypto.publicKey(of: rootKey)
        let notBefore = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let notAfter = Date(timeIntervalSince1970: 1_924_992_000)  // 2031-01-01T00:00:00Z
        let rootDER = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "广东省政务服务数据管理局 根证书", organization: "广东省政务服务数据管理局", organizationalUnit: "GovShare"),
                serialNumber: hexBytes("0102030405060708090A0B0C0D0E0F10"), notBefore: notBefore, notAfter: notAfter,
                publicKey: rootPublic, isCertificateAuthority: true),
            issuer: nil, issuerKey: rootKey)
        let root = try crypto.parseCertificate(rootDER)
        #expect(root.der == rootDER)
        #expect(root.serialNumberHex.lowercased() == "0102030405060708090a0b0c0d0e0f10")
        #expect(root.subject == root.issuer)
        #expect(root.subject.contains("CN=广东省政务服务数据管理局 根证书") && root.subject.contains("C=CN"))
        #expect(root.isCertificateAuthority && root.publicKey == rootPublic)
        #expect(root.signatureAlgorithmOID == SM2Parameters.signatureAlgorithmOID)
        #expect(root.notBefore == notBefore && root.notAfter == notAfter)
        #expect(crypto.verifyCertificateSignature(root, issuerKey: rootPublic))
        // PEM of the same certificate parses to the same thing.
        #expect(try crypto.parseCertificate(Data(PEM.encode(rootDER, label: "CERTIFICATE").utf8)) == root)
        // A certificate's public key imports.
        #expect(try crypto.importPublicKey(rootDER) == rootPublic)

        let sealKey = try crypto.generateSM2Key()
        let sealPublic = try crypto.publicKey(of: sealKey)
        let sealDER = try crypto.issueCertificate(
            CertificateRequest(
                subject: DistinguishedName(commonName: "广州市公安局 数据专用章", organization: "广州市公安局"),
                serialNumber: hexBytes("7F"), notBefore: notBefore, notAfter: notAfter, publicKey: sealPublic,
                isCertificateAuthority: false),
            issuer: root, issuerKey: rootKey)
        let seal = try crypto.parseCertificate(sealDER)
        #expect(seal.issuer == root.subject && seal.subject != root.subject && !seal.isCertificateAuthority)
        #expect(seal.publicKey == sealPublic)
        #expect(crypto.verifyCertificateSignature(seal, issuerKey: rootPublic))
        #expect(!crypto.verifyCertificateSignature(seal, issuerKey: sealPublic))
        #expect(PlatformKeyring.chains(seal, to: root, at: Date(timeIntervalSince1970: 1_800_000_000), crypto: crypto))
        #expect(!PlatformKeyring.chains(seal, to: root, at: Date(timeIntervalSince1970: 1_950_000_000), crypto: crypto))
        // One changed byte inside the signed part breaks the signature (or the parse).
        var changed = sealDER
        let index = try #require(changed.range(of: Data("数据专用章".utf8))).lowerBound
        changed[index + 1] ^= 0x01
        if let parsed = try? crypto.parseCertificate(changed) {
            #expect(!crypto.verifyCertificateSignature(parsed, issuerKey: rootPublic))
        }
    }

    // MARK: Core's PEM helper

    @Test func pemEncodesAndDecodes() throws {
        let der = Data((0..<100).map { UInt8($0) })
        let text = PEM.encode(der, label: "PUBLIC KEY")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN PUBLIC KEY-----")
        #expect(lines.dropLast().last == "-----END PUBLIC KEY-----" && lines.last == "")
        #expect(lines.dropFirst().dropLast(2).allSatisfy { $0.count <= 64 })
        #expect(lines[1].count == 64)
        #expect(PEM.decode(text) == der)
        #expect(PEM.decode(text, label: "PUBLIC KEY") == der)
        #expect(PEM.decode(text, label: "CERTIFICATE") == nil)
        #expect(PEM.decode(text.replacingOccurrences(of: "\n", with: "\r\n")) == der)
        #expect(PEM.decode("Subject: x\n  " + text) == der, "text before the block is skipped")
        // With several blocks, the label picks one.
        let two = PEM.encode(Data([1, 2, 3]), label: "CERTIFICATE") + PEM.encode(der, label: "PRIVATE KEY")
        #expect(PEM.decode(two) == Data([1, 2, 3]))
        #expect(PEM.decode(two, label: "PRIVATE KEY") == der)
        // No END line, a mismatched END, or bad base64: nil.
        #expect(PEM.decode(String(text.dropLast(26))) == nil)
        #expect(PEM.decode(text.replacingOccurrences(of: "END PUBLIC KEY", with: "END PRIVATE KEY")) == nil)
        #expect(PEM.decode("-----BEGIN X-----\n@@@@\n-----END X-----\n") == nil)
        #expect(PEM.decode("") == nil && PEM.decode(String(decoding: der, as: UTF8.self)) == nil)
        #expect(PEM.isPEM(Data(text.utf8)))
        #expect(!PEM.isPEM(der) && !PEM.isPEM(Self.standardSPKI))
        #expect(PEM.encode(Data(), label: "EMPTY").contains("-----BEGIN EMPTY-----"))
    }
}

/// Bytes from hexadecimal (upper or lower case); fails the calling test's precondition on a typo in a vector.
func hexBytes(_ text: String) -> Data {
    let digits = Array(text.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex")
    func value(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit: \(digit)")
        }
    }
    return Data(stride(from: 0, to: digits.count, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) })
}
