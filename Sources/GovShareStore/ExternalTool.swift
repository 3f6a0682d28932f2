import Foundation
import GovShareCore

/// Runs PostgreSQL's own tools (`pg_dump`, `pg_restore`) for backups: found on PATH like `command -v`, the password
/// passed in the environment (never on the command line, where `ps` would show it).
enum ExternalTool {
    /// The tool's path on PATH, or a clear error naming it.
    static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw DomainError(
            .unavailable, code: "tool_missing",
            message: LocalizedText(
                zh: "找不到 \(name)（PATH 中没有；请安装 PostgreSQL 客户端，如 postgresql-client-15）",
                en: "\(name) was not found on PATH (install the PostgreSQL client tools, e.g. postgresql-client-15)"))
    }

    /// Splits a connection URL into one without the password (for the argument list) and the password.
    static func connection(_ url: String) -> (url: String, password: String?) {
        guard var components = URLComponents(string: url) else { return (url, nil) }
        let password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
        components.password = nil
        if components.scheme == "postgres" { components.scheme = "postgresql" }
        return (components.string ?? url, password)
    }

    /// Runs the tool to completion; throws with its standard error when it fails.
    static func run(_ name: String, arguments: [String], password: String?) async throws {
        let executable = try locate(name)
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        let outcome = try await ChildProcess.runKeepingErrors(executable, arguments, environment: environment)
        let (status, message) = (outcome.status, outcome.errorTail)
        guard status == 0 else {
            throw DomainError(
                .unavailable, code: "tool_failed",
                message: LocalizedText(
                    zh: "\(name) 失败（退出码 \(status)）：\(message)", en: "\(name) failed (exit status \(status)): \(message)"))
        }
    }
}
