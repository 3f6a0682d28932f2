import Dispatch
import Foundation
import GovShareCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts another program (`pg_dump`, `pg_restore`, `tar`; the tests' `govshare` and `openssl`) and waits for it
/// without holding a thread.
///
/// Not Foundation's `Process`: on Linux, Swift 6.3.1's `Process.run()` copies 256 bytes of every `/proc/self/fd`
/// directory entry, reads past glibc's buffer now and then and takes the whole process down with SIGSEGV
/// (swift-corelibs-foundation#5472, fixed upstream after 6.3.1). A server crashing during a backup, or CI losing the
/// test run, is the price; serialising launches does not avoid it. This uses `posix_spawn` directly.
public enum ChildProcess {
    /// Runs `executable` with `arguments`; standard input is /dev/null, standard output and error go to the given files
    /// (created or truncated, mode 0600; /dev/null when nil), so no pipe can fill and stall the child. Returns the exit
    /// status, or 128 + the signal number when a signal ended it, as shells report it.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        directory: String? = nil, standardOutput: String? = nil, standardError: String? = nil
    ) async throws -> Int32 {
        let pid = try spawn(
            executable, arguments, environment: environment, directory: directory,
            standardOutput: standardOutput, standardError: standardError)
        return try await waitForExit(pid)
    }

    /// The same, for a command-line tool's synchronous code: blocks the calling thread until the child ends.
    public static func runBlocking(
        _ executable: String, _ arguments: [String], environment: [String: String],
        directory: String? = nil, standardOutput: String? = nil, standardError: String? = nil
    ) throws -> Int32 {
        let pid = try spawn(
            executable, arguments, environment: environment, directory: directory,
            standardOutput: standardOutput, standardError: standardError)
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid { return decode(status) }
            if result == -1 && errno != EINTR { throw failure("waitpid", errno) }
        }
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String?,
        standardOutput: String?, standardError: String?
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw failure("posix_spawn_file_actions_init", errno) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        let created = O_WRONLY | O_CREAT | O_TRUNC
        for (descriptor, path, flags) in [
            (Int32(0), "/dev/null", O_RDONLY), (1, standardOutput ?? "/dev/null", created), (2, standardError ?? "/dev/null", created),
        ] {
            let code = posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600)
            guard code == 0 else { throw failure("posix_spawn_file_actions_addopen(\(path))", code) }
        }
        if let directory {
            guard let addChdir = SpawnExtensions.addChdir else {
                throw failure("posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)", ENOSYS)
            }
            let code = addChdir(&actions, directory)
            guard code == 0 else { throw failure("posix_spawn_file_actions_addchdir_np(\(directory))", code) }
        }
        // The server's sockets and database files stay out of the child even where a library left them inheritable.
        if let addCloseFrom = SpawnExtensions.addCloseFrom { _ = addCloseFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        guard posix_spawnattr_init(&attributes) == 0 else { throw failure("posix_spawnattr_init", errno) }
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and default handlers (the server ignores SIGPIPE; a tool must not).
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw failure("posix_spawn(\(executable))", code) }
        return pid
    }

    /// Polls with WNOHANG between short timer waits: no thread of Swift's cooperative pool (one per core) is held, and
    /// a cancelled task still reaps its child rather than leaving a zombie.
    private static func waitForExit(_ pid: pid_t) async throws -> Int32 {
        var delay = 2
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return decode(status) }
            if result == -1 && errno != EINTR { throw failure("waitpid", errno) }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) { continuation.resume() }
            }
            delay = min(delay * 2, 50)
        }
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func failure(_ call: String, _ code: Int32) -> DomainError {
        let reason = String(cString: strerror(code))
        return DomainError(
            .unavailable, code: "spawn_failed",
            message: LocalizedText(zh: "无法启动子进程：\(call) 失败（\(reason)）", en: "could not start a child process: \(call) failed (\(reason))"))
    }
}

/// glibc's non-portable spawn actions, found at run time: Swift's Glibc module does not declare them (they need
/// _GNU_SOURCE), and they are absent on Darwin.
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
