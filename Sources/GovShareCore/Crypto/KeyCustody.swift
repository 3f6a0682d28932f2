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
    func wrap(_ secret: Data, label: String) throws -> Data
    func unwrap(_ wrapped: Data, label: String) throws -> Data
}

extension KeyCustody {
    public func wrap(_ key: SM2PrivateKey, label: String) throws -> Data { try wrap(key.pkcs8DER, label: label) }
    public func unwrapPrivateKey(_ wrapped: Data, label: String) throws -> SM2PrivateKey {
        SM2PrivateKey(pkcs8DER: try unwrap(wrapped, label: label))
    }
}
