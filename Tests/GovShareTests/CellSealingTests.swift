import Foundation
import GovShareCore
import GovShareCrypto
import Testing

/// The per-cell hot path of encryption at rest (issue 15): base64 and SM4-GCM between raw buffers must give exactly
/// what the `Data` path gives, and fail closed on every kind of damage.
@Suite("Encryption at rest: sealing a cell between buffers")
struct CellSealingTests {
    let crypto = OpenSSLNationalCrypto()

    @Test func base64MatchesFoundationForEveryLengthAndRefusesWhatFoundationRefuses() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
            let encoded = bytes.withUnsafeBytes { source in
                String(unsafeUninitializedCapacity: Base64Bytes.encodedCount(length)) { Base64Bytes.encode(source, into: $0) }
            }
            #expect(encoded == expected)
            #expect(decode(expected) == bytes)
        }
        for bad in ["A", "AB=", "A===", "AB*D", "ABC\n", "AB==AB==", "=AAA", "AAA=AAAA"] {
            #expect(decode(bad) == nil, "\(bad)")
            #expect(Data(base64Encoded: bad) == nil, "Foundation refuses \(bad) too")
        }
        // Stricter than Foundation, which reads a `=` inside the last group as the end: nothing sealed looks like this.
        for bad in ["AB=C", "AA=A"] { #expect(decode(bad) == nil, "\(bad)") }
    }

    @Test func aSealedCellOpensOnlyInItsDatasetColumnAndRow() throws {
        let keys = try keySet()
        for text in ["", "4401", "440106199001011234", "张三", String(repeating: "数据", count: 5000)] {
            let sealed = try keys.seal(text, column: "c_gmsfhm", rowKey: "k1")
            #expect(sealed.hasPrefix("v1:"))
            #expect(DatasetKeySet.version(of: sealed) == 1)
            #expect(!sealed.contains(text) || text.isEmpty)
            #expect(try keys.open(sealed, column: "c_gmsfhm", rowKey: "k1") == text)
            // Moved to another row or column, or into another dataset: refused.
            #expect(throws: DomainError.self) { try keys.open(sealed, column: "c_xm", rowKey: "k1") }
            #expect(throws: DomainError.self) { try keys.open(sealed, column: "c_gmsfhm", rowKey: "k2") }
            #expect(throws: DomainError.self) { try keySet(datasetId: "other").open(sealed, column: "c_gmsfhm", rowKey: "k1") }
        }
        // Two seals of one value differ (fresh nonce) and both open.
        let a = try keys.seal("x", column: "c", rowKey: "k")
        let b = try keys.seal("x", column: "c", rowKey: "k")
        #expect(a != b)
        #expect(try keys.open(b, column: "c", rowKey: "k") == "x")
    }

    @Test func damagedOrForeignStoredValuesFailClosed() throws {
        let keys = try keySet()
        let sealed = try keys.seal("440106199001011234", column: "c", rowKey: "k")
        let body = String(sealed.dropFirst(3))
        var flipped = Array(Data(base64Encoded: body)!)
        flipped[flipped.count / 2] ^= 1
        let cases = [
            "v1:" + Data(flipped).base64EncodedString(),  // one bit changed
            "v2:" + body,  // a version this dataset does not have
            "v0:" + body, "v:" + body, "1:" + body, "v1" + body, "v1:", "v1:AAAA",  // malformed or shorter than nonce and tag
            "v1:" + body.dropLast(), "v1:" + body + "\n", "v99999999999999999999:" + body, "440106199001011234",
        ]
        for stored in cases {
            #expect(throws: DomainError.self, "\(stored)") { try keys.open(stored, column: "c", rowKey: "k") }
        }
        #expect(DatasetKeySet.version(of: "440106199001011234") == nil)
        #expect(DatasetKeySet.version(of: "v12:abc") == 12)
    }

    @Test func theRawInterfaceAgreesWithTheDataInterfaceAndChecksSizes() throws {
        let key = crypto.randomBytes(16)
        let ad = Data("ad".utf8)
        let plain = Data("政务数据".utf8)
        var sealed = Data(count: plain.count + 28)
        try key.withUnsafeBytes { k in
            try ad.withUnsafeBytes { a in
                try plain.withUnsafeBytes { p in
                    try sealed.withUnsafeMutableBytes { try crypto.sm4GCMSeal(p, key: k, associatedData: a, into: $0) }
                }
            }
        }
        #expect(try crypto.sm4GCMOpen(sealed, key: key, associatedData: ad) == plain)
        let other = try crypto.sm4GCMSeal(plain, key: key, associatedData: ad)
        var opened = Data(count: plain.count)
        try key.withUnsafeBytes { k in
            try ad.withUnsafeBytes { a in
                try other.withUnsafeBytes { s in
                    try opened.withUnsafeMutableBytes { try crypto.sm4GCMOpen(s, key: k, associatedData: a, into: $0) }
                }
            }
        }
        #expect(opened == plain)
        var wrongSize = Data(count: plain.count + 27)
        #expect(throws: NationalCryptoError.self) {
            try key.withUnsafeBytes { k in
                try plain.withUnsafeBytes { p in
                    try wrongSize.withUnsafeMutableBytes {
                        try crypto.sm4GCMSeal(p, key: k, associatedData: UnsafeRawBufferPointer(start: nil, count: 0), into: $0)
                    }
                }
            }
        }
        #expect(throws: NationalCryptoError.self) {
            try Data(count: 8).withUnsafeBytes { k in
                try other.withUnsafeBytes { s in
                    try opened.withUnsafeMutableBytes {
                        try crypto.sm4GCMOpen(s, key: k, associatedData: UnsafeRawBufferPointer(start: nil, count: 0), into: $0)
                    }
                }
            }
        }
    }

    @Test func hmacUnderManyKeysGivesTheSameIndexWhicheverKeyWasUsedBefore() {
        // Each thread keeps a few keys' HMAC contexts ready: more keys than it keeps, interleaved, in two rounds, must
        // give the one-shot values (the first round's) and the published vector in between.
        let keys = (0..<11).map { i in Data((0..<(i == 10 ? 64 : 32)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }) }
        let message = Data("c_gmsfhm\u{0}440106199001011234".utf8)
        let first = keys.map { crypto.hmacSM3(key: $0, message: message) }
        #expect(Set(first).count == keys.count)
        for round in 0..<3 {
            for (i, key) in keys.enumerated().reversed() {
                #expect(crypto.hmacSM3(key: key, message: message) == first[i], "round \(round), key \(i)")
                #expect(crypto.hmacSM3(key: key, message: Data()) != first[i])
            }
            #expect(
                Hex.encode(crypto.hmacSM3(key: Data("key".utf8), message: Data("abc".utf8)))
                    == "28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393")
        }
    }

    @Test func theBlindIndexIsTheFirstHalfOfHMACSM3OverColumnAndValue() throws {
        // Stored indexes must stay valid: the buffer path gives exactly HMAC-SM3(index key, column NUL value)[0..<16].
        let (keys, indexKey) = try keysAndIndexKey()
        for (column, value) in [("c_gmsfhm", "440106199001011234"), ("c_xm", "张三"), ("c", ""), ("", "x")] {
            let expected = Hex.encode(crypto.hmacSM3(key: indexKey, message: Data("\(column)\u{0}\(value)".utf8)).prefix(16))
            #expect(keys.blindIndex(value, column: column) == expected)
            #expect(expected.count == 32)
        }
        #expect(keys.blindIndex("1", column: "a") != keys.blindIndex("1", column: "b"))
    }

    // MARK: Helpers

    private func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { source in
            var out = [UInt8](repeating: 0, count: Base64Bytes.decodedCapacity(source.count))
            guard let n = out.withUnsafeMutableBytes({ Base64Bytes.decode(source, into: $0) }) else { return nil }
            return Array(out.prefix(n))
        }
    }

    private func keySet(datasetId: String = "ds-1") throws -> DatasetKeySet { try keysAndIndexKey(datasetId: datasetId).keys }

    /// A dataset's key set and its index key unwrapped the ordinary way, to check the blind index against.
    private func keysAndIndexKey(datasetId: String = "ds-1") throws -> (keys: DatasetKeySet, indexKey: Data) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cells-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let custody = try FileKeyCustody(path: directory.appendingPathComponent("kek").path, crypto: crypto, create: true)
        let ring = DatasetKeyring(crypto: crypto, custody: custody, encryptFromGrade: 3)
        let record = try ring.newKey(datasetId: datasetId, version: 1, columns: ["c"], carrying: nil, at: Date(), nodeId: "n")
        let indexKey = try custody.unwrap(
            record.wrappedIndexKey, label: DatasetKeyRecord.indexKeyLabel(record.id), keyEncryptionKeyId: record.keyEncryptionKeyId)
        return (try #require(try ring.keySet(datasetId: datasetId, records: [record])), indexKey)
    }
}
