import ArgumentParser
import Foundation
import GovShareCore
import GovShareCrypto

/// Offline national cryptography (no database, no configuration): hash, make keys, sign and verify files with SM2/SM3
/// through the same `NationalCrypto` the platform uses, and measure it. What other implementations (the openssl CLI,
/// gmssl) are checked against in CI (Tests/interop).
struct CryptoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto", abstract: "SM3 digests, SM2 keys, signatures and speed, offline (GB/T 32905, 32918).",
        subcommands: [SM3Digest.self, KeyGen.self, Sign.self, Verify.self, Speed.self])

    struct SM3Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sm3", abstract: "Print the SM3 digest of a file (lower-case hex, then two spaces and the path).")
        @Argument(help: "The file to hash (read in chunks).") var file: String

        func run() async throws {
            let digest = try CryptoIO.attempt { try OpenSSLNationalCrypto().sm3(contentsOf: URL(fileURLWithPath: file)) }
            print("\(Hex.encode(digest))  \(file)")
        }
    }

    struct KeyGen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make an SM2 key pair: the private key as PKCS#8 PEM (mode 0600), the public key as SubjectPublicKeyInfo PEM.")
        @Option(help: "Where to write the private key (refused if the file exists).") var out: String
        @Option(help: "Where to write the public key.") var pub: String?

        func run() async throws {
            let crypto = OpenSSLNationalCrypto()
            let key = try CryptoIO.attempt { try crypto.generateSM2Key() }
            let publicKey = try CryptoIO.attempt { try crypto.publicKey(of: key) }
            try CryptoIO.create(out, Data(PEM.encode(key.pkcs8DER, label: "PRIVATE KEY").utf8), permissions: 0o600)
            if let pub {
                try CryptoIO.create(pub, Data(PEM.encode(publicKey.spkiDER, label: "PUBLIC KEY").utf8), permissions: 0o644)
            }
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a file with SM2 over SM3(Z_A ‖ file); writes the DER signature SEQUENCE { r, s }.")
        @Argument(help: "The file to sign.") var file: String
        @Option(help: "The SM2 private key (PKCS#8 or SEC1, PEM or DER).") var key: String
        @Option(help: "Where to write the signature.") var out: String
        @Option(help: "The signer's distinguishing ID (GM/T 0009 default).") var id = "1234567812345678"

        func run() async throws {
            let crypto = OpenSSLNationalCrypto()
            let privateKey = try CryptoIO.attempt { try crypto.importPrivateKey(try CryptoIO.read(key)) }
            let message = try CryptoIO.read(file)
            let signature = try CryptoIO.attempt { try crypto.sign(message, with: privateKey, id: Data(id.utf8)) }
            try CryptoIO.replace(out, signature)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a file's DER SM2 signature; prints `verified` (exit 0) or `INVALID` (exit 1).")
        @Argument(help: "The signed file.") var file: String
        @Argument(help: "The DER signature.") var signature: String
        @Option(help: "The SM2 public key: SubjectPublicKeyInfo (PEM or DER), an uncompressed point, or a certificate.")
        var pub: String
        @Option(help: "The signer's distinguishing ID (GM/T 0009 default).") var id = "1234567812345678"

        func run() async throws {
            let crypto = OpenSSLNationalCrypto()
            let publicKey = try CryptoIO.attempt { try crypto.importPublicKey(try CryptoIO.read(pub)) }
            let valid = crypto.verify(try CryptoIO.read(signature), of: try CryptoIO.read(file), by: publicKey, id: Data(id.utf8))
            print(valid ? "verified" : "INVALID")
            if !valid { throw ExitCode(1) }
        }
    }

    /// What `openssl speed sm2` and `openssl speed -evp sm3` measure, through our wrapper: SM2 signatures of 20-byte
    /// messages with a fresh key, verification of one such signature, and SM3 over 16 KiB blocks (openssl's largest).
    struct Speed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "SM2 sign/s and verify/s and SM3 MB/s (10^6 bytes) through GovShare's wrapper, one thread, per user CPU second (as openssl speed)."
        )
        @Option(help: "Seconds per measurement.") var seconds: Double = 3

        func run() async throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds: between 0 and 600") }
            let crypto = OpenSSLNationalCrypto()
            let key = try CryptoIO.attempt { try crypto.generateSM2Key() }
            let publicKey = try CryptoIO.attempt { try crypto.publicKey(of: key) }
            let message = crypto.randomBytes(20)
            let id = SM2Parameters.defaultID
            let signature = try CryptoIO.attempt { try crypto.sign(message, with: key, id: id) }
            guard crypto.verify(signature, of: message, by: publicKey, id: id) else {
                throw CryptoIO.failure("a fresh signature did not verify")
            }
            let signs = try Self.rate(seconds) { _ = try crypto.sign(message, with: key, id: id) }
            print(String(format: "sm2 sign/s    %.1f", signs))
            var failures = 0
            let verifies = try Self.rate(seconds) { if !crypto.verify(signature, of: message, by: publicKey, id: id) { failures += 1 } }
            guard failures == 0 else { throw CryptoIO.failure("\(failures) verifications of a valid signature failed") }
            print(String(format: "sm2 verify/s  %.1f", verifies))
            let block = crypto.randomBytes(16_384)
            let hashes = try Self.rate(seconds) { _ = crypto.sm3(block) }
            print(String(format: "sm3 MB/s      %.1f  (16384-byte blocks)", hashes * Double(block.count) / 1_000_000))
        }

        /// Operations per second of `body` run back to back for `seconds` of wall time, divided by the user CPU time
        /// they took — what `openssl speed` divides by unless given `-elapsed`, so both sides are compared alike and
        /// other work on the machine (a build next door) does not count against either.
        static func rate(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            let limit = Duration.milliseconds(Int64(seconds * 1000))
            let cpuStart = userCPUSeconds()
            var count = 0
            repeat {
                try body()
                count += 1
            } while clock.now - start < limit
            return Double(count) / max(userCPUSeconds() - cpuStart, 1e-6)
        }

        static func userCPUSeconds() -> Double {
            var usage = rusage()
            #if os(Linux)
                getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            #else
                getrusage(RUSAGE_SELF, &usage)
            #endif
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1_000_000
        }
    }
}

/// File and error handling for the crypto commands: a missing file or a refused key is one line on standard error and
/// exit 65 (bad input), never a stack trace.
enum CryptoIO {
    static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(65)
    }

    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as NationalCryptoError { throw failure(error.description) }
    }

    static func read(_ path: String) throws -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw failure("cannot read \(path)") }
    }

    /// Writes a new file only: a key is never written over another.
    static func create(_ path: String, _ data: Data, permissions: Int) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw failure("\(path) exists; not overwriting it") }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: permissions]) else {
            throw failure("cannot write \(path)")
        }
    }

    static func replace(_ path: String, _ data: Data) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch { throw failure("cannot write \(path)") }
    }
}
