import Foundation
import GovShareStore

/// Runs child processes (`govshare`, `openssl`) for the tests, through the store's `ChildProcess` (posix_spawn, not
/// Foundation's `Process`, whose `run()` on Linux crashed a whole CI test run now and then).
///
/// The wait holds no thread: Swift's cooperative pool has one thread per core, and two tests each blocking a thread on
/// a `govshare` child that waits for a database lock held by a task of this process would leave that task no thread
/// to finish on. Output goes to files, so no pipe can fill and stall a child.
enum ProcessLaunch {
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]? = nil
    ) async throws -> CLIResult {
        let name = UUID().uuidString
        let outputFile = directory.appendingPathComponent(".stdout-\(name)")
        let errorFile = directory.appendingPathComponent(".stderr-\(name)")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let status = try await ChildProcess.run(
            executable, arguments, environment: environment ?? ProcessInfo.processInfo.environment,
            directory: directory.path, standardOutput: outputFile.path, standardError: errorFile.path)
        return CLIResult(
            status: status, output: String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self),
            error: String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self))
    }
}
