import Foundation

/// One version of a dataset's keys (encryption at rest, Art. 27–28): an SM4 data key for the values and an HMAC-SM3
/// index key for the blind index, both stored only wrapped by `KeyCustody` (labels `dataset-key:<id>` and
/// `dataset-index-key:<id>`), with the key-encryption key's id so `govshare keys rotate` knows what to re-wrap.
/// `columns` are the physical columns encrypted under this version.
public struct DatasetKeyRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// The version new values are written with (one per dataset).
        case active
        /// An older version: still opens the values a re-encryption has not reached yet.
        case previous
    }
    public let id: String
    public let datasetId: String
    public let version: Int
    public let wrappedKey: Data
    public let wrappedIndexKey: Data
    public let keyEncryptionKeyId: String
    public var state: State
    public let columns: [String]
    public let createdAt: String
    public let nodeId: String
    public init(
        id: String, datasetId: String, version: Int, wrappedKey: Data, wrappedIndexKey: Data, keyEncryptionKeyId: String,
        state: State, columns: [String], createdAt: String, nodeId: String
    ) {
        self.id = id; self.datasetId = datasetId; self.version = version; self.wrappedKey = wrappedKey
        self.wrappedIndexKey = wrappedIndexKey; self.keyEncryptionKeyId = keyEncryptionKeyId; self.state = state
        self.columns = columns; self.createdAt = createdAt; self.nodeId = nodeId
    }

    public static func dataKeyLabel(_ id: String) -> String { "dataset-key:\(id)" }
    public static func indexKeyLabel(_ id: String) -> String { "dataset-index-key:\(id)" }
}

/// A dataset's keys unwrapped: what the store encrypts, decrypts and indexes with. The index key is the dataset's for
/// good (a new data-key version carries it over), so the blind index stays valid across re-encryption.
public struct DatasetKeySet: Sendable {
    public struct Version: Sendable {
        public let version: Int
        let dataKey: [UInt8]
        public let columns: Set<String>
    }
    public let datasetId: String
    public let current: Int
    public let versions: [Int: Version]
    let indexKey: [UInt8]
    let crypto: any NationalCrypto

    /// The columns new values are encrypted in (the active version's).
    public var encryptedColumns: Set<String> { versions[current]?.columns ?? [] }

    /// `v<version>:` + base64(nonce ‖ ciphertext ‖ tag) of the value's canonical text, bound to the dataset, the
    /// column and the row's stored key: a value moved to another row or column does not open. Built between stack
    /// buffers: an import seals several values per row.
    public func seal(_ text: String, column: String, rowKey: String) throws -> String {
        guard let key = versions[current]?.dataKey else { throw Self.unavailable(datasetId) }
        var text = text
        let version = current
        return try text.withUTF8 { plain in
            try Self.withAssociatedData(datasetId, column, rowKey) { ad in
                let sealedCount = plain.count + Self.overhead
                return try withUnsafeTemporaryAllocation(byteCount: sealedCount, alignment: 1) { sealed in
                    try key.withUnsafeBytes { k in
                        try crypto.sm4GCMSeal(UnsafeRawBufferPointer(plain), key: k, associatedData: ad, into: sealed)
                    }
                    let prefix = Array("v\(version):".utf8)
                    return String(unsafeUninitializedCapacity: prefix.count + Base64Bytes.encodedCount(sealedCount)) { out in
                        _ = out.initialize(from: prefix)
                        let body = UnsafeMutableBufferPointer(rebasing: out[prefix.count...])
                        return prefix.count + Base64Bytes.encode(UnsafeRawBufferPointer(sealed), into: body)
                    }
                }
            }
        }
    }

