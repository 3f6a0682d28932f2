import Foundation

/// The request header a node signs over the body it is about to send (`X-GovShare-Signature`): when, how many bytes,
/// their SM3, signed with the node key over the sender, the receiver and those three. `X-GovShare-Node` names a
/// public peer id, so without this anyone could make a node read and hash message bodies of up to 16 MiB in a peer's
/// name; with it the receiver checks who is sending, to whom, and how much before it reads a byte of the body, then
/// reads at most that many and checks their digest (review finding). The envelope inside keeps its own signature and
/// sequence: this header authenticates the request, the envelope the message.
public struct NodeRequestSignature: Sendable, Equatable {
    public static let headerName = "X-GovShare-Signature"
    /// The header is short; a longer one is refused unread.
    static let maximumHeader = 512

    public let sentAt: String
    public let length: Int
    public let sm3Hex: String
    public let signature: Data

    public init(sentAt: String, length: Int, sm3Hex: String, signature: Data) {
        self.sentAt = sentAt; self.length = length; self.sm3Hex = sm3Hex; self.signature = signature
    }

    /// A version line, then sender, receiver, time, length and digest, one per line.
    public static func signedBytes(from: String, to: String, sentAt: String, length: Int, sm3Hex: String) -> Data {
        Data("govshare-node-request/1\n\(from)\n\(to)\n\(sentAt)\n\(length)\n\(sm3Hex)".utf8)
    }

    /// `t=<time>; len=<bytes>; sm3=<hex>; sig=<base64>`.
    public var header: String { "t=\(sentAt); len=\(length); sm3=\(sm3Hex); sig=\(signature.base64EncodedString())" }

    /// nil for anything but a well-formed header (then the request is refused before its body is read).
    public static func parse(_ header: String?) -> NodeRequestSignature? {
        guard let header, header.utf8.count <= maximumHeader else { return nil }
        var fields: [String: String] = [:]
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        guard let sentAt = fields["t"], Timestamp.parse(sentAt) != nil, let lengthText = fields["len"],
            let length = Int(lengthText), (1...NodeEnvelope.maximumRequest).contains(length), let sm3Hex = fields["sm3"],
            sm3Hex.utf8.count == 64, Hex.decode(sm3Hex)?.count == 32, let sig = fields["sig"],
            let signature = Data(base64Encoded: sig), !signature.isEmpty
        else { return nil }
        return NodeRequestSignature(sentAt: sentAt, length: length, sm3Hex: sm3Hex.lowercased(), signature: signature)
    }
}

/// What a node sends: the encoded envelope and the signed header over it.
public struct NodeWireRequest: Sendable {
    public let from: String
    public let body: Data
    public let signature: NodeRequestSignature
}

/// A request whose signed header verified: the receiver reads at most `length` bytes and checks them against `sm3Hex`
/// (`FederationService.checkBody`) before decoding anything.
public struct AdmittedNodeRequest: Sendable {
    public let peerId: String
    public let length: Int
    let sm3Hex: String
}
