import Foundation
import GovShareCore

/// Every page template the portal has. `PortalPageTests` checks that each case has its file and each file its case;
/// `PageRenderer.load` refuses to start without one of them.
enum PageTemplate: String, CaseIterable, Sendable {
    case layout, home, login, error, accounts, audit, calendar, departments
    case application, applicationNew = "application_new", applications
    case catalog, catalogEditor = "catalog_editor", catalogEntry = "catalog_entry", catalogImport = "catalog_import"
    case catalogObligations = "catalog_obligations", catalogReview = "catalog_review"
    case data, dataDataset = "data_dataset", dataTrace = "data_trace"
    case grants, legalInstruments = "legal_instruments", notifications
    case seals, sealVerify = "seal_verify"
    case licences
    case securityIncidents = "security_incidents", securityIncident = "security_incident", securityPlans = "security_plans"
    case securityDrills = "security_drills"
    case archives
    case backups, nodes
    case riskReports = "risk_reports", riskReport = "risk_report", destructions
    case objections, objection, objectionNew = "objection_new"
    case conflicts, conflict
    case assessments, assessment
    case supervision, rectificationOrder = "rectification_order", samplingPlan = "sampling_plan"
}

/// A page's view model: an `Encodable` value rendered through its one template.
///
/// Properties are named in camelCase and reach the template in snake_case (`requestId` → `{{request_id}}`); optionals
/// that are nil are left out (so `{{#key}}` is false). The renderer adds `t` (the words of the language) and `csrf`.
/// Numbers meant to be read by people are formatted before they reach the model (`PortalFormat`).
protocol PortalPage: Encodable {
    static var template: PageTemplate { get }
}

/// Turns a view model into the plain values Mustache walks (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`).
enum PageEncoding {
    static func object(_ page: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(page)
        // Decoding into `Value` (not JSONSerialization) keeps booleans and numbers apart on every platform.
        guard case .object(let fields) = try JSONDecoder().decode(Value.self, from: data) else {
            throw PageRenderingError(reason: "the model of a page must encode to an object")
        }
        return fields.compactMapValues(\.plain)
    }

    enum Value: Decodable {
        case null, bool(Bool), int(Int), double(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let value = try? single.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? single.decode(Int.self) {
                self = .int(value)
            } else if let value = try? single.decode(Double.self) {
                self = .double(value)
            } else if let value = try? single.decode(String.self) {
                self = .string(value)
            } else if let value = try? single.decode([Value].self) {
                self = .array(value)
            } else {
                self = .object(try single.decode([String: Value].self))
            }
        }

        var plain: Any? {
            switch self {
            case .null: nil
            case .bool(let value): value
            case .int(let value): value
            case .double(let value): value
            case .string(let value): value
            case .array(let values): values.compactMap(\.plain)
            case .object(let fields): fields.compactMapValues(\.plain)
            }
        }
    }
}

/// A page that cannot be rendered: a bug, shown as a 500 page and logged, never as an empty page.
struct PageRenderingError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
