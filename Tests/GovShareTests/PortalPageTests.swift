import Foundation
import Hummingbird
import HummingbirdTesting
import Mustache
import Testing

@testable import GovShareCore
@testable import GovShareServer

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

    /// A filled-in instance of each typed page: every optional set, every list non-empty (nested lists too), and the
    /// first element of a list carrying every optional its template may read, because the key check walks the first one.
    static var samples: [any PortalPage] {
        corePages + catalogPages + dataPages + applicationPages + otherPages + sealPages + securityPages + licencePages + backupPages
            + nodePages
            + riskReportPages + archivePages + objectionPages + conflictPages + assessmentPages + supervisionPages + samplingPages
    }

    static var corePages: [any PortalPage] {
        let item = HomePage.Item(
            href: "/applications/1", name: "人口基础信息", code: "A/1", itemNames: "姓名、性别", detail: "省人社厅",
            when: "到期日 2026-01-01", overdue: true)
        var work = HomePage.Work(WorkplaceService.Home(), language: .zh)
        work.sections = [HomePage.Section(id: "work-applications", title: "t", items: [item])]
        return [
            LayoutPage(
                lang: "zh-CN", title: "t", content: "<p>", next: "/", signedIn: true, userName: "u", roleNames: "r", isEn: false,
                showReview: true, showLegalBasis: true, showNotifications: true, showTrace: true, showAudit: true,
                showAccounts: true),
            ErrorPage(status: 500, message: "m", requestId: "r"),
            LoginPage(next: "/", failed: true, username: "u"),
            HomePage(
                name: "n", department: "d", roles: ["r"], cards: [.init(href: "/", title: "t", text: "x")], work: work,
                assessment: .init(href: "/assessments/a", period: "2026", total: "90.00", rank: "1", departments: "3"),
                assessmentDrafts: [.init(href: "/assessments/b", period: "2026-12", total: "", rank: "", departments: "3")],
                hasAssessmentDrafts: true, supervisionOpen: "3",
                supervisionOrders: [.init(href: "/supervision/orders/o", what: "w", due: "2026-12-31", overdue: true)],
                hasSupervisionOrders: true),
            AccountsPage(
                users: [.init(username: "u", displayName: "n", department: "d", roles: "r", status: "active")],
                clients: [.init(clientId: "c", name: "n", department: "d", status: "active")]),
            AuditPage(
                verified: true, checked: 1, reason: "",
                events: [
                    .init(
                        seq: 1, occurredAt: "t", actorName: "a", action: "x", objectType: "o", objectId: "i", outcome: "success",
                        clientAddress: "127.0.0.1", detail: "d")
                ]),
            CalendarPage(
                firstYear: 2004, lastYear: 2026, from: "2026-01-01", workingDays: "10",
                due: .init(due: "2026-01-15", provisional: true), error: "e"),
            DepartmentsPage(
                levels: [.init(value: "v", label: "l", selected: true)], regions: [.init(value: "v", label: "l", selected: true)],
                kindBars: [.init(label: "l", count: 1, width: 1)], total: 1,
                departments: [.init(name: "n", code: "c", level: "l", region: "r", kind: "k", parent: "p")]),
        ]
    }

    static var catalogPages: [any PortalPage] {
        let option = CatalogBrowsePage.Option(value: "v", label: "l", selected: true)
        // One field entered all three ways, so the key check (which walks the first field) sees every branch.
        var field = CatalogEditorPage.Field(name: "name", label: "名称", hint: "h", error: "e")
        field.select = .init(options: [.init(value: "v", label: "l", selected: true)])
        field.textarea = .init(rows: 8, value: "v")
        field.input = .init(value: "v")
        return [
            CatalogBrowsePage(
                q: "q", total: 1, canCreate: true, kinds: [option], shares: [option], regions: [option],
                facetGroups: [.init(title: "t", bars: [.init(label: "l", count: 1, width: 100, href: "/catalog?kind=v")])],
                results: [
                    .init(
                        entryId: "e", name: "n", summary: "s", code: "c", provider: "p", kind: "k", share: "s",
                        shareValue: "unconditional")
                ],
                prev: ["/catalog?page=1"], next: ["/catalog?page=3"]),
            CatalogEntryPage(
                entryId: "e", name: "n", code: "c", status: "published", provider: "p", classification: "c", kind: "k",
                share: "s", shareValue: "conditional", shareMethod: "m", updateCycle: "u", responsibleParty: "r",
                legalBasis: "l", shareConditions: "c", usageRequirements: "u", summary: "s",
                items: [
                    .init(
                        name: "n", code: "c", type: "t", length: "10", share: "s", shareValue: "conditional", sensitivity: 2,
                        basis: "b", basic: true, conditions: "c")
                ],
                versions: [.init(version: 1, status: "published", time: "t", reason: "r")], canCompare: true, canEdit: true,
                from: 1, to: 2, diff: .init(changes: [.init(field: "f", from: "a", to: "b")]),
                sources: [.init(item: "CSRQ", source: "s", how: "h", at: "t", caseId: "c")], hasSources: true, homeNode: "gz-city"),
            CatalogReviewPage(
                entries: [
                    .init(entryId: "e", name: "n", code: "c", version: 1, provider: "p", share: "s", submittedAt: "t")
                ],
                error: "e"),
            CatalogImportPage(
                message: "m", class: "ok", imported: .init(entries: [.init(id: "i", code: "c", name: "n")]), hasProblems: true,
                problems: [.init(row: "2", column: "B", message: "m")]),
            CatalogEditorPage(
                heading: "h", action: "/catalog/e", saved: true, hasErrors: true, errors: [.init(field: "f", message: "m")],
                fields: [field]),
            CatalogObligationsPage(
                obligations: [
                    .init(
                        id: "o", department: "d", trigger: "t", triggerDate: "2026-01-01", reference: "r", dueOn: "2026-01-31",
                        provisional: true, status: "s", statusClass: "overdue", remindedAt: ["2026-01-20"],
                        escalatedAt: ["2026-01-25"], canLink: true, entry: .init(id: "e", code: "c"))
                ],
                error: "e"),
            LegalInstrumentsPage(
                instruments: [.init(name: "n", level: "l", issuer: "i", number: "1", source: "s")],
                pending: [proposal], decided: [proposal], canPropose: true, canDecide: true,
                levels: [.init(value: "law", label: "l", selected: true)], formName: "n", formIssuer: "i", formNumber: "1",
                formReference: "r", error: "e"),
        ]
    }

    static var proposal: LegalInstrumentsPage.Proposal {
        .init(
            id: "p", name: "n", level: "l", issuer: "i", number: "1", reference: "r", status: "s", proposer: "u",
            proposedAt: "t", decider: "d", decidedAt: "t", reason: "r", canDecide: true)
    }

    static var dataPages: [any PortalPage] {
        let read = TracePage.Read(
            at: "t", actor: "a", department: "d", code: "c", purpose: "p", items: "i", rows: 1, seq: 1, dataset: "ds")
        let purpose = DatasetPage.Purpose(id: "p", label: "l", selected: true)
        let item = DatasetPage.Item(code: "c", name: "n")
        return [
            DataPage(
                datasets: [
                    .init(
                        slug: "s", code: "c", name: "n", provider: "p", rows: 1, cycle: "c", updated: "u", stale: true)
                ],
                bars: [.init(slug: "s", label: "l", count: 1, width: 100)], staleOnly: true),
            DatasetPage(
                slug: "s", code: "c", entryId: "e", name: "n", provider: "p", rows: 1, updated: "u", stale: true,
                columns: [
                    .init(
                        code: "c", name: "n", type: "t", share: "s", shareValue: "conditional", sensitivity: 2, key: true,
                        mask: "m")
                ],
                verifyItems: [item], purposes: [purpose], hasPurposes: true, isProvider: true, canSubscribe: true,
                unconditional: [item],
                batches: [
                    .init(at: "t", source: "s", mode: "m", received: 2, accepted: 1, rejected: 1, deleted: 0)
                ],
                quality: .init(checked: 2, failed: 1, rules: [.init(rule: "r", count: 1)]),
                preview: .init(
                    headers: [.init(name: "n", mask: "m")], rows: [.init(index: 0, cells: ["x"], flagged: "o", token: "t")],
                    mayObject: true,
                    hasFlagged: true), previewError: "e",
                subscribeError: "e", uploadMessage: "m", uploadClass: "ok", hasRowErrors: true,
                rowErrors: [.init(row: "2", item: "c", message: "m")], verifyResult: .init(text: "t", class: "ok"),
                verifyError: "e"),
            TracePage(
                record: "r", department: "d", from: "2026-01-01", to: "2026-01-31", searched: .init(reads: [read]),
                error: "e", unusual: [read]),
            NotificationsPage(
                webhookUrl: "https://example.org/hook", hasWebhook: true, mail: "a@example.org", mailEnabled: true,
                deliveries: [
                    .init(
                        id: "d", channel: "webhook", kind: "k", status: "failed", attempts: 1, next: "t", when: "t",
                        error: "e")
                ],
                error: "e", secret: "s"),
        ]
    }

    static var applicationPages: [any PortalPage] {
        let row = ApplicationRow(
            id: "a", code: "c", items: "i", applicant: "d", received: "t", due: "2026-01-31", provisional: true,
            overdue: true, status: "s", silent: true)
        let errors = FormErrors(DomainError.invalid(field: "purpose", rule: "required", zh: "必填", en: "Required"), .zh)
        var application = ApplicationPage(row)
        application.purpose = "p"
        application.business = "b"
        application.basis = "l"
        application.validUntil = "2026-12-31"
        application.grantId = "g"
        application.decisions = [
            .init(
                role: "provider", reviewer: "r", approved: "yes", overruled: true, alone: true, clear: "c",
                refusals: [.init(item: "i", reason: "r", basis: "b")])
        ]
        application.canReview = true
        application.reviewItems = [.init(code: "c", name: "n", clearAsked: true, clearReason: "r")]
        application.clearNeeds = [.init(name: "n", reason: "r")]
        application.providerSilent = true
        application.silencePoint = "2026-01-20"
        application.mayDecideAlone = true
        application.attachments = [.init(id: "f", applicationId: "a", name: "n", size: 1, sha256: "h")]
        application.canAttach = true
        application.error = errors
        return [
            ApplicationsPage(
                mine: [row], queue: [row], showQueue: true,
                stats: [
                    .init(
                        label: "l", received: 2, onTime: 1, late: 1, open: 0, silent: 1, hasSilent: true, onTimeWidth: 50,
                        lateWidth: 50, average: "3")
                ],
                hasStats: true),
            ApplicationNewPage(
                code: "c", items: [.init(code: "c", name: "n", share: "s", disabled: true, basis: "b", masked: true)],
                notShared: "n", error: errors),
            application,
        ]
    }

    static var otherPages: [any PortalPage] {
        let grant = GrantsPage.Grant(
            id: "g", code: "c", slug: "s", items: "i", holder: "h", dataManager: "m", valid: "v", status: "s", reads: 1,
            rows: 1, lastRead: "t", active: true, canManage: true, canConfirm: true, canConsent: true)
        return [
            GrantsPage(
                held: [grant], provided: [grant], bars: [.init(label: "l", count: 1, width: 100)], hasBars: true,
                supervised: [grant], showSupervised: true,
                cases: [
                    .init(
                        id: "m", grant: "g", reporter: "r", holder: "h", description: "d", status: "open", resolution: "r",
                        canClose: true)
                ],
                canReport: true, error: "e")
        ]
    }

    @Test func everyPageTemplateHasASample() {
        let sampled = Set(Self.samples.map { type(of: $0).template })
        let missing = PageTemplate.allCases.filter { !sampled.contains($0) }.map(\.rawValue)
        #expect(missing.isEmpty, "pages without a sample in PortalPageTests.samples: \(missing)")
        #expect(Self.samples.count == PageTemplate.allCases.count, "one sample per page")
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

    /// A renderer over the shipped templates less `absent`, answering `/page` with a login page.
    static func rendering(without absent: Set<PageTemplate>) async throws -> some ApplicationProtocol {
        let directory = try #require(PageRenderer.templateDirectory())
        var library = MustacheLibrary()
        for template in PageTemplate.allCases where !absent.contains(template) {
            let text = try String(contentsOf: directory.appendingPathComponent("\(template.rawValue).mustache"), encoding: .utf8)
            try library.register(text, named: template.rawValue)
        }
        let pages = PageRenderer(library: library)
        let router = Router(context: AppRequestContext.self)
        router.get("page") { _, context in
            pages.render(LoginPage(next: "/"), title: "t", context: context, path: "/page")
        }
        return Application(router: router)
    }

    @Test func aPageWhoseTemplateIsMissingIsTheErrorPageNotAnEmptyPage() async throws {
        try await Self.rendering(without: [.login]).test(.router) { client in
            try await client.execute(uri: "/page", method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = String(buffer: response.body)
                #expect(body.contains("页面无法显示"), "the error page with its message: \(body)")
                #expect(body.contains("</html>"), "inside the layout: \(body)")
            }
        }
    }

    @Test func withoutTheLayoutTheAnswerIsStillA500() async throws {
        try await Self.rendering(without: [.layout]).test(.router) { client in
            try await client.execute(uri: "/page", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).hasPrefix("500 · request "))
            }
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
