/// A unit that uses an upper-level unified system records that its data is already in that system's dataset,
/// instead of reporting it again (Art. 15).
public struct InheritedMount: Sendable, Codable, Equatable {
    public var id: String
    public var datasetId: String
    public var departmentId: String
    public var note: String
    public var createdBy: String
    public var createdAt: String
    public var nodeId: String
    public init(id: String, datasetId: String, departmentId: String, note: String, createdBy: String, createdAt: String, nodeId: String) {
        self.id = id; self.datasetId = datasetId; self.departmentId = departmentId; self.note = note; self.createdBy = createdBy
        self.createdAt = createdAt; self.nodeId = nodeId
    }
}

/// A document or image behind a file resource, stored with its SHA-256 so every copy can be checked.
public struct ResourceFile: Sendable, Codable, Equatable {
    public var id: String
    public var entryId: String
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: String
    public var nodeId: String
    public init(
        id: String, entryId: String, fileName: String, contentType: String, size: Int, sha256: String, uploadedBy: String,
        uploadedAt: String, nodeId: String
    ) {
        self.id = id; self.entryId = entryId; self.fileName = fileName; self.contentType = contentType; self.size = size
        self.sha256 = sha256; self.uploadedBy = uploadedBy; self.uploadedAt = uploadedAt; self.nodeId = nodeId
    }
}

/// A department's service endpoint behind a service-interface entry. The platform calls it on the reader's behalf;
/// the endpoint is kept sealed and never handed out.
public struct ServiceMount: Sendable, Codable, Equatable {
    public var id: String
    public var entryId: String
    public var endpoint: String
    public var createdBy: String
    public var createdAt: String
    public var nodeId: String
    public init(id: String, entryId: String, endpoint: String, createdBy: String, createdAt: String, nodeId: String) {
        self.id = id; self.entryId = entryId; self.endpoint = endpoint; self.createdBy = createdBy; self.createdAt = createdAt
        self.nodeId = nodeId
    }
}

public protocol MountRepository: Sendable {
    func insert(_ mount: InheritedMount, audit: AuditRecord) async throws
    func inherited(datasetId: String) async throws -> [InheritedMount]
    func insert(_ file: ResourceFile, audit: AuditRecord) async throws
    func files(entryId: String) async throws -> [ResourceFile]
    func file(id: String) async throws -> ResourceFile?
    func insert(_ service: ServiceMount, audit: AuditRecord) async throws
    func service(entryId: String) async throws -> ServiceMount?
    /// Records an audited action that reads (a download, a service call) in the chained log.
    func audit(_ record: AuditRecord) async throws
}

/// Where file contents live: content-addressed by SHA-256.
public protocol FileStore: Sendable {
    func put(_ bytes: [UInt8]) async throws -> (sha256: String, size: Int)
    func get(sha256: String) async throws -> [UInt8]
}

/// Calls a department endpoint with query parameters; returns its JSON body.
public protocol ServiceCaller: Sendable {
    func get(_ endpoint: String, parameters: [String: String]) async throws -> (status: Int, body: [UInt8])
}
