import Foundation
import GovShareCore
import Testing

/// Issue 13: the house rules that can be read off the source and the docs. (Tools/check_architecture.sh, run by CI,
/// also refuses any reach of a repository from the server or the command line.)
@Suite("Architecture: layering and documented policies")
struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// GovShareCore owns the rules and depends on nothing but Foundation.
    @Test func coreImportsFoundationOnly() throws {
        let core = Self.root.appendingPathComponent("Sources/GovShareCore")
        let files = try #require(FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil)?.allObjects as? [URL])
        var offending: [String] = []
        for file in files where file.pathExtension == "swift" {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                guard words.first == "import" else { continue }
                if words.count != 2 || words[1] != "Foundation" {
                    offending.append("\(file.lastPathComponent):\(number + 1): \(line)")
                }
            }
        }
        #expect(offending.isEmpty, "GovShareCore imports more than Foundation:\n\(offending.joined(separator: "\n"))")
    }

    // MARK: docs/api.md

    /// Words a policy cell may use besides a `Policy`: who is allowed at all (`public`, `signed in`), and the object
    /// scopes the services apply on top of a policy (whose object it is). Anything else that looks like a policy
    /// (`word.word`) must be a `Policy` raw value.
    static let nonPolicyWords: Set<String> = [
        "public", "signed in",
        // Object scopes, decided in the services.
        "own department", "provider only", "the provider", "the provider's reviewer", "the provider's catalogers",
        "the provider's catalogers or a thematic entry's co-builders", "the provider's data authority",
        "own department or the reviewing authority", "the department's data authority", "the authority over the provider",
        "a second person", "provider or platform_admin", "the subscribing department", "platform_admin", "with a purpose",
        "the holder", "provincial data authority only", "involved departments", "the case's authority",
        "the applicant's department", "its reviewers", "a reviewer of it", "who may see the application",
        "the applicant while open", "the objector", "a party", "who may see the objection",
    ]

    struct Row {
        let line: Int
        let routes: [String]
        let policy: String
    }

    /// The rows of every "method and path | policy | what" table in docs/api.md.
    static func documentedRows() throws -> [Row] {
        var rows: [Row] = []
        var inTable = false
        for (index, line) in try text("docs/api.md").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("| method and path | policy") { inTable = true; continue }
            guard inTable, line.hasPrefix("|") else { inTable = false; continue }
            if line.hasPrefix("|---") { continue }
            let cells = splitCells(String(line))
            guard cells.count >= 3 else { continue }
            rows.append(Row(line: index + 1, routes: expandRoutes(cells[0]), policy: cells[1]))
        }
        return rows
    }

    /// Splits a table row on `|` that is not escaped (`\|`).
    static func splitCells(_ line: String) -> [String] {
        var cells: [String] = [], current = "", previous: Character = " "
        for character in line {
            if character == "|" && previous != "\\" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        return Array(cells.dropFirst())
    }

    /// "`GET`/`POST /api/v1/x/{id}/a?q=` · `/b` · `…/c/{d}`" → GET and POST of /api/v1/x/{id}/a, /api/v1/x/{id}/b and
    /// /api/v1/x/{id}/c/{d}. A segment starting with `/` replaces the last part of the previous path; one starting with
    /// `…/` continues it from the part it names (or appends); methods carry over until a segment names its own.
    static func expandRoutes(_ cell: String) -> [String] {
        let methodNames = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        var routes: [String] = [], methods: [String] = [], previous = ""
        for segment in cell.components(separatedBy: " · ").flatMap({ $0.components(separatedBy: ", ") }) {
            // The code spans of the segment: leading ones that are only a method, then the one holding the path.
            var spans = segment.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            var named: [String] = []
            while let first = spans.first, methodNames.contains(first) { named.append(first); spans.removeFirst() }
            guard let span = spans.first else { continue }
            var words = span.split(separator: " ").map(String.init)
            while let first = words.first, methodNames.contains(first) { named.append(first); words.removeFirst() }
            guard var path = words.first?.split(separator: "?").first.map(String.init), path.hasPrefix("/") || path.hasPrefix("…/") else {
                continue
            }
            if path.hasPrefix("…/") {
                let rest = path.dropFirst(2).split(separator: "/").map(String.init)
                var base = previous.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if let first = rest.first, let at = base.firstIndex(of: first) { base = Array(base[..<at]) }
                path = (base + rest).joined(separator: "/")
            } else if !path.hasPrefix("/api/") && path != "/healthz" && path != "/metrics" && !previous.isEmpty {
                path = String(previous[..<(previous.lastIndex(of: "/") ?? previous.endIndex)]) + path
            }
            if !named.isEmpty { methods = named }
            routes += methods.map { "\($0) \(path)" }
            previous = path
        }
        return routes
    }

    /// Each policy named in docs/api.md's route tables is a `Policy` (or one of the listed non-policy words), so the
    /// docs speak the code's vocabulary.
    @Test func documentedPoliciesArePolicies() throws {
        let policies = Set(Policy.allCases.map(\.rawValue))
        var unknown: [String] = []
        for row in try Self.documentedRows() {
            for part in row.policy.components(separatedBy: CharacterSet(charactersIn: ",·/")) {
                let word = part.trimmingCharacters(in: .whitespaces)
                if word.isEmpty || policies.contains(word) || Self.nonPolicyWords.contains(word) { continue }
                unknown.append("docs/api.md:\(row.line): \"\(word)\"")
            }
        }
        #expect(
            unknown.isEmpty,
            """
            policy cells naming neither a Policy (\(policies.sorted().joined(separator: ", "))) nor a listed scope:
            \(unknown.joined(separator: "\n"))
            """)
    }

    /// Every operation of openapi.json has a row in docs/api.md, and no row names a route the contract lacks.
    @Test func everyContractRouteIsDocumented() throws {
        let document = try OpenAPIConformanceTests.document()
        var contract = Set<String>()
        for (path, operations) in document["paths"]?.object ?? [:] {
            for method in (operations.object ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                contract.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(contract.count > 100)
        let documented = Set(try Self.documentedRows().flatMap(\.routes))
        #expect(contract.subtracting(documented).sorted() == [], "routes of openapi.json without a row in docs/api.md")
        #expect(documented.subtracting(contract).sorted() == [], "docs/api.md rows for routes openapi.json does not have")
    }

    /// docs/architecture.md's policy table is the vocabulary itself: one row per `Policy`, listing exactly the roles
    /// `allowedRoles` grants (by their raw names), so the docs cannot drift from the code.
    @Test func policyTableMatchesAllowedRoles() throws {
        var documented: [String: Set<String>] = [:]
        for line in try Self.text("docs/architecture.md").split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let name = cells.first?.trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                Policy(rawValue: name) != nil
            else { continue }
            let roles = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            documented[name] = Set(roles)
        }
        let actual = Dictionary(uniqueKeysWithValues: Policy.allCases.map { ($0.rawValue, Set($0.allowedRoles.map(\.rawValue))) })
        #expect(documented == actual, "docs/architecture.md's policy table differs from Policy.allowedRoles")
    }
}
