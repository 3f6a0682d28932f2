import Foundation
import Hummingbird

/// Reads named parts of a `multipart/form-data` body (the portal's file upload form). Only what the upload form sends
/// is supported: small text fields and one file.
enum MultipartForm {
    static func parts(_ request: Request, limit: Int) async throws -> [String: Data] {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let range = type.range(of: "boundary=") else { return [:] }
        let boundary = type[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" ;"))
        let body = Data(try await request.body.collect(upTo: limit).readableBytesView)
        let delimiter = Data("--\(boundary)".utf8)
        var result: [String: Data] = [:]
        var searchStart = body.startIndex
        var sections: [Range<Data.Index>] = []
        var previous: Data.Index?
        while let found = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let previous { sections.append(previous..<found.lowerBound) }
            previous = found.upperBound
            searchStart = found.upperBound
        }
        let separator = Data("\r\n\r\n".utf8)
        for section in sections {
            let part = body[section]
            guard let split = part.range(of: separator) else { continue }
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
}
