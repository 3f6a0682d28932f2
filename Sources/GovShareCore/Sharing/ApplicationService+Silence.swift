import Foundation

/// Art. 19: "经政务数据主管部门会同政务数据提供部门审核后，在10个工作日内予以答复". The authority answers together with the
/// provider, and the application is answered within the reply period whatever the provider does: when the provider has
/// not decided by the silence point (`providerSilenceWorkingDays` working days before the due date, default two), the
/// authority decides alone and the record says so. The provider may still decide until the authority has; its
/// lateness is counted against it in the reply statistics.
extension ApplicationService {
    /// The first day on which the authority may decide without the provider.
    public func silencePoint(of deadline: Deadline) async throws -> CivilDate {
        let working = try await calendar.calendar()
        var day = deadline.dueOn
        var counted = 0
        // Step back over working days until `providerSilenceWorkingDays` of them lie after `day` up to the due date.
        while counted < rules.providerSilenceWorkingDays {
            if working.isWorkingDay(day) { counted += 1 }
            day = day.adding(days: -1)
            if day < deadline.receivedOn { return deadline.receivedOn }
        }
        return day
    }

    /// Whether the provider has lost its say on this application: undecided (and not overruled) on or after the
    /// silence point while the clock runs.
    func providerIsSilent(_ a: ShareApplication, on day: CivilDate) async throws -> Bool {
        if a.providerSilentAt != nil { return a.decision(.provider) == nil }
        guard a.status == .underReview, a.providerId != a.authorityId, a.decision(.provider) == nil, !a.providerOverruled,
            let deadline = try await deadlines.find(id: a.deadlineId)
        else { return false }
        return day >= (try await silencePoint(of: deadline))
    }

    /// The clear items a decision approves must be items asked for in clear and approved (not refused).
    static func checkClear(_ d: Decision, against a: ShareApplication) throws {
        var v = Validator()
        v.limit(d.clearItems, field: "clear_items", maxCount: InputLimits.items, maxLength: InputLimits.itemCode)
        try v.check()
        let asked = Set(a.clearRequests.map(\.item))
        for item in d.clearItems {
            if !asked.contains(item) {
                v.fail(
                    "clear_items.\(item)", "not_asked", zh: "申请方未申请信息项「\(item)」的明文，不能批准明文",
                    en: "'\(item)' was not asked for in clear")
            } else if !d.approvedItems.contains(item) {
                v.fail(
                    "clear_items.\(item)", "not_approved", zh: "信息项「\(item)」未获批准，不能批准其明文",
                    en: "'\(item)' is not approved, so it cannot be approved in clear")
            }
        }
        try v.check()
    }

    /// The grant an approval creates: items both sides approved (the authority's alone when the provider was silent or
    /// overruled), clear where both approved clear; masked otherwise.
    func makeGrant(_ a: ShareApplication, authority: ReviewDecision, provider: ReviewDecision?, by actor: Principal) -> Grant? {
        let approved = a.items.filter { authority.approvedItems.contains($0) && (provider?.approvedItems.contains($0) ?? true) }
        guard !approved.isEmpty else { return nil }
        let clear = approved.filter { authority.approvedClear.contains($0) && (provider?.approvedClear.contains($0) ?? true) }
        let validUntil = ([a.validUntil, authority.validUntil, provider?.validUntil].compactMap { $0 }).min()!
        let conditions = [authority.conditions, provider?.conditions ?? ""].filter { !$0.isEmpty }.joined(separator: "；")
        var grant = Grant(
            id: Identifier.make(at: clock.now()), departmentId: a.applicantDepartmentId, entryId: a.entryId, items: approved,
            clearItems: clear, purpose: "\(a.purpose)（\(a.business)）" + (conditions.isEmpty ? "" : "；条件：\(conditions)"),
            validFrom: today.description, validUntil: validUntil, status: .active, createdBy: actor.id, createdAt: now,
            revokedReason: nil, nodeId: nodeId, dataManager: a.dataManager, applicationId: a.id)
        // The joint review is the two-person rule: the authority's reviewer approved it, and the provider's reviewer
        // consented to the clear items it approved (none when it was silent: the record shows the authority alone).
        grant.approvedBy = authority.reviewerId
        grant.approvedAt = authority.decidedAt
        if let provider, !clear.isEmpty {
            grant.providerConsent = .given
            grant.providerConsentBy = provider.reviewerId
        }
        return grant
    }

    /// Sweep step: at the silence point the authority is told it may decide alone; an authority decision already on
    /// file settles the application at once. Returns the notes and the grant, if the application was settled.
    func silenceStep(_ a: inout ShareApplication, deadline: Deadline, by actor: Principal) async throws -> ([InboxMessage], Grant?) {
        guard a.status == .underReview, a.providerId != a.authorityId, a.providerSilentAt == nil, a.decision(.provider) == nil,
            !a.providerOverruled, today >= (try await silencePoint(of: deadline))
        else { return ([], nil) }
        a.providerSilentAt = now
        var notes = [
            notify(
                a.providerId, "application.provider_silent", a,
                LocalizedText(
                    zh: "您部门未在答复节点前对共享申请（\(a.entryCode)）作出审核意见，主管部门可单独作出决定（第十九条）",
                    en:
                        "Your department did not decide on the application for \(a.entryCode) in time; the authority may decide alone (Art. 19)"
                ))
        ]
        if a.decision(.authority) == nil {
            a.silenceNotifiedAt = now
            notes.append(
                notify(
                    a.authorityId, "application.provider_silent", a,
                    LocalizedText(
                        zh: "提供部门未在答复节点前作出审核意见，请于 \(deadline.dueOn) 前单独作出决定（第十九条）",
                        en: "The provider has not decided; please decide alone by \(deadline.dueOn) (Art. 19)")))
            return (notes, nil)
        }
        let grant = finish(&a, by: actor)
        notes += outcomeNotes(a, grant: grant)
        return (notes, grant)
    }

    func outcomeNotes(_ a: ShareApplication, grant: Grant?) -> [InboxMessage] {
        if let grant {
            let clear = grant.clearItems.isEmpty ? "" : "（明文：\(grant.clearItems.joined(separator: "、"))）"
            return [
                notify(
                    a.applicantDepartmentId, "application.approved", a,
                    LocalizedText(
                        zh: "共享申请已批准，授权信息项：\(grant.items.joined(separator: "、"))\(clear)，有效期至 \(grant.validUntil)",
                        en: "Application approved for \(grant.items.joined(separator: ", ")) until \(grant.validUntil)"))
            ]
        }
        if a.status == .refused {
            return [
                notify(
                    a.applicantDepartmentId, "application.refused", a,
                    LocalizedText(zh: "共享申请未获批准，请查看理由及依据", en: "Application refused; see the reasons and basis"))
            ]
        }
        return []
    }
}
