import Foundation

// Uploads are authorised before they are read. A route that takes a file or a large body asks its service one of
// these first and only then collects the body: a caller who may not make the change cannot make the server read
// (and hold in memory) megabytes on its behalf. The service's own write method checks again when it runs.

extension ExchangeService {
    /// Rows for a dataset (JSON rows, a CSV or XLSX file): only the provider's reporting staff send them.
    public func authorizeReport(code: String, by actor: Principal) async throws -> Dataset {
        try Policy.reportData.check(actor)
        let dataset = try await dataset(code: code)
        try requireProvider(actor, providerId: dataset.providerId)
        return dataset
    }
}

extension MountService {
    /// A file of a file resource: only the provider's reporting staff upload it.
    public func authorizeUpload(code: String, by actor: Principal) async throws {
        try Policy.reportData.check(actor)
        let (entry, _) = try await exchange.publishedEntry(code: code)
        try exchange.requireProvider(actor, providerId: entry.providerId)
    }
}

extension AccountabilityService {
    /// An attachment to a sharing application: only the applicant department, while the application is open.
    public func authorizeAttachment(applicationId: String, by actor: Principal) async throws {
        guard let a = try await applications.find(id: applicationId), a.applicantDepartmentId == actor.departmentId else {
            throw DomainError.notFound("Application", zh: "共享申请")
        }
        guard a.status.isOpen else {
            throw DomainError.conflict(
                code: "application_decided", zh: "申请已办结，不能再添加附件", en: "The application is decided; no more attachments")
        }
    }
}

extension CatalogImportService {
    /// A catalog spreadsheet: only catalogers import one (each resource in it is then checked against its provider).
    public func authorizeImport(by actor: Principal) throws {
        try Policy.editCatalog.check(actor)  // the platform itself holds every role
    }
}
