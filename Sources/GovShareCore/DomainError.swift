import Foundation

/// Languages the portal and the API speak. Simplified Chinese is the default for users in Guangdong.
public enum Language: String, Sendable, CaseIterable, Codable {
    case zh = "zh-CN"
    case en = "en"

    /// Picks a language from an Accept-Language header or a cookie value; anything not English falls back to Chinese.
    public static func parse(_ text: String?) -> Language {
        guard let text = text?.lowercased() else { return .zh }
        let first = text.split(separator: ",").first.map(String.init) ?? text
        return first.hasPrefix("en") ? .en : .zh
    }
}

/// A message in both languages; one is chosen when it is shown.
public struct LocalizedText: Sendable, Equatable, Codable {
    public let zh: String
    public let en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public func text(_ language: Language) -> String { language == .en ? en : zh }
}

/// What kind of failure a domain error is; the server maps each kind to one HTTP status in one place.
public enum FailureKind: String, Sendable {
    case invalid, unauthenticated, forbidden, notFound, conflict, locked, unavailable
    /// A per-purpose or per-caller limit is used up for now (HTTP 429).
    case rateLimited
}

/// One problem with one field of the input.
public struct FieldProblem: Sendable, Equatable, Codable {
    public let field: String
    public let rule: String
    public let message: LocalizedText
    public init(field: String, rule: String, message: LocalizedText) {
        self.field = field; self.rule = rule; self.message = message
    }
}

/// Every error the domain raises: a stable machine code, a kind, a message in both languages and the fields at fault.
public struct DomainError: Error, Sendable, Equatable {
    public let kind: FailureKind
    public let code: String
    public let message: LocalizedText
    public let problems: [FieldProblem]

    public init(_ kind: FailureKind, code: String, message: LocalizedText, problems: [FieldProblem] = []) {
        self.kind = kind; self.code = code; self.message = message; self.problems = problems
    }

    public static func validation(_ problems: [FieldProblem]) -> DomainError {
        let names = problems.map(\.field).joined(separator: ", ")
        return DomainError(
            .invalid, code: "validation_failed",
            message: LocalizedText(zh: "输入有误：\(names)", en: "Invalid input: \(names)"),
            problems: problems)
    }

    public static func invalid(field: String, rule: String, zh: String, en: String) -> DomainError {
        validation([FieldProblem(field: field, rule: rule, message: LocalizedText(zh: zh, en: en))])
    }

    public static func notFound(_ what: String, zh: String) -> DomainError {
        DomainError(.notFound, code: "not_found", message: LocalizedText(zh: "未找到\(zh)", en: "\(what) not found"))
    }

    public static let unauthenticated = DomainError(
        .unauthenticated, code: "unauthenticated",
        message: LocalizedText(zh: "请先登录或提供有效的访问令牌", en: "Sign in or present a valid access token"))

    public static let badCredentials = DomainError(
        .unauthenticated, code: "invalid_credentials",
        message: LocalizedText(zh: "用户名或密码错误，或账号暂不可用", en: "Wrong credentials, or the account is not available"))

    /// A refusal always names a typed `Policy` (its name is what the error and docs/api.md show): there is no way to
    /// refuse by a bare string, so every refusal is in the one vocabulary.
    public static func forbidden(policy: Policy) -> DomainError {
        DomainError(
            .forbidden, code: "forbidden",
            message: LocalizedText(
                zh: "无权执行此操作（策略：\(policy.rawValue)）",
                en: "Not allowed (policy: \(policy.rawValue))"))
    }

    public static func conflict(code: String, zh: String, en: String) -> DomainError {
        DomainError(.conflict, code: code, message: LocalizedText(zh: zh, en: en))
    }
}

/// Collects field problems so one request reports all of them at once.
public struct Validator: Sendable {
    public private(set) var problems: [FieldProblem] = []
    public init() {}

    public mutating func fail(_ field: String, _ rule: String, zh: String, en: String) {
        problems.append(FieldProblem(field: field, rule: rule, message: LocalizedText(zh: zh, en: en)))
    }

    public mutating func require(_ value: String?, field: String, maxLength: Int = 200) {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            fail(field, "required", zh: "\(field) 为必填项", en: "\(field) is required")
        } else if InputLimits.exceeds(trimmed, maxLength) {  // bytes too: combining marks make few, huge characters
            fail(
                field, "max_length", zh: "\(field) 不能超过 \(maxLength) 个字符",
                en: "\(field) must be at most \(maxLength) characters")
        }
    }

    public func check() throws {
        if !problems.isEmpty { throw DomainError.validation(problems) }
    }
}
