import Foundation
import GovShareCore
import Hummingbird

/// RFC 7807 problem details, the one error shape of the API.
struct Problem: Codable, Sendable {
    struct FieldError: Codable, Sendable {
        let field: String
        let rule: String
        let message: String
    }

    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let requestId: String
    let errors: [FieldError]

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors
        case requestId = "request_id"
    }
}

/// The one place where failures become HTTP statuses.
enum ErrorMapping {
    static func status(for kind: FailureKind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .unprocessableContent
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .locked: HTTPResponse.Status(code: 423)
        case .unavailable: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        }
    }

    /// Turns any error into a domain error: domain errors pass through, framework errors keep their status,
    /// anything else is an internal error whose details stay in the log.
    static func domainError(from error: any Error) -> (DomainError, HTTPResponse.Status) {
        if let domain = error as? DomainError { return (domain, status(for: domain.kind)) }
        if let http = error as? any HTTPResponseError {
            let status = http.status
            let code: String
            let message: LocalizedText
            switch status {
            case .notFound:
                code = "not_found"; message = LocalizedText(zh: "请求的地址不存在", en: "No such resource")
            case .methodNotAllowed:
                code = "method_not_allowed"; message = LocalizedText(zh: "不支持该请求方法", en: "Method not allowed")
            case .contentTooLarge:
                code = "too_large"; message = LocalizedText(zh: "请求内容过大", en: "The request body is too large")
            case .unsupportedMediaType:
                code = "unsupported_media_type"; message = LocalizedText(zh: "不支持的内容类型", en: "Unsupported content type")
            default:
                code = "bad_request"; message = LocalizedText(zh: "请求无效", en: "Bad request")
            }
            return (DomainError(.invalid, code: code, message: message), status)
        }
        return (
            DomainError(
                .unavailable, code: "internal_error",
                message: LocalizedText(
                    zh: "服务器内部错误，请稍后再试（可凭请求编号查询）",
                    en: "Internal error; try again later (quote the request id)")),
            .internalServerError
        )
    }

    static func problem(_ error: DomainError, status: HTTPResponse.Status, language: Language, requestId: String) -> Problem {
        Problem(
            type: "https://govshare.gd.gov.cn/problems/\(error.code)", title: status.reasonPhrase,
            status: status.code, detail: error.message.text(language), code: error.code, requestId: requestId,
            errors: error.problems.map { .init(field: $0.field, rule: $0.rule, message: $0.message.text(language)) })
    }
}