    /// The clear text of a sealed value; throws (fails closed) when it was changed, moved or its version is unknown.
    /// Decoded and opened between stack buffers straight into the string's storage: a page of 100 rows opens hundreds.
    public func open(_ stored: String, column: String, rowKey: String) throws -> String {
        var stored = stored
        let opened = stored.withUTF8 { bytes -> String? in
            guard let (version, bodyStart) = Self.parse(bytes), let key = versions[version]?.dataKey else { return nil }
            let body = UnsafeBufferPointer(rebasing: bytes[bodyStart...])
            return try? Self.withAssociatedData(datasetId, column, rowKey) { ad in
                try withUnsafeTemporaryAllocation(byteCount: Base64Bytes.decodedCapacity(body.count), alignment: 1) { buffer in
                    guard let n = Base64Bytes.decode(body, into: buffer), n >= Self.overhead else {
                        throw Self.integrity(datasetId, column: column)
                    }
                    let sealed = UnsafeRawBufferPointer(rebasing: buffer[..<n])
                    if n == Self.overhead {
                        try key.withUnsafeBytes { k in
                            try crypto.sm4GCMOpen(
                                sealed, key: k, associatedData: ad, into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
                        }
                        return ""
                    }
                    return try String(unsafeUninitializedCapacity: n - Self.overhead) { out in
                        try key.withUnsafeBytes { k in
                            try crypto.sm4GCMOpen(sealed, key: k, associatedData: ad, into: UnsafeMutableRawBufferPointer(out))
                        }
                        return n - Self.overhead
                    }
                }
            }
        }
        guard let opened else { throw Self.integrity(datasetId, column: column) }
        return opened
    }

    /// The key version a stored value was sealed with, nil for a clear value.
    public static func version(of stored: String) -> Int? {
        var text = stored
        return text.withUTF8 { parse($0)?.0 }
    }

    /// The blind index of a value: HMAC-SM3 under the dataset's index key over the column and the normalised value,
    /// 32 hex digits (128 bits). Equal values in one column give equal indexes; nothing else can be read from it.
    /// Built between stack buffers: an import indexes every sealed value it writes.
    public func blindIndex(_ text: String, column: String) -> String {
        let count = column.utf8.count + 1 + text.utf8.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 32) { buffer in
            let message = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
            let end = Self.copy(column, into: message, at: 0)
            message[end] = 0
            _ = Self.copy(text, into: message, at: end + 1)
            let mac = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count...]))
            indexKey.withUnsafeBytes { crypto.hmacSM3(key: $0, message: UnsafeRawBufferPointer(message), into: mac) }
            return Hex.encode(UnsafeRawBufferPointer(rebasing: mac[..<16]))
        }
    }

    /// Nonce and tag: what sealing adds to a value.
    static let overhead = 28

    /// The version of `v<version>:` and where the body starts; nil for anything else (a clear value).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "v") else { return nil }
        var version = 0
        var i = 1
        while i < bytes.count, i <= 9, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            version = version * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > 1, i < bytes.count, bytes[i] == UInt8(ascii: ":"), version > 0 else { return nil }
        return (version, i + 1)
    }

    /// `govshare-cell-v1` NUL dataset NUL column NUL row key, in a temporary buffer.
    static func withAssociatedData<R>(
        _ datasetId: String, _ column: String, _ rowKey: String, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let count = cellContext.utf8.count + datasetId.utf8.count + column.utf8.count + rowKey.utf8.count + 3
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            var i = copy(cellContext, into: buffer, at: 0)
            buffer[i] = 0
            i = copy(datasetId, into: buffer, at: i + 1)
            buffer[i] = 0
            i = copy(column, into: buffer, at: i + 1)
            buffer[i] = 0
            i = copy(rowKey, into: buffer, at: i + 1)
            return try body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<i])))
        }
    }
    private static let cellContext = "govshare-cell-v1"

    /// Copies the UTF-8 of `text` into `buffer` at `offset`; returns the offset after it.
    private static func copy(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var i = offset
        let copied = text.utf8.withContiguousStorageIfAvailable { source -> Int in
            guard let base = source.baseAddress, let target = buffer.baseAddress else { return 0 }
            (target + offset).update(from: base, count: source.count)
            return source.count
        }
        if let copied { return offset + copied }
        for byte in text.utf8 {
            buffer[i] = byte
            i += 1
        }
        return i
    }

    public static func unavailable(_ datasetId: String) -> DomainError {
        DomainError(
            .unavailable, code: "dataset_key_unavailable",
            message: LocalizedText(
                zh: "数据集 \(datasetId) 的数据密钥不可用，操作未执行", en: "The data key of dataset \(datasetId) is unavailable; nothing was done"))
    }

    static func integrity(_ datasetId: String, column: String) -> DomainError {
        DomainError(
            .unavailable, code: "ciphertext_invalid",
            message: LocalizedText(
                zh: "数据集 \(datasetId) 列 \(column) 的密文校验失败（被改动或移动），拒绝返回",
                en: "A ciphertext in dataset \(datasetId), column \(column) does not verify (changed or moved); nothing is returned"))
    }
}

