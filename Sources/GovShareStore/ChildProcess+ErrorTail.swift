import Foundation

/// How a tool ended when its standard error was kept: the exit status (as `ChildProcess.run` reports it) and the end
/// of what it wrote to standard error, for the message of a failed backup, restore or archive.
public struct ChildOutcome: Sendable, Equatable {
    public let status: Int32
    public let errorTail: String
    public init(status: Int32, errorTail: String) { self.status = status; self.errorTail = errorTail }
}

extension ChildProcess {
    /// `run` with standard error kept in a private temporary file (a pipe nobody drains would block a chatty tool),
    /// removed afterwards; returns the status and the last `tailBytes` bytes the tool wrote there.
    public static func runKeepingErrors(
        _ executable: String, _ arguments: [String], environment: [String: String], tailBytes: Int = 2_000
    ) async throws -> ChildOutcome {
        let path = errorFile(executable)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let status = try await run(executable, arguments, environment: environment, standardError: path)
        return ChildOutcome(status: status, errorTail: tail(of: path, bytes: tailBytes))
    }

    /// The same, blocking the calling thread (a command-line tool's synchronous code).
    public static func runBlockingKeepingErrors(
        _ executable: String, _ arguments: [String], environment: [String: String], tailBytes: Int = 2_000
    ) throws -> ChildOutcome {
        let path = errorFile(executable)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let status = try runBlocking(executable, arguments, environment: environment, standardError: path)
        return ChildOutcome(status: status, errorTail: tail(of: path, bytes: tailBytes))
    }

    private static func errorFile(_ executable: String) -> String {
        let name = (executable as NSString).lastPathComponent
        return FileManager.default.temporaryDirectory.appendingPathComponent("govshare-\(name)-\(UUID().uuidString).err").path
    }

    private static func tail(of path: String, bytes: Int) -> String {
        String(decoding: (FileManager.default.contents(atPath: path) ?? Data()).suffix(max(bytes, 0)), as: UTF8.self)
    }
}
