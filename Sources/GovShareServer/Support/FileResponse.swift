import Foundation
import Hummingbird
import NIOCore

/// A stored file as a download: its own type, its name for the browser, and its checksum for the receiver.
enum FileResponse {
    /// Media types served as uploaded; anything else (HTML, scripts, SVG …) goes out as bytes, so an uploaded file can
    /// never run as a page of this origin.
    static let passiveTypes: Set<String> = [
        "application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain", "text/csv",
        "application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    static func attachment(name: String, contentType: String, sha256: String, bytes: [UInt8]) -> Response {
        let encodedName = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let bare = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let served = passiveTypes.contains(bare) ? bare : "application/octet-stream"
        return Response(
            status: .ok,
            headers: [
                .contentType: served, .contentDisposition: "attachment; filename*=UTF-8''\(encodedName)",
                .init("X-Checksum-SHA256")!: sha256,
            ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
