import Foundation
import GovShareCore
import Testing

@Suite("Organisations")
struct DirectoryTests {
    // A valid code for a new body (check character computed by GB 32100).
    static let newCode = "11440100" + "MB2C3D4E5" + String(CreditCode.checkCharacter(for: "11440100MB2C3D4E5")!)

    @Test(arguments: TestDatabase.available)
    func demoHasTheProvinceAndItsCities(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("gd_reviewer")
                let regions = try await client.json(.get, "/api/v1/regions", token: token)
                #expect((regions.json["items"] as? [Any])?.count == 22)
                let provincial = try await client.json(.get, "/api/v1/departments?level=province&kind=government", token: token)
                #expect(((provincial.json["items"] as? [Any])?.count ?? 0) >= 15)
                let bad = try await client.json(.get, "/api/v1/departments?level=planet", token: token)
                #expect(bad.status == .unprocessableContent)
                #expect(fieldErrors(bad.json).map(\.field) == ["level"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func administratorRegistersADepartmentInItsVerticalSystem(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("admin")
                let parent = try #require(try await env.platform.storage.departments.list(.init()).first { $0.nameZh == "广东省公安厅" })
                let body =
                    #"{"code":"\#(Self.newCode)","name_zh":"广州市公安局从化分局","level":"city","region_code":"440100","kind":"government","system_parent_code":"\#(parent.code)"}"#
                let created = try await client.json(.post, "/api/v1/departments", token: token, body: body)
                #expect(created.status == .created)
                #expect(created.json["system_parent_id"] as? String == parent.id)
                #expect(created.json["node_id"] as? String == "gd-province")
                let again = try await client.json(.post, "/api/v1/departments", token: token, body: body)
                #expect(again.status == .conflict)
                let audit = try await env.platform.storage.auditLog.events(.init(limit: 5, action: "department.create"))
                #expect(audit.first?.objectId == created.json["id"] as? String)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedNamingTheFieldAndChangesNothing(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("admin")
                let before = try await env.platform.storage.departments.list(.init()).count
                let auditBefore = try await env.platform.storage.auditLog.events(.init(limit: 1)).first?.seq ?? 0

                let badCode = try await client.json(
                    .post, "/api/v1/departments", token: token,
                    body: #"{"code":"11440100MB2C3D4E5X","name_zh":"某局","level":"city","region_code":"440100","kind":"government"}"#)
                #expect(badCode.status == .unprocessableContent)
                #expect(fieldErrors(badCode.json).contains { $0.field == "code" && $0.rule == "credit_code_check" })
                #expect((badCode.json["detail"] as? String)?.contains("code") == true)

                let malformed = try await client.json(.post, "/api/v1/departments", token: token, body: #"{"code": "#)
                #expect(malformed.status == .unprocessableContent)
                #expect(fieldErrors(malformed.json).first?.field == "body")

                let wrongType = try await client.json(.post, "/api/v1/departments", token: token, body: #"{"code": 12345}"#)
                #expect(fieldErrors(wrongType.json).first?.field == "code")
                #expect(fieldErrors(wrongType.json).first?.rule == "type")

                let several = try await client.json(
                    .post, "/api/v1/departments", token: token,
                    body: #"{"code":"\#(Self.newCode)","name_zh":"","level":"city","region_code":"440000","kind":"ministry"}"#)
                #expect(Set(fieldErrors(several.json).map(\.field)) == ["name_zh", "region_code", "kind"])

                let unknownParent = try await client.json(
                    .post, "/api/v1/departments", token: token,
                    body:
                        #"{"code":"\#(Self.newCode)","name_zh":"某局","level":"city","region_code":"440100","kind":"government","system_parent_code":"91350100M000100Y43"}"#
                )
                #expect(fieldErrors(unknownParent.json).first?.field == "system_parent_code")

                // NUL characters cannot be stored (PostgreSQL refuses them): refused as input, not a server error.
                let nulBody = try await client.json(.post, "/api/v1/departments", token: token, body: #"{"code":"a\u0000b"}"#)
                #expect(fieldErrors(nulBody.json).first?.rule == "control_character")
                let nulQuery = try await client.json(.get, "/api/v1/catalog/export?provider_code=%00", token: token)
                #expect(nulQuery.status == .unprocessableContent)
                #expect(fieldErrors(nulQuery.json).first?.field == "provider_code")

                let english = try await client.json(
                    .post, "/api/v1/departments", token: token, body: #"{"code": 1}"#,
                    headers: [.acceptLanguage: "en"])
                #expect((english.json["detail"] as? String)?.hasPrefix("Invalid input") == true)

                let notAdmin = try await client.json(
                    .post, "/api/v1/departments", token: try await client.token("psb_cataloger"),
                    body: #"{"code":"\#(Self.newCode)","name_zh":"某局","level":"city","region_code":"440100","kind":"government"}"#)
                #expect(notAdmin.status == .forbidden)

                #expect(try await env.platform.storage.departments.list(.init()).count == before)
                // only the cataloger's sign-in
                #expect((try await env.platform.storage.auditLog.events(.init(limit: 1)).first?.seq ?? 0) == auditBefore + 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func usersNeedAStrongPasswordAndAKnownDepartment(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await client.token("admin")
                let weak = try await client.json(
                    .post, "/api/v1/users", token: token,
                    body:
                        #"{"username":"new_user","display_name":"新用户","department_code":"\#(Self.newCode)","roles":["data_user","king"],"password":"short"}"#
                )
                #expect(Set(fieldErrors(weak.json).map(\.field)) == ["roles", "password"])
                let unknown = try await client.json(
                    .post, "/api/v1/users", token: token,
                    body:
                        #"{"username":"new_user","display_name":"新用户","department_code":"\#(Self.newCode)","roles":["data_user"],"password":"Str0ng-Passw0rd!"}"#
                )
                #expect(fieldErrors(unknown.json).first?.field == "department_code")
                let code = try #require(try await env.platform.storage.departments.list(.init()).first?.code)
                let ok = try await client.json(
                    .post, "/api/v1/users", token: token,
                    body:
                        #"{"username":"new_user","display_name":"新用户","department_code":"\#(code)","roles":["data_user"],"password":"Str0ng-Passw0rd!"}"#
                )
                #expect(ok.status == .created)
                #expect(!String(describing: ok.json).contains("$2"))
                _ = try await client.token("new_user", "Str0ng-Passw0rd!")
            }
        }
    }
}
