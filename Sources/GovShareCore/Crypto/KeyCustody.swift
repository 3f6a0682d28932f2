import Foundation

/// Keeps secret keys (seal keys, the root and node keys, later data keys) encrypted at rest under a key-encryption key
/// (KEK) that is not in the database: copying the database away copies no usable key. The label binds a wrapped key to
/// what it is for (its record id), so a wrapped key moved to another record does not open.
public protocol KeyCustody: Sendable {
    /// Identifies the key-encryption key (an SM3 fingerprint prefix), stored beside every key it wraps so a
    /// rotation knows what to re-wrap.
    var keyEncryptionKeyId: String { get }
    /// Where the KEK lives, for operators (`file:/etc/govshare/kek`), never the key itself.
    var custodyDescription: String { get }
    /// Wraps under the current KEK (whose id is `keyEncryptionKeyId`).
    func wrap(_ secret: Data, label: String) throws -> Data
    /// Unwraps with the KEK the row names (`kek_id` stored beside it): the current one or a retired one kept after a
    /// rotation (`govshare keys rotate`). An id the custody does not hold is a `key_encryption_key_missing` error naming it.
    func unwrap(_ wrapped: Data, label: String, keyEncryptionKeyId: String) throws -> Data
}

/// A custody whose KEK can be replaced online (docs/key-custody.md): a new current KEK, the old one kept as retired so
/// every row wrapped by it still opens until `govshare keys rotate` has re-wrapped it.
public protocol RotatableKeyCustody: KeyCustody {
    /// Makes a new current KEK (or finishes a switch a killed rotation began) and keeps the previous one retired;
    /// returns the ids before and after.
    func rotateKeyEncryptionKey() throws -> (previous: String, current: String)
    /// The retired KEKs still held (their ids), oldest first.
    func retiredKeyEncryptionKeyIds() throws -> [String]
    /// Whether a switch was begun and not finished (a new KEK prepared, not yet current).
    func rotationPending() -> Bool
}

extension KeyCustody {
    public func wrap(_ key: SM2PrivateKey, label: String) throws -> Data { try wrap(key.pkcs8DER, label: label) }
    public func unwrapPrivateKey(_ wrapped: Data, label: String, keyEncryptionKeyId: String) throws -> SM2PrivateKey {
        SM2PrivateKey(pkcs8DER: try unwrap(wrapped, label: label, keyEncryptionKeyId: keyEncryptionKeyId))
    }
}