/// Creates dataset keys and keeps each unwrapped in memory after first use (like `PlatformKeyring`). Which items are
/// encrypted is decided here: sensitivity grade at least `encryptFromGrade`. `@unchecked Sendable`: the one mutable
/// member, the unwrapped-key table, is read and written only under `lock`.
public final class DatasetKeyring: @unchecked Sendable {
    public let crypto: any NationalCrypto
    public let custody: any KeyCustody
    public let encryptFromGrade: Int
    private let lock = NSLock()
    private var unwrapped: [String: (key: Data, index: Data)] = [:]
    private var sets: [String: DatasetKeySet] = [:]

    public init(crypto: any NationalCrypto, custody: any KeyCustody, encryptFromGrade: Int) {
        self.crypto = crypto; self.custody = custody; self.encryptFromGrade = encryptFromGrade
    }

    /// The physical columns whose values are stored encrypted: those at or above the configured grade, and the key
    /// whenever a reader may see it masked (a resident ID at any grade), whatever the grade. An encrypted key is
    /// stored as its blind index, and pages come in stored-key order: a masked ID number stored in clear would put
    /// the rows in birth-date order, so a reader holding a few known records around a masked one could bracket the
    /// birth date its mask hides (review finding).
    public func gradedColumns(of dataset: Dataset) -> [String] {
        let key = dataset.keyColumn
        return dataset.columns.filter {
            $0.sensitivity >= encryptFromGrade || ($0.column == key.column && MaskRule.forColumn(key) != .clear)
        }.map(\.column)
    }

    /// A new key version: a fresh data key, and the dataset's index key (`carrying` an older version's) or a fresh one.
    public func newKey(
        datasetId: String, version: Int, columns: [String], carrying previous: DatasetKeyRecord?, at now: Date, nodeId: String
    )
        throws -> DatasetKeyRecord
    {
        let id = Identifier.make(at: now)
        let indexKey = try previous.map { try self.keys(of: $0).index } ?? crypto.randomBytes(32)
        let dataKey = crypto.randomBytes(16)
        let record = DatasetKeyRecord(
            id: id, datasetId: datasetId, version: version,
            wrappedKey: try custody.wrap(dataKey, label: DatasetKeyRecord.dataKeyLabel(id)),
            wrappedIndexKey: try custody.wrap(indexKey, label: DatasetKeyRecord.indexKeyLabel(id)),
            keyEncryptionKeyId: custody.keyEncryptionKeyId, state: .active, columns: columns.sorted(),
            createdAt: Timestamp.format(now), nodeId: nodeId)
        lock.withLock { unwrapped[id] = (dataKey, indexKey) }
        return record
    }

    /// The cached key set of a dataset, if one was built.
    public func cached(_ datasetId: String) -> DatasetKeySet? { lock.withLock { sets[datasetId] } }

    /// Builds (and caches) the key set from the stored versions; nil when the dataset has none.
    public func keySet(datasetId: String, records: [DatasetKeyRecord]) throws -> DatasetKeySet? {
        guard
            let active = records.filter({ $0.state == .active }).max(by: { $0.version < $1.version })
                ?? records.max(by: { $0.version < $1.version })
        else {
            lock.withLock { _ = sets.removeValue(forKey: datasetId) }
            return nil
        }
        var versions: [Int: DatasetKeySet.Version] = [:]
        for r in records {
            versions[r.version] = DatasetKeySet.Version(version: r.version, dataKey: Array(try keys(of: r).key), columns: Set(r.columns))
        }
        let set = DatasetKeySet(
            datasetId: datasetId, current: active.version, versions: versions, indexKey: Array(try keys(of: active).index), crypto: crypto)
        lock.withLock { sets[datasetId] = set }
        return set
    }

    private func keys(of record: DatasetKeyRecord) throws -> (key: Data, index: Data) {
        if let hit = lock.withLock({ unwrapped[record.id] }) { return hit }
        let key = try custody.unwrap(
            record.wrappedKey, label: DatasetKeyRecord.dataKeyLabel(record.id), keyEncryptionKeyId: record.keyEncryptionKeyId)
        let index = try custody.unwrap(
            record.wrappedIndexKey, label: DatasetKeyRecord.indexKeyLabel(record.id), keyEncryptionKeyId: record.keyEncryptionKeyId)
        guard key.count == 16, index.count == 32 else { throw DatasetKeySet.unavailable(record.datasetId) }
        lock.withLock { unwrapped[record.id] = (key, index) }
        return (key, index)
    }
}
