import Foundation
import GovShareCore
import Hummingbird

/// Reads a JSON request body into a type, turning decoding failures into field-named validation errors.
enum JSONBody {
    /// `limit` caps the body in bytes (413 beyond it). By default a caller who has not signed in can make the server
    /// read `ParserLimits.anonymousBodyBytes`, a signed-in one `ParserLimits.jsonBodyBytes`; a route that takes more
    /// (rows) passes its own limit and authorises the caller before calling this.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, limit: Int? = nil) async throws -> T
    {
        let defaultLimit = context.principal == nil ? ParserLimits.anonymousBodyBytes : ParserLimits.jsonBodyBytes
        let buffer = try await request.body.collect(upTo: limit ?? defaultLimit)
        return try decode(type, from: Data(buffer.readableBytesView))
    }

    /// The body's bytes into a type: NUL characters and nesting deeper than `ParserLimits.jsonDepth` are refused before
    /// the decoder sees them.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try InputSanity.check(json: Array(data))
        if data.isEmpty {
            throw DomainError.invalid(
                field: "body", rule: "required", zh: "请求体不能为空，应为 JSON 对象",
                en: "The request body must be a JSON object")
        }
        try checkDepth(data)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(expected, ctx) {
            let field = path(ctx.codingPath)
            throw DomainError.invalid(
                field: field, rule: "type", zh: "\(field) 的类型不正确（应为 \(name(of: expected))）",
                en: "\(field) has the wrong type (expected \(name(of: expected)))")
        } catch let DecodingError.valueNotFound(expected, ctx) {
            let field = path(ctx.codingPath)
            throw DomainError.invalid(
                field: field, rule: "type", zh: "\(field) 不能为 null（应为 \(name(of: expected))）",
                en: "\(field) must not be null (expected \(name(of: expected)))")
        } catch let DecodingError.keyNotFound(key, ctx) {
            let field = path(ctx.codingPath + [key])
            throw DomainError.invalid(field: field, rule: "required", zh: "\(field) 为必填项", en: "\(field) is required")
        } catch {
            throw DomainError.invalid(
                field: "body", rule: "json", zh: "请求体不是有效的 JSON 对象",
                en: "The request body is not a valid JSON object")
        }
    }

    /// Refuses arrays and objects nested deeper than `ParserLimits.jsonDepth` (brackets inside strings do not count).
    /// One pass over the bytes, so a deeply nested body costs no more than its length.
    static func checkDepth(_ data: Data) throws {
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > ParserLimits.jsonDepth {
                    throw ParserLimits.exceeded(
                        field: "body", rule: "json_depth", zh: "JSON 嵌套超过 \(ParserLimits.jsonDepth) 层",
                        en: "The JSON is nested more than \(ParserLimits.jsonDepth) levels deep")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type: "integer"
        case is Bool.Type: "boolean"
        case is [String].Type, is [Any].Type: "array"
        default: "object"
        }
    }
}

/// A JSON response with the platform's encoding (snake_case keys are spelled out by each DTO).
struct JSONResponse<T: Encodable & Sendable>: ResponseGenerator {
    let status: HTTPResponse.Status
    let value: T
    init(_ value: T, status: HTTPResponse.Status = .ok) { self.value = value; self.status = status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
