import Foundation

/// Where a peer sits relative to this node (Art. 15): the provincial node registers each city sub-node as a child; a
/// city sub-node registers the provincial node as its one parent.
public enum PeerRelation: String, Sendable, Codable, CaseIterable {
    case parent, child
}

public enum PeerStatus: String, Sendable, Codable, CaseIterable {
    case active, revoked
}

/// A node this node trusts (issue 18, part 1): its id and region, where it is reached, and the certificate of its SM2
/// node key, which must verify every message it sends. The link state (sequence numbers, last contact, last error) is
/// kept with it.
public struct PeerNode: Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    public var relation: PeerRelation
    public var baseURL: String
    public var certificateDER: Data
    public var status: PeerStatus
    public var registeredBy: String
    public var registeredAt: String
    public var revokedAt: String?
    public var revokedReason: String?
    /// The last sequence number this node gave a message to the peer, and the last it accepted from the peer.
    public var lastSentSeq: Int64
    public var lastReceivedSeq: Int64
    public var lastDeliveredAt: String?
    public var lastReceivedAt: String?
    public var lastError: String?
    /// The newest audit entry the peer's checkpoints received here attest (a sub-node's, on the provincial node).
    public var lastCheckpointSeq: Int64?
    /// The node the record lives on (this node).
    public var nodeId: String

    public init(
        id: String, name: String, regionCode: String, relation: PeerRelation, baseURL: String, certificateDER: Data,
        status: PeerStatus = .active, registeredBy: String, registeredAt: String, revokedAt: String? = nil,
        revokedReason: String? = nil, lastSentSeq: Int64 = 0, lastReceivedSeq: Int64 = 0, lastDeliveredAt: String? = nil,
        lastReceivedAt: String? = nil, lastError: String? = nil, lastCheckpointSeq: Int64? = nil, nodeId: String
    ) {
        self.id = id; self.name = name; self.regionCode = regionCode; self.relation = relation; self.baseURL = baseURL
        self.certificateDER = certificateDER; self.status = status; self.registeredBy = registeredBy
        self.registeredAt = registeredAt; self.revokedAt = revokedAt; self.revokedReason = revokedReason
        self.lastSentSeq = lastSentSeq; self.lastReceivedSeq = lastReceivedSeq; self.lastDeliveredAt = lastDeliveredAt
        self.lastReceivedAt = lastReceivedAt; self.lastError = lastError; self.lastCheckpointSeq = lastCheckpointSeq
        self.nodeId = nodeId
    }
}

/// What an administrator submits to register a peer (the peer's `GET /api/v1/nodes/self` gives all but the URL).
public struct PeerRegistration: Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    public var baseURL: String
    /// The peer's node certificate, PEM or DER.
    public var certificate: Data
    public init(id: String, name: String, regionCode: String, baseURL: String, certificate: Data) {
        self.id = id; self.name = name; self.regionCode = regionCode; self.baseURL = baseURL; self.certificate = certificate
    }
}

/// This node as a peer registers it: id, region, name and the certificate of its node key.
public struct NodeDescription: Sendable, Equatable {
    public let id: String
    public let name: String
    public let regionCode: String
    public let isProvince: Bool
    public let certificateDER: Data
    public let certificateSubject: String
    public let certificateNotAfter: Date
}
