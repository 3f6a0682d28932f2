import Crypto
import Foundation
import GovShareCore
import HummingbirdBcrypt
import NIOPosix

/// bcrypt for people's passwords (run off the event loops: it is slow on purpose); SHA-256 for random machine secrets.
struct BcryptCredentialHasher: CredentialHasher {
    let cost: UInt8
    let dummyHash: String

    init(cost: Int) {
        self.cost = UInt8(cost)
        dummyHash = Bcrypt.hash(RandomToken.make(), cost: UInt8(cost))
    }

    func hashPassword(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
    }

    func digestSecret(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    func secretMatches(_ secret: String, digest: String) -> Bool {
        let computed = Array(digestSecret(secret).utf8)
        let stored = Array(digest.utf8)
        guard computed.count == stored.count else { return false }
        return zip(computed, stored).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
