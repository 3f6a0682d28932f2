import Foundation
import GovShareCore
import GovShareStore
import Testing

/// `ChildProcess` replaces Foundation's `Process` (whose Linux `run()` crashed CI's test run): what its callers rely on.
@Suite("Child processes (posix_spawn)")
struct ChildProcessTests {
    @Test func exitStatusOutputDirectoryAndEnvironmentReachTheCaller() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out").path
        let errors = directory.appendingPathComponent("err").path
        let status = try await ChildProcess.run(
            "/bin/sh", ["-c", "pwd; echo \"$GOVSHARE_CHILD_TEST\"; cat; echo oops >&2; exit 3"],
            environment: ["GOVSHARE_CHILD_TEST": "值 value", "PATH": "/usr/bin:/bin"], directory: directory.path,
            standardOutput: output, standardError: errors)
        #expect(status == 3)
        let printed = try String(contentsOfFile: output, encoding: .utf8)
        // Standard input is /dev/null: `cat` ends at once instead of waiting.
        #expect(printed == "\(directory.resolvingSymlinksInPath().path)\n值 value\n" || printed == "\(directory.path)\n值 value\n")
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "oops\n")
        #expect(try ChildProcess.runBlocking("/bin/sh", ["-c", "exit 0"], environment: [:]) == 0)
    }

    @Test func aSignalIsReportedAsShellsDoAndNoDescriptorLeaksIntoTheChild() async throws {
        #expect(try await ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"], environment: [:]) == 128 + 9)
        // A descriptor this process holds open (not close-on-exec) is closed in the child: only 0, 1, 2 remain.
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("govshare-fds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = try await ChildProcess.run(
            "/bin/sh", ["-c", "ls /proc/self/fd/ > /dev/null; test -e /proc/self/fd/\(held) && echo leaked || echo closed"],
            environment: [:], standardOutput: output)
        #expect(status == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "closed\n")
    }

    /// Backups and archives report a failed tool with the end of its standard error, and leave no file behind
    /// (the files are named after the program: only this test runs `sh` this way).
    @Test func aKeptStandardErrorComesBackAsItsTailAndItsFileIsRemoved() async throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("govshare-sh-") }
        let failed = try await ChildProcess.runKeepingErrors(
            "/bin/sh", ["-c", "{ printf 'start-'; head -c 5000 /dev/zero | tr '\\0' x; printf -- '-the end'; } >&2; exit 2"],
            environment: ["PATH": "/usr/bin:/bin"], tailBytes: 8)
        #expect(failed == ChildOutcome(status: 2, errorTail: "-the end"))
        let fine = try ChildProcess.runBlockingKeepingErrors("/bin/sh", ["-c", "echo warning >&2"], environment: [:])
        #expect(fine == ChildOutcome(status: 0, errorTail: "warning\n"))
        let after = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("govshare-sh-") }
        #expect(Set(after).subtracting(before).isEmpty)
    }

    @Test func aMissingProgramIsAnErrorNamingIt() async throws {
        do {
            _ = try await ChildProcess.run("/nonexistent/govshare-tool", [], environment: [:])
            Issue.record("a missing program started")
        } catch let error as DomainError {
            #expect(error.code == "spawn_failed" && error.message.en.contains("/nonexistent/govshare-tool"), "\(error)")
        }
    }
}
