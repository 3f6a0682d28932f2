import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

struct DepartmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department", abstract: "Register and list departments.",
        subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a department.")
        @OptionGroup var common: CommonOptions
        @Option(help: "统一社会信用代码 (18 characters, GB 32100).") var code: String
        @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZh: String
        @Option(name: .customLong("name-en"), help: "English name.") var nameEn: String?
        @Option(help: "province, city or county.") var level: String
        @Option(help: "GB/T 2260 division code, e.g. 440000 or 440100.") var region: String
        @Option(help: "data_authority, government, operations_centre or third_party.") var kind: String
        @Option(name: .customLong("system-parent"), help: "Credit code of the provincial department guiding its system.")
        var systemParent: String?

        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let department = try await platform.directory.createDepartment(
                    NewDepartment(
                        code: code, nameZh: nameZh, nameEn: nameEn, level: level, regionCode: region, kind: kind,
                        systemParentCode: systemParent),
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                print("created department \(department.code) \(department.nameZh) (id \(department.id))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            try await CommandRunner.run(common) { platform in
                for d in try await platform.directory.departments(by: CommandRunner.actor) {
                    print([d.code, d.level.rawValue, d.regionCode, d.kind.rawValue, d.nameZh].joined(separator: "\t"))
                }
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage people's accounts.",
        subcommands: [Create.self, Disable.self, Enable.self, ResetPassword.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from standard input.")
        @OptionGroup var common: CommonOptions
        @Option var username: String
        @Option(help: "Credit code of the department the roles are held in.") var department: String
        @Option(help: "Role (repeatable): \(Role.allowedValues).") var role: [String]
        @Option(name: .customLong("display-name")) var displayName: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin is required: passwords are never given as arguments") }
        }

        func run() async throws {
            let password = try CommandRunner.readSecretFromStdin(field: "password")
            try await CommandRunner.run(common) { platform in
                let user = try await platform.accounts.createUser(
                    NewUser(
                        username: username, displayName: displayName ?? username, departmentCode: department, roles: role,
                        password: password), by: CommandRunner.actor, origin: CommandRunner.origin)
                print("created user \(user.username) (id \(user.id))")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account (takes effect on its next request).")
        @OptionGroup var common: CommonOptions
        @Option var username: String
        func run() async throws {
            try await CommandRunner.run(common) { platform in
                _ = try await platform.accounts.setStatus(
                    username: username, to: .disabled, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("disabled \(username)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @OptionGroup var common: CommonOptions
        @Option var username: String
        func run() async throws {
            try await CommandRunner.run(common) { platform in
                _ = try await platform.accounts.setStatus(
                    username: username, to: .active, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("enabled \(username)")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (from standard input) and lift any lock.")
        @OptionGroup var common: CommonOptions
        @Option var username: String
        @Flag(name: .customLong("password-stdin")) var passwordStdin = false
        func validate() throws {
            guard passwordStdin else { throw ValidationError("--password-stdin is required: passwords are never given as arguments") }
        }
        func run() async throws {
            let password = try CommandRunner.readSecretFromStdin(field: "password")
            try await CommandRunner.run(common) { platform in
                try await platform.accounts.resetPassword(
                    username: username, newPassword: password, by: CommandRunner.actor,
                    origin: CommandRunner.origin)
                print("password reset for \(username)")
            }
        }
    }
}

struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Manage business-system API clients.",
        subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a client; its secret is printed once.")
        @OptionGroup var common: CommonOptions
        @Option var name: String
        @Option(help: "Credit code of the department the system belongs to.") var department: String
        @Option(help: "Role (repeatable), default data_user.") var role: [String] = []
        func run() async throws {
            try await CommandRunner.run(common) { platform in
                let (client, secret) = try await platform.accounts.createClient(
                    name: name, departmentCode: department, roles: role.isEmpty ? nil : role,
                    by: CommandRunner.actor, origin: CommandRunner.origin)
                print("client_id=\(client.clientId)")
                print("client_secret=\(secret)")
                FileHandle.standardError.write(Data("The secret is shown only now; only its digest is stored.\n".utf8))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a client; its tokens stop working at once.")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("client-id")) var clientId: String
        func run() async throws {
            try await CommandRunner.run(common) { platform in
                _ = try await platform.accounts.revokeClient(clientId: clientId, by: CommandRunner.actor, origin: CommandRunner.origin)
                print("revoked \(clientId)")
            }
        }
    }
}
