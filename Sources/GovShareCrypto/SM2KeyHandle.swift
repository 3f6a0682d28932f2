import CGovShareSM
import Foundation
import Synchronization

/// A key parsed by libcrypto once and used for many operations. On OpenSSL 3.0 decoding a DER key costs more than
/// the signature itself (600 signatures/s re-parsing the key each time against 1,650 with a parsed key, measured
/// in the same run on this machine), so the wrapper keeps parsed keys by their DER bytes.
/// `@unchecked Sendable`: the handle is immutable, and the EVP_PKEY behind the raw pointer is only read — libcrypto
/// allows concurrent operations on one key, each with its own context — and freed once, by `deinit`.
final class SM2KeyHandle: @unchecked Sendable {
    /// An EVP_PKEY.
    let pointer: UnsafeMutableRawPointer
    init(pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    deinit { gs_key_free(pointer) }

    static let privateKeys = Cache()
    static let publicKeys = Cache()

    /// Parsed keys by DER, at most `limit` of them (a full cache starts over rather than grow: the platform uses a
    /// handful of keys, a verifier of uploaded documents possibly many). Private keys stay only in this process's
    /// memory, where the keyring keeps them anyway while it signs.
    final class Cache: Sendable {
        static let limit = 512
        private let handles = Mutex<[Data: SM2KeyHandle]>([:])

        func handle(for der: Data, load: (UnsafePointer<UInt8>, Int) -> UnsafeMutableRawPointer?) -> SM2KeyHandle? {
            if let hit = handles.withLock({ $0[der] }) { return hit }
            guard der.count <= 1 << 16 else { return nil }
            let loaded = der.withUnsafeBytes { load($0.bytes, $0.count) }
            guard let loaded else { return nil }
            let handle = SM2KeyHandle(pointer: loaded)
            handles.withLock { cache in
                if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
                cache[der] = handle
            }
            return handle
        }
    }
}
