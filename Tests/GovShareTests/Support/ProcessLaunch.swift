import Foundation

/// Runs child processes (`govshare`, `openssl`) for the tests.
///
/// Launches are serialised: CI saw Foundation's `Process.run()` crash (a bad pointer in its memcpy) while other launches
/// were under way. The wait is not a blocking one: Swift's cooperative pool has one thread per core, and two tests each
/// blocking a thread on a `govshare` child that waits for a database lock held by a task of this process (a migration in
/// another test) would leave that task no thread to finish on — a deadlock that held CI until its time limit. Output
/// goes to files, so no pipe can fill and stall a child.
enum ProcessLaunch {
    private static let lock = NSLock()

    static func run(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]? = nil
    ) async throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let name = UUID().uuidString
        let outputFile = directory.appendingPathComponent(".stdout-\(name)")
        let errorFile = directory.appendingPathComponent(".stderr-\(name)")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let status: Int32
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try lock.withLock { try process.run() }
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            try? outputHandle.close()
            try? errorHandle.close()
            throw error
        }
        try outputHandle.close()
        try errorHandle.close()
        return CLIResult(
            status: status, output: String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self),
            error: String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self))
    }
}
