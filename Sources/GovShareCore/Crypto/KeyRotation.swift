import Foundation

/// Every kind of row that holds a key wrapped by the key-encryption key, with the label each wrapped column was
/// wrapped under (a wrapped key only opens under its own label). The store maps each kind to its table.
public enum WrappedKeyKind: String, Sendable, CaseIterable, Codable {
    /// `platform_signing_keys.wrapped_private_key`: the root and node keys.
    case platformSigningKey = "platform_signing_keys"
    /// `platform_keys.wrapped_key`: the node's symmetric keys (read references, cursors, sealed secrets).
    case platformSymmetricKey = "platform_keys"
    /// `seals.wrapped_private_key`: seal and personal signing keys.
    case seal = "seals"
    /// `dataset_keys.wrapped_key` and `.wrapped_index_key`: the data and blind-index keys of encryption at rest.
    case datasetKey = "dataset_keys"

    /// The label of one wrapped column of the row `id`.
    public func label(column: String, id: String) -> String {
        switch self {
        case .platformSigningKey: "platform-key:\(id)"
        case .platformSymmetricKey: Self.platformSymmetricKeyLabel(id)
        case .seal: "seal:\(id)"
        case .datasetKey: column == "wrapped_index_key" ? DatasetKeyRecord.indexKeyLabel(id) : DatasetKeyRecord.dataKeyLabel(id)
        }
    }

    public static func platformSymmetricKeyLabel(_ name: String) -> String { "platform-symmetric-key:\(name)" }
}

/// One row's wrapped keys (column → bytes) and the id of the KEK that wrapped them.
public struct WrappedKeyRow: Sendable, Equatable {
    public let kind: WrappedKeyKind
    public let id: String
    public let wrapped: [String: Data]
    public let keyEncryptionKeyId: String
    public init(kind: WrappedKeyKind, id: String, wrapped: [String: Data], keyEncryptionKeyId: String) {
        self.kind = kind; self.id = id; self.wrapped = wrapped; self.keyEncryptionKeyId = keyEncryptionKeyId
    }
}

/// How many rows of a kind each KEK wraps (a kind whose table does not exist yet is absent).
public struct WrappedKeyCount: Sendable, Equatable, Codable {
    public let kind: WrappedKeyKind
    public let keyEncryptionKeyId: String
    public let rows: Int
    public init(kind: WrappedKeyKind, keyEncryptionKeyId: String, rows: Int) {
        self.kind = kind; self.keyEncryptionKeyId = keyEncryptionKeyId; self.rows = rows
    }
}

public protocol WrappedKeyRepository: Sendable {
    func counts() async throws -> [WrappedKeyCount]
    /// Up to `limit` rows wrapped by any KEK other than `currentId`.
    func rowsNotUnder(_ currentId: String, limit: Int) async throws -> [WrappedKeyRow]
    /// Replaces the wrapped columns of each row in one transaction with the audit entry, each only if the row is still
    /// under the KEK it was read under (a concurrent writer wins); returns the rows changed.
    func rewrap(_ rows: [(row: WrappedKeyRow, wrapped: [String: Data])], to newId: String, audit: AuditRecord) async throws -> Int
    /// How many completed backups each KEK wraps the key of (they need that KEK to be restored).
    func backupCounts() async throws -> [String: Int]
}

/// The key custody at a glance (`govshare keys status`).
public struct KeyCustodyStatus: Sendable, Equatable {
    public let custody: String
    public let currentId: String
    public let retiredIds: [String]
    public let rotationPending: Bool
    public let rows: [WrappedKeyCount]
    public let backups: [String: Int]
    /// Rows still wrapped by a KEK other than the current one: what `govshare keys rotate` has left to do.
    public var remaining: Int { rows.filter { $0.keyEncryptionKeyId != currentId }.reduce(0) { $0 + $1.rows } }
}

/// The outcome of `govshare keys rotate`.
public struct KeyRotationResult: Sendable, Equatable {
    public let previousId: String?
    public let currentId: String
    public let rewrapped: Int
    public let startedNewKey: Bool
}

