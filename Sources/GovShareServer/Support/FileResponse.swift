import Foundation
import Hummingbird
import NIOCore

/// A stored file as a download: its own type, its name for the browser, and its checksum for the receiver.
enum FileResponse {
    static func attachment(name: String, contentType: String, sha256: String, bytes: [UInt8]) -> Response {
        let encodedName = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(status: .ok, headers: [
            .contentType: contentType, .contentDisposition: "attachment; filename*=UTF-8''\(encodedName)",
            .init("X-Checksum-SHA256")!: sha256,
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
