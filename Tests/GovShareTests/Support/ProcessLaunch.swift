import Foundation

/// Starts child processes one at a time. Tests run in parallel and several start tools (`govshare`, `openssl`) at
/// once; CI saw Foundation's `Process.run()` crash (a bad pointer in its memcpy) while other launches were under way,
/// so the launch itself — not the wait — is serialised.
enum ProcessLaunch {
    private static let lock = NSLock()

    static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
