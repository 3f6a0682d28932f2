import Foundation

/// One entry of the tamper-evident audit log. `seq` is gapless; `hash` covers every other field and the previous
/// entry's hash, so changing, removing or reordering any entry breaks the chain from there on.
public struct AuditEvent: Sendable, Equatable, Codable {
    public var seq: Int64
    public var id: String
    public var occurredAt: String
    public var actorKind: String
    public var actorId: String
    public var actorName: String
    public var departmentId: String
    public var action: String
    public var objectType: String
    public var objectId: String
    public var outcome: String
    public var before: String?
    public var after: String?
    public var detail: String?
    public var requestId: String
    public var clientAddress: String
    public var nodeId: String
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, id: String, occurredAt: String, actorKind: String, actorId: String, actorName: String,
        departmentId: String, action: String, objectType: String, objectId: String, outcome: String,
        before: String?, after: String?, detail: String?, requestId: String, clientAddress: String,
        nodeId: String, prevHash: String, hash: String
    ) {
        self.seq = seq; self.id = id; self.occurredAt = occurredAt; self.actorKind = actorKind; self.actorId = actorId
        self.actorName = actorName; self.departmentId = departmentId; self.action = action
        self.objectType = objectType; self.objectId = objectId; self.outcome = outcome; self.before = before
        self.after = after; self.detail = detail; self.requestId = requestId; self.clientAddress = clientAddress
        self.nodeId = nodeId; self.prevHash = prevHash; self.hash = hash
    }

    /// The bytes the hash is computed over: each field length-prefixed, so no value can imitate a separator.
    public var canonicalForm: String {
        let fields: [String] = [
            String(seq), id, occurredAt, actorKind, actorId, actorName, departmentId, action, objectType, objectId,
            outcome, before ?? "\u{0}", after ?? "\u{0}", detail ?? "\u{0}", requestId, clientAddress, nodeId, prevHash,
        ]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public static let genesisHash = String(repeating: "0", count: 64)
}

/// Where an audited action came from, carried from the request into the audit entry.
public struct RequestOrigin: Sendable, Equatable {
    public let requestId: String
    public let clientAddress: String
    public init(requestId: String, clientAddress: String) { self.requestId = requestId; self.clientAddress = clientAddress }
    public static func commandLine() -> RequestOrigin {
        RequestOrigin(requestId: Identifier.make(), clientAddress: "cli")
    }
}

/// What the caller says about an action; the log adds sequence, time, node and hashes.
public struct AuditRecord: Sendable {
    public var actor: Principal
    public var action: String
    public var objectType: String
    public var objectId: String
    public var outcome: String
    public var before: String?
    public var after: String?
    public var detail: String?
    public var origin: RequestOrigin

    public init(
        actor: Principal, action: String, objectType: String, objectId: String, outcome: String = "success",
        before: String? = nil, after: String? = nil, detail: String? = nil, origin: RequestOrigin
    ) {
        self.actor = actor; self.action = action; self.objectType = objectType; self.objectId = objectId
        self.outcome = outcome; self.before = before; self.after = after; self.detail = detail; self.origin = origin
    }
}

/// The result of checking the whole chain.
public struct AuditVerification: Sendable, Equatable, Codable {
    public let ok: Bool
    /// The last entry verified (entries `fromSeq`…`checked` were walked).
    public let checked: Int64
    public let firstBrokenSeq: Int64?
    public let reason: String?
    /// The first live entry the walk started from: 1, or the entry after the newest archived segment.
    public var fromSeq: Int64 = 1
    /// The package holding the entries before `fromSeq` (the newest audit segment's), when some were archived.
    public var archivedBefore: String?

    public init(ok: Bool, checked: Int64, firstBrokenSeq: Int64?, reason: String?, fromSeq: Int64 = 1, archivedBefore: String? = nil) {
        self.ok = ok; self.checked = checked; self.firstBrokenSeq = firstBrokenSeq; self.reason = reason; self.fromSeq = fromSeq
        self.archivedBefore = archivedBefore
    }

    /// "verified from seq N (archived before: package X)" when entries were archived.
    public var scope: String {
        archivedBefore.map { "verified from seq \(fromSeq) (archived before: package \($0))" } ?? "verified from seq 1"
    }
}

/// Renders a value as the JSON kept in an audit entry's before/after columns.
public enum AuditJSON {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
