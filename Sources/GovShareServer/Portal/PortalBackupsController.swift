import Foundation
import GovShareCore
import Hummingbird

/// 数据备份 (Art. 26): the registry of backups with their age, size and status, a warning when the newest completed one
/// is older than `backup_max_age_hours`, and for operators and administrators a button that makes one now. The same
/// rules as the API (`BackupService`).
struct PortalBackupsController {
    let platform: Platform
    let pages: PageRenderer

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("backups", use: page)
        router.post("backups", use: make)
        router.post("backups/reencrypt", use: reencrypt)
    }

    @Sendable func page(request: Request, context: AppRequestContext) async throws -> Response {
        try await render(context: context)
    }

    @Sendable func make(request: Request, context: AppRequestContext) async throws -> Response {
        // The form carries nothing but its CSRF token, and like every portal form it is refused without it.
        _ = try await PortalForm.read(request, context: context)
        do {
            _ = try await platform.backups.make(by: try context.requirePrincipal(), origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/backups"])
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict || error.kind == .unavailable {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    /// A dataset moved to a new data key (`DatasetEncryptionService.start`, as `POST …/encryption/reencrypt` with
    /// `new_key`); the scheduler re-encrypts in the background and the table shows its progress.
    @Sendable func reencrypt(request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await PortalForm.read(request, context: context)
        do {
            _ = try await platform.datasetEncryption.start(
                code: form["code"] ?? "", newKey: form["new_key"] == "1", by: try context.requirePrincipal(), origin: context.origin)
            return Response(status: .seeOther, headers: [.location: "/backups"])
        } catch let error as DomainError where [.invalid, .conflict, .unavailable, .notFound].contains(error.kind) {
            return try await render(context: context, error: error.pageMessage(context.language))
        }
    }

    func render(context: AppRequestContext, error: String? = nil) async throws -> Response {
        let actor = try context.requirePrincipal()
        let language = context.language
        let overview = try await platform.backups.overview(by: actor)
        let now = Date()
        let page = BackupsPage(
            backups: overview.backups.map { b in
                let age = Timestamp.parse(b.finishedAt ?? b.startedAt).map { now.timeIntervalSince($0) / 3600 } ?? 0
                return .init(
                    id: b.id, status: b.status.name.text(language), statusClass: b.status.rawValue,
                    startedAt: PortalFormat.time(b.startedAt), age: Self.age(hours: age, language),
                    size: b.sizeBytes.map { PortalFormat.number(Int($0)) } ?? "—", sm3: b.sm3 ?? "", location: b.location,
                    createdBy: b.createdBy, database: b.databaseKind, auditSeq: b.auditSeq.map { String($0) } ?? "—", error: b.error)
            },
            overdue: overview.isOverdue,
            warning: overview.isOverdue
                ? (overview.newestAgeHours.map {
                    LocalizedText(
                        zh: "最近一次完成的备份已是 \(Self.age(hours: $0, .zh))前，超过 \(overview.maxAgeHours) 小时（backup_max_age_hours）",
                        en:
                            "The newest completed backup is \(Self.age(hours: $0, .en)) old, more than \(overview.maxAgeHours) hours (backup_max_age_hours)"
                    )
                } ?? LocalizedText(zh: "尚无完成的备份", en: "No backup has been completed yet")).text(language)
                : nil,
            newest: overview.newestCompleted.flatMap { $0.finishedAt }.map(PortalFormat.time),
            canMake: platform.backups.mayMake(actor), error: error,
            showEncryption: platform.datasetEncryption.mayManage(actor),
            encryption: platform.datasetEncryption.mayManage(actor)
                ? try await platform.datasetEncryption.overview(by: actor).map { Self.encryptionRow($0, language) } : [])
        return pages.render(
            page, title: Strings.text("nav_backups", language), context: context, path: "/backups",
            status: error == nil ? .ok : .unprocessableContent)
    }

    /// One dataset's line in the encryption table: the latest job's progress as a bar (percent of rows).
    static func encryptionRow(_ s: DatasetEncryptionStatus, _ language: Language) -> BackupsPage.Encryption {
        let items = s.dataset.itemCodes(ofColumns:)
        let job = s.jobs.first
        let percent = job.map { j in j.rowsTotal > 0 ? min(100, j.rowsDone * 100 / j.rowsTotal) : (j.state == .done ? 100 : 0) }
        let state: String =
            if let job, job.state == .running {
                language == .en ? "re-encrypting to v\(job.targetVersion)" : "正在重新加密至 v\(job.targetVersion)"
            } else if s.dataset.encryptionPending {
                language == .en ? "clear rows remain" : "尚有明文行"
            } else if s.dataset.encryptedColumns.isEmpty {
                language == .en ? "nothing graded" : "无分级数据项"
            } else {
                language == .en ? "encrypted" : "已加密"
            }
        return .init(
            code: s.dataset.entryCode, items: items(s.dataset.encryptedColumns).joined(separator: "、"),
            keyVersion: s.keyVersions.map(\.version).max().map { "v\($0)" } ?? "—", state: state,
            running: job?.state == .running, canReencrypt: job?.state != .running && !s.dataset.encryptedColumns.isEmpty,
            percent: percent ?? 0,
            progress: job.map { "\(PortalFormat.number($0.rowsDone)) / \(PortalFormat.number($0.rowsTotal))" } ?? "—")
    }

    static func age(hours: Double, _ language: Language) -> String {
        if hours < 1 { return language == .en ? "\(Int(hours * 60)) min" : "\(Int(hours * 60)) 分钟" }
        if hours < 48 { return language == .en ? "\(Int(hours)) h" : "\(Int(hours)) 小时" }
        return language == .en ? "\(Int(hours / 24)) days" : "\(Int(hours / 24)) 天"
    }
}

/// `backups.mustache`: the registry, the age warning and the button.
struct BackupsPage: PortalPage {
    static let template = PageTemplate.backups
    struct Backup: Encodable {
        var id, status, statusClass, startedAt, age, size, sm3, location, createdBy, database, auditSeq: String
        var error: String?
    }
    var backups: [Backup]
    var overdue: Bool
    var warning: String?
    var newest: String?
    var canMake: Bool
    var error: String?
    /// Encryption at rest per dataset, shown to those who manage it.
    var showEncryption: Bool
    struct Encryption: Encodable {
        var code, items, keyVersion, state: String
        var running: Bool
        /// The button: encrypted items and no job running.
        var canReencrypt: Bool
        var percent: Int
        var progress: String
    }
    var encryption: [Encryption]
}