/// Rotates the key-encryption key online (docs/key-custody.md): a new KEK becomes current (the old one is kept
/// retired), then every wrapped key is re-wrapped row by row in small transactions keyed by its stored KEK id. Running
/// servers keep working throughout: they unwrap by the id stored with each row and re-read the key directory when they
/// meet one they do not hold. Killed mid-way, a rerun finishes the rest without starting another KEK.
public struct KeyRotationService: Sendable {
    let repository: any WrappedKeyRepository
    let custody: any KeyCustody
    let log: any AuditLog

    public init(repository: any WrappedKeyRepository, custody: any KeyCustody, log: any AuditLog) {
        self.repository = repository; self.custody = custody; self.log = log
    }

    public func status(by actor: Principal) async throws -> KeyCustodyStatus {
        try Policy.manageKeys.check(actor)
        let rotatable = custody as? any RotatableKeyCustody
        return KeyCustodyStatus(
            custody: custody.custodyDescription, currentId: custody.keyEncryptionKeyId,
            retiredIds: try rotatable?.retiredKeyEncryptionKeyIds() ?? [], rotationPending: rotatable?.rotationPending() ?? false,
            rows: try await repository.counts(), backups: try await repository.backupCounts())
    }

    /// Starts a new KEK unless a previous rotation is unfinished (a prepared `.next` key or rows under a retired KEK),
    /// which it finishes instead. `progress(done, total)` after every batch; `pauseMilliseconds` between batches.
    public func rotate(
        by actor: Principal, origin: RequestOrigin, batchSize: Int = 50, pauseMilliseconds: Int = 0,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> KeyRotationResult {
        try Policy.manageKeys.check(actor)
        guard let rotatable = custody as? any RotatableKeyCustody else {
            throw DomainError(
                .unavailable, code: "key_custody_not_rotatable",
                message: LocalizedText(
                    zh: "该密钥托管（\(custody.custodyDescription)）不支持轮换", en: "This key custody (\(custody.custodyDescription)) cannot rotate"))
        }
        var before = try await status(by: actor)
        var previous: String? = nil
        let startNew = before.rotationPending || before.remaining == 0
        if startNew {
            let switched = try rotatable.rotateKeyEncryptionKey()
            previous = switched.previous
            _ = try await log.append(
                AuditRecord(
                    actor: actor, action: "keys.kek_rotate", objectType: "key_encryption_key", objectId: switched.current,
                    before: AuditJSON.encode(["kek_id": switched.previous]),
                    after: AuditJSON.encode(["kek_id": switched.current, "custody": custody.custodyDescription]), origin: origin))
            before = try await status(by: actor)
        }
        let current = custody.keyEncryptionKeyId
        let total = before.remaining
        var done = 0
        progress(0, total)
        while true {
            let rows = try await repository.rowsNotUnder(current, limit: max(1, min(batchSize, 500)))
            if rows.isEmpty { break }
            var rewrapped: [(row: WrappedKeyRow, wrapped: [String: Data])] = []
            for row in rows {
                var wrapped: [String: Data] = [:]
                for (column, bytes) in row.wrapped {
                    let label = row.kind.label(column: column, id: row.id)
                    let secret = try custody.unwrap(bytes, label: label, keyEncryptionKeyId: row.keyEncryptionKeyId)
                    wrapped[column] = try custody.wrap(secret, label: label)
                }
                rewrapped.append((row, wrapped))
            }
            let ids = rows.map { "\($0.kind.rawValue):\($0.id)" }
            let changed = try await repository.rewrap(
                rewrapped, to: current,
                audit: AuditRecord(
                    actor: actor, action: "keys.rewrap", objectType: "key_encryption_key", objectId: current,
                    after: AuditJSON.encode(["kek_id": current, "rows": String(rows.count)]),
                    detail: String(ids.joined(separator: ",").prefix(2_000)), origin: origin))
            done += changed
            progress(min(done, max(total, done)), max(total, done))
            // Throttle: a long rotation on a busy server leaves room for its requests.
            if pauseMilliseconds > 0 { try await Task.sleep(nanoseconds: UInt64(min(pauseMilliseconds, 10_000)) * 1_000_000) }
        }
        _ = try await log.append(
            AuditRecord(
                actor: actor, action: "keys.rotate_complete", objectType: "key_encryption_key", objectId: current,
                after: AuditJSON.encode(["kek_id": current, "rewrapped": String(done)]), origin: origin))
        return KeyRotationResult(previousId: previous, currentId: current, rewrapped: done, startedNewKey: startNew)
    }
}
