import Foundation
import GovShareCore
import Hummingbird

/// Reads named parts of a `multipart/form-data` body (the portal's file upload forms). Only what the upload forms
/// send is supported: small text fields and one file. The caller is authorised before this reads anything.
enum MultipartForm {
    static func parts(_ request: Request, limit: Int) async throws -> [String: Data] {
        guard let type = request.headers[.contentType] else { return [:] }
        guard let boundary = try boundary(of: type) else { return [:] }
        let body = Data(try await request.body.collect(upTo: limit).readableBytesView)
        return try parts(body, boundary: boundary)
    }

    /// The boundary of a `multipart/form-data` content type; nil for another type; refused when it is not 1 to 70
    /// characters (RFC 2046): an empty one would make every "--" a delimiter.
    static func boundary(of contentType: String) throws -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = contentType[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" ;"))
        guard (1...ParserLimits.multipartBoundary).contains(boundary.utf8.count) else {
            throw ParserLimits.exceeded(
                field: "body", rule: "multipart", zh: "multipart 分隔符应为 1–70 个字符",
                en: "The multipart boundary must be 1 to 70 characters")
        }
        return boundary
    }

    /// The named parts of a body, at most `ParserLimits.multipartParts` of them, each with a header of at most
    /// `ParserLimits.multipartHeaderBytes`.
    static func parts(_ body: Data, boundary: String) throws -> [String: Data] {
        let delimiter = Data("--\(boundary)".utf8)
        var result: [String: Data] = [:]
        var searchStart = body.startIndex
        var sections: [Range<Data.Index>] = []
        var previous: Data.Index?
        while let found = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let previous { sections.append(previous..<found.lowerBound) }
            guard sections.count <= ParserLimits.multipartParts else { throw tooMany }
            previous = found.upperBound
            searchStart = found.upperBound
        }
        let separator = Data("\r\n\r\n".utf8)
        for section in sections {
            let part = body[section]
            let headerEnd = part.index(part.startIndex, offsetBy: min(part.count, ParserLimits.multipartHeaderBytes + separator.count))
            guard let split = part.range(of: separator, in: part.startIndex..<headerEnd) else { continue }
            let head = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
            guard let nameRange = head.range(of: "name=\"") else { continue }
            let name = String(head[nameRange.upperBound...].prefix { $0 != "\"" })
            var content = part[split.upperBound..<part.endIndex]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            result[name] = Data(content)
            // A file part also gives the file's own name, as "<name>.filename".
            if let fileRange = head.range(of: "filename=\"") {
                result[name + ".filename"] = Data(head[fileRange.upperBound...].prefix { $0 != "\"" }.utf8)
            }
        }
        return result
    }

    static var tooMany: DomainError {
        ParserLimits.exceeded(
            field: "body", rule: "multipart", zh: "表单最多 \(ParserLimits.multipartParts) 个部分",
            en: "A form has at most \(ParserLimits.multipartParts) parts")
    }
}
