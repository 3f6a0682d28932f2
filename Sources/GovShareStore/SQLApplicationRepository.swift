import Foundation
import GovShareCore
import SQLKit

/// Applications as a JSON document with the columns the queues filter on; notifications as rows.
public struct SQLApplicationRepository: ApplicationRepository {
    let context: StoreContext
    public init(context: StoreContext) { self.context = context }

    public func insert(_ a: ShareApplication, deadline: Deadline, notifications: [InboxMessage], audit: AuditRecord) async throws {
        let context = self.context
        try await context.database.transaction { db in
            try await SQLDeadlineRepository.insert(deadline, context: context, on: db)
            try await db.insert(into: "share_applications").columns(
                "id", "applicant_department_id", "provider_id", "authority_id", "entry_id", "status", "document", "created_at", "updated_at"
            ).values(
                SQLBind(a.id), SQLBind(a.applicantDepartmentId), SQLBind(a.providerId), SQLBind(a.authorityId), SQLBind(a.entryId),
                SQLBind(a.status.rawValue), SQLBind(AuditJSON.encode(a)), SQLBind(a.createdAt), SQLBind(a.createdAt)
            ).run()
            try await Self.insert(notifications, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    /// Every notification lands in the portal inbox; a department with a webhook or a mail recipient also gets a
    /// delivery queued per channel in the same transaction, so a committed notification is never lost on its way out
    /// (NotificationDispatcher sends it).
    static func insert(_ notifications: [InboxMessage], on db: any SQLDatabase) async throws {
        for n in notifications {
            try await db.insert(into: "notifications").columns(
                "id", "department_id", "kind", "subject_type", "subject_id", "message_zh", "message_en", "created_at", "read_at"
            ).values(
                SQLBind(n.id), SQLBind(n.departmentId), SQLBind(n.kind), SQLBind(n.subjectType), SQLBind(n.subjectId),
                SQLBind(n.message.zh), SQLBind(n.message.en), SQLBind(n.createdAt), SQLLiteral.null
            ).run()
            for channel in try await Self.channels(of: n.departmentId, on: db) {
                try await db.insert(into: "notification_deliveries").columns(
                    "id", "notification_id", "department_id", "channel", "status", "attempts", "next_attempt_at", "last_error",
                    "delivered_at", "created_at"
                ).values(
                    SQLBind(channel == .webhook ? n.id : Identifier.make()), SQLBind(n.id), SQLBind(n.departmentId),
                    SQLBind(channel.rawValue), SQLBind(NotificationDelivery.Status.pending.rawValue), SQLBind(0), SQLBind(n.createdAt),
                    SQLLiteral.null, SQLLiteral.null, SQLBind(n.createdAt)
                ).run()
            }
        }
    }

    static func channels(of departmentId: String, on db: any SQLDatabase) async throws -> [NotificationDelivery.Channel] {
        var channels: [NotificationDelivery.Channel] = []
        if try await db.select().column("department_id").from("department_webhooks").where("department_id", .equal, departmentId).first()
            != nil
        {
            channels.append(.webhook)
        }
        if try await db.select().column("department_id").from("department_mail").where("department_id", .equal, departmentId).first() != nil
        {
            channels.append(.email)
        }
        return channels
    }

    static func application(_ row: any SQLRow) throws -> ShareApplication {
        try JSONDecoder().decode(ShareApplication.self, from: Data(try row.string("document").utf8))
    }

    public func find(id: String) async throws -> ShareApplication? {
        try await context.database.withConnection { db in
            try await db.select().column("document").from("share_applications").where("id", .equal, id).first().map(Self.application)
        }
    }

    public func list(departmentIds: [String]?, openOnly: Bool) async throws -> [ShareApplication] {
        try await context.database.withConnection { db in
            let select = db.select().column("document").from("share_applications")
            if let ids = departmentIds {
                select.where { g in
                    g.where("applicant_department_id", .in, ids).orWhere("provider_id", .in, ids).orWhere("authority_id", .in, ids)
                }
            }
            if openOnly { select.where("status", .in, [ApplicationStatus.underReview.rawValue, ApplicationStatus.infoRequested.rawValue]) }
            return try await select.orderBy("created_at", .descending).limit(5000).all().map(Self.application)
        }
    }

    public func save(
        _ a: ShareApplication, replacing previous: String, dueOn: MovedDeadline?, grant: Grant?,
        notifications: [InboxMessage], documents: [OfficialDocument], audit: AuditRecord
    ) async throws {
        let context = self.context
        try await context.database.transaction { db in
            let saved = try await db.update("share_applications").set("status", to: a.status.rawValue).set(
                "document", to: AuditJSON.encode(a)
            )
            .set("updated_at", to: context.now).where("id", .equal, a.id).where("document", .equal, previous)
            .returning("id").all()
            guard !saved.isEmpty else {
                throw DomainError.conflict(
                    code: "application_changed", zh: "申请已被他人同时处理，请刷新后查看",
                    en: "The application was changed meanwhile; reload it")
            }
            if let moved = dueOn {
                try await db.raw(
                    """
                    UPDATE deadlines SET due_on = \(bind: moved.dueOn.description), provisional = \(bind: moved.provisional),
                        working_days = working_days + \(bind: moved.addedWorkingDays), updated_at = \(bind: context.now)
                    WHERE id = \(bind: a.deadlineId)
                    """
                ).run()
            }
            if !a.status.isOpen {
                let status = a.status == .withdrawn ? Deadline.Status.cancelled : .met
                // Met when decided (the service's time: the supervision's late-reply check compares it with the due date).
                try await db.update("deadlines").set("status", to: status.rawValue).set("updated_at", to: a.decidedAt ?? context.now)
                    .where("id", .equal, a.deadlineId).run()
            }
            if let grant { try await SQLAccessRepository.insert(grant, on: db) }
            try await SQLOfficialDocumentRepository.insert(documents, origin: audit.origin, context: context, on: db)
            try await Self.insert(notifications, on: db)
            _ = try await AuditChain.append(audit, context: context, on: db)
        }
    }

    public func notifications(departmentId: String, unreadOnly: Bool) async throws -> [InboxMessage] {
        try await context.database.withConnection { db in
            let select = db.select().column("*").from("notifications").where("department_id", .equal, departmentId)
            if unreadOnly { select.where(SQLColumn("read_at"), .is, SQLLiteral.null) }
            return try await select.orderBy("created_at", .descending).limit(500).all().map { row in
                InboxMessage(
                    id: try row.string("id"), departmentId: try row.string("department_id"), kind: try row.string("kind"),
                    subjectType: try row.string("subject_type"), subjectId: try row.string("subject_id"),
                    message: LocalizedText(zh: try row.string("message_zh"), en: try row.string("message_en")),
                    createdAt: try row.string("created_at"), readAt: try row.optionalString("read_at"))
            }
        }
    }

    public func markRead(notificationId: String, departmentId: String) async throws -> Bool {
        try await context.database.transaction { db in
            try await !db.update("notifications").set("read_at", to: context.now).where("id", .equal, notificationId)
                .where("department_id", .equal, departmentId).returning("id").all().isEmpty
        }
    }
}
