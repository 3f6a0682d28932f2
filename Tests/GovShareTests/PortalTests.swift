import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Portal")
struct PortalTests {
    static func cookies(_ response: TestResponse) -> [String: String] {
        var jar: [String: String] = [:]
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 { jar[parts[0]] = parts[1] }
        }
        return jar
    }

    static func cookieHeader(_ jar: [String: String]) -> String {
        jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    @Test(arguments: TestDatabase.available)
    func signInInChineseSwitchToEnglishAndSignOut(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let home = try await client.execute(uri: "/", method: .get)
                #expect(home.status == .seeOther)
                #expect(home.headers[.location]?.hasPrefix("/login") == true)

                let page = try await client.execute(uri: "/login", method: .get)
                let html = String(buffer: page.body)
                #expect(html.contains("<html lang=\"zh-CN\">"))
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                var jar = Self.cookies(page)
                let csrf = try #require(jar["gs_csrf"])
                #expect(html.contains("value=\"\(csrf)\""))

                // Without the CSRF token the form is refused.
                let forged = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: Self.cookieHeader(jar)],
                    body: ByteBuffer(string: "username=admin&password=GovShare%232026"))
                #expect(forged.status == .forbidden)

                let wrong = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: Self.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=nope&next=%2F"))
                #expect(wrong.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains("id=\"login-error\""))

                let signedIn = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: Self.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(csrf)&username=admin&password=GovShare%232026&next=%2Fdepartments"))
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers[.location] == "/departments")
                jar.merge(Self.cookies(signedIn)) { $1 }
                #expect(jar["gs_session"] != nil)

                let departments = try await client.execute(uri: "/departments", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                let departmentsHTML = String(buffer: departments.body)
                #expect(departments.status == .ok)
                #expect(departmentsHTML.contains("广东省公安厅"))
                #expect(departmentsHTML.contains("id=\"current-user\""))

                let english = try await client.execute(
                    uri: "/lang/en?next=/departments", method: .get,
                    headers: [.cookie: Self.cookieHeader(jar)])
                jar.merge(Self.cookies(english)) { $1 }
                // Only this site's paths are followed: a tab that browsers drop would turn `/\t/x` into `//x`.
                for next in ["//evil.example", "/%09/evil.example", "/%0A/evil.example", "https://evil.example"] {
                    let away = try await client.execute(
                        uri: "/lang/en?next=\(next)", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                    #expect(away.headers[.location] == "/", "\(next) -> \(away.headers[.location] ?? "")")
                }
                let englishPage = try await client.execute(uri: "/departments", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                let englishHTML = String(buffer: englishPage.body)
                #expect(englishHTML.contains("<html lang=\"en\">"))
                #expect(englishHTML.contains("Public Security"))
                #expect(englishHTML.contains(">Home<"))

                let signedOut = try await client.execute(
                    uri: "/logout", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: Self.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(csrf)"))
                #expect(signedOut.status == .seeOther)
                #expect(Self.cookies(signedOut)["gs_session"] == "")
                // A copy of the old session cookie is worth nothing after signing out.
                let replayed = try await client.execute(uri: "/departments", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                #expect(!String(buffer: replayed.body).contains("id=\"current-user\""))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func pagesAreDeniedByRoleAndErrorsRenderAsHTML(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let token = try await env.server.platform.accounts.signIn(
                    username: "hrss_user", password: demoPassword,
                    origin: .commandLine())
                _ = token
                let page = try await client.execute(uri: "/login", method: .get)
                var jar = Self.cookies(page)
                let signedIn = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: Self.cookieHeader(jar)],
                    body: ByteBuffer(string: "_csrf=\(jar["gs_csrf"]!)&username=hrss_user&password=GovShare%232026"))
                jar.merge(Self.cookies(signedIn)) { $1 }
                let audit = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                #expect(audit.status == .forbidden)
                #expect(String(buffer: audit.body).contains("id=\"error-message\""))
                let missing = try await client.execute(uri: "/no-such-page", method: .get, headers: [.cookie: Self.cookieHeader(jar)])
                #expect(missing.status == .notFound)
                #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
                let calendar = try await client.execute(
                    uri: "/calendar?from=2026-12-28&working_days=10", method: .get,
                    headers: [.cookie: Self.cookieHeader(jar)])
                let calendarHTML = String(buffer: calendar.body)
                #expect(calendarHTML.contains("2027-01-11"))
                #expect(calendarHTML.contains("id=\"due-provisional\""))
            }
        }
    }
}
