import Foundation
@testable import GovShareCore
@testable import GovShareServer
import Testing

/// The portal's pages as contracts: every template has its `PageTemplate` case and back, every `{{t.key}}` has words
/// in both languages, and every variable a template reads is a key its typed model encodes.
@Suite("Portal pages")
struct PortalPageTests {
    static func templates() throws -> [String: String] {
        let directory = try #require(PageRenderer.templateDirectory())
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".mustache") {
            out[String(name.dropLast(".mustache".count))] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }

    /// Mustache tags in order: (kind, name), kind one of "" (variable), "#", "^", "/", "&".
    static func tags(_ text: String) -> [(kind: String, name: String)] {
        let regex = try! NSRegularExpression(pattern: #"\{\{(\{?)\s*([#^/&!>]?)\s*([^}]*?)\s*\}?\}\}"#)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let kind = ns.substring(with: m.range(at: 2))
            guard kind != "!", kind != ">" else { return nil }
            return (kind, ns.substring(with: m.range(at: 3)))
        }
    }

    @Test func everyTemplateHasItsCaseAndEveryCaseItsFile() throws {
        let files = Set(try Self.templates().keys)
        let cases = Set(PageTemplate.allCases.map(\.rawValue))
        #expect(files.subtracting(cases).isEmpty, "templates without a PageTemplate case: \(files.subtracting(cases).sorted())")
        #expect(cases.subtracting(files).isEmpty, "PageTemplate cases without a file: \(cases.subtracting(files).sorted())")
    }

    @Test func everyWordATemplateUsesExistsInBothLanguages() throws {
        var missing: [String] = []
        for (name, text) in try Self.templates() {
            for tag in Self.tags(text) where tag.name.hasPrefix("t.") {
                let key = String(tag.name.dropFirst(2))
                for language in Language.allCases where (Strings.dictionary(language)[key] ?? "").isEmpty {
                    missing.append("\(name): t.\(key) (\(language.rawValue))")
                }
            }
        }
        #expect(missing.isEmpty, "\(missing.sorted())")
    }

    /// Every variable and section the template reads resolves to a key of the sample's encoding (sections push the
    /// first element of a list, or the object, as a scope; lookups fall back to outer scopes as Mustache's do).
    static func unknownKeys(template text: String, model: [String: Any]) -> [String] {
        var root = model
        root["t"] = Strings.dictionary(.zh)
        root["csrf"] = "token"
        var scopes: [Any] = [root]
        var unknown: [String] = []
        func resolve(_ name: String) -> (found: Bool, value: Any?) {
            if name == "." { return (true, scopes.last) }
            let parts = name.split(separator: ".").map(String.init)
            for scope in scopes.reversed() {
                guard let object = scope as? [String: Any], var value = object[parts[0]] else { continue }
                for part in parts.dropFirst() {
                    guard let next = (value as? [String: Any])?[part] else { return (false, nil) }
                    value = next
                }
                return (true, value)
            }
            return (false, nil)
        }
        for tag in tags(text) {
            switch tag.kind {
            case "/": if scopes.count > 1 { scopes.removeLast() }
            case "#", "^":
                let (found, value) = resolve(tag.name)
                if !found { unknown.append(tag.kind + tag.name) }
                if tag.kind == "#", let list = value as? [Any] {
                    if list.isEmpty { unknown.append("\(tag.name) (empty in the sample)") }
                    scopes.append(list.first ?? [String: Any]())
                } else if tag.kind == "#", let object = value as? [String: Any] {
                    scopes.append(object)
                } else {
                    scopes.append(value ?? [String: Any]())
                }
            default:
                if !resolve(tag.name).found { unknown.append(tag.name) }
            }
        }
        return unknown
    }

    /// A filled-in instance of each typed page (every optional set, every list non-empty).
    static var samples: [any PortalPage] {
        let item = HomePage.Item(href: "/applications/1", name: "人口基础信息", code: "A/1", itemNames: "姓名、性别", detail: "省人社厅",
                                 when: "到期日 2026-01-01", overdue: true)
        var work = HomePage.Work(WorkplaceService.Home(), language: .zh)
        work.sections = [HomePage.Section(id: "work-applications", title: "t", items: [item])]
        return [
            LayoutPage(lang: "zh-CN", title: "t", content: "<p>", next: "/", signedIn: true, userName: "u", roleNames: "r", isEn: false,
                       showReview: true, showLegalBasis: true, showNotifications: true, showTrace: true, showAudit: true,
                       showAccounts: true),
            ErrorPage(status: 500, message: "m", requestId: "r"),
            LoginPage(next: "/", failed: true, username: "u"),
            HomePage(name: "n", department: "d", roles: ["r"], cards: [.init(href: "/", title: "t", text: "x")], work: work),
            AccountsPage(users: [.init(username: "u", displayName: "n", department: "d", roles: "r", status: "active")],
                         clients: [.init(clientId: "c", name: "n", department: "d", status: "active")]),
            AuditPage(verified: true, checked: 1, reason: "", events: [.init(
                seq: 1, occurredAt: "t", actorName: "a", action: "x", objectType: "o", objectId: "i", outcome: "success",
                clientAddress: "127.0.0.1", detail: "d")]),
            CalendarPage(firstYear: 2004, lastYear: 2026, from: "2026-01-01", workingDays: "10",
                         due: .init(due: "2026-01-15", provisional: true), error: "e"),
            DepartmentsPage(levels: [.init(value: "v", label: "l", selected: true)], regions: [.init(value: "v", label: "l", selected: true)],
                            kindBars: [.init(label: "l", count: 1, width: 1)], total: 1,
                            departments: [.init(name: "n", code: "c", level: "l", region: "r", kind: "k", parent: "p")]),
        ]
    }

    @Test func everyVariableATemplateReadsIsAKeyOfItsModel() throws {
        let templates = try Self.templates()
        for sample in Self.samples {
            let template = type(of: sample).template.rawValue
            let model = try PageEncoding.object(sample)
            let unknown = Self.unknownKeys(template: try #require(templates[template]), model: model)
            #expect(unknown.isEmpty, "\(template).mustache reads keys \(type(of: sample)) does not encode: \(unknown)")
        }
    }

    @Test func theKeyCheckCatchesAnUnknownKey() {
        #expect(Self.unknownKeys(template: "{{#rows}}{{nmae}}{{/rows}}{{t.app_name}}", model: ["rows": [["name": "x"]]]) == ["nmae"])
        #expect(Self.unknownKeys(template: "{{#rows}}{{name}}{{/rows}}{{csrf}}", model: ["rows": [["name": "x"]]]).isEmpty)
    }

    @Test func modelsEncodeSnakeCaseWithBooleansAndNumbersApart() throws {
        let model = try PageEncoding.object(CalendarPage(firstYear: 2004, lastYear: 2026, from: "f", workingDays: "10"))
        #expect(model["first_year"] as? Int == 2004)
        #expect(model["due"] == nil)
        let login = try PageEncoding.object(LoginPage(next: "/"))
        #expect(login["failed"] as? Bool == false)
    }

    @Test func timesInChinaStandardTimeAndNumbersWithSeparators() {
        #expect(PortalFormat.time("2026-01-31T20:05:00.000Z") == "2026-02-01 04:05")
        #expect(PortalFormat.number(1_234_567) == "1,234,567")
        #expect(PortalFormat.number(999) == "999")
        #expect(PortalFormat.number(-1000) == "-1,000")
    }
}
