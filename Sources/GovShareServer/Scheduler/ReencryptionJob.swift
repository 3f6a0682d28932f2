import GovShareCore

/// Encryption at rest (docs/encryption-at-rest.md): gives datasets mounted before it their keys and a re-encryption,
/// then advances the running re-encryptions for up to 20 seconds a round, batch by batch (each batch commits with its
/// cursor, so a killed server resumes where the last batch ended); seals licences issued before encryption at rest.
struct DatasetReencryptionJob: ScheduledJob {
    let name = "dataset re-encryption"

    func run(platform: Platform, actor: Principal) async throws {
        _ = try await platform.datasetEncryption.startNeeded(origin: origin())
        _ = try await platform.datasetEncryption.runOpen(seconds: 20)
        _ = try await platform.licences.sealStoredLicences()
    }
}
