import Foundation

extension SupervisionService {
    /// Every check over the records as they are at `now`. One finding per rule, department and object.
    func findings(runId: String, now: Date) async throws -> [SupervisionFinding] {
        let nowText = Timestamp.format(now)
        let today = CivilDate(instant: now)
        let workdays = try await calendar.calendar()
        var found: [SupervisionFinding] = []
        func add(_ rule: SupervisionRule, _ department: String, _ type: String, _ id: String, _ label: String, _ evidence: String) {
            found.append(
                SupervisionFinding(
                    id: Identifier.make(at: now), rule: rule, ruleVersion: rule.version, departmentId: department,
                    objectType: type, objectId: id, objectLabel: String(label.prefix(200)), evidence: String(evidence.prefix(1000)),
                    severity: rule.severity, status: .open, runId: runId, firstSeenAt: nowText, lastSeenAt: nowText, resolvedAt: nil,
                    nodeId: nodeId))
        }

        let byId = Dictionary(
            try await departments.list(DepartmentFilter()).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mounted = try await facts.mountedEntryIds(before: nowText)
        // Copies of other nodes' entries are supervised on their home node.
        for ev in try await catalog.entries(with: .published, status: nil, providerIds: nil, ids: nil)
        where ev.entry.status != .withdrawn && ev.entry.homeNode == nil {
            let entry = ev.entry, content = ev.version.content
            let label = "\(entry.code) \(content.name ?? "")"
            guard let provider = byId[entry.providerId] else { continue }
            if !mounted.contains(entry.id), let at = ev.version.publishedAt.flatMap(Timestamp.parse) {
                let published = CivilDate(instant: at)
                let waited = workdays.workingDays(after: published, through: today)
                if waited > settings.mountWorkingDays {
                    add(
                        .unmountedEntry, provider.id, "catalog_entry", entry.id, label,
                        "发布于 \(published)，已 \(waited) 个工作日未挂接数据、文件或服务（应在 \(settings.mountWorkingDays) 个工作日内） / published \(published), nothing mounted for \(waited) working days"
                    )
                }
            }
            do {
                try CatalogRules.checkForSubmission(content, provider: provider, requiredFields: requiredFields)
            } catch let error as DomainError {
                // A missing legal basis is the rule missing_basis's finding, not a second one here.
                let fields = Set(error.problems.filter { $0.rule != "legal_basis_required" }.map(\.field)).sorted()
                if !fields.isEmpty {
                    add(
                        .missingElements, provider.id, "catalog_entry", entry.id, label,
                        "缺少或不合规的要素 / elements missing or invalid: \(fields.joined(separator: ", "))")
                }
            }
            let items = content.items ?? []
            let unfounded = items.filter { item in
                let share = item.shareType.flatMap(ShareType.init(rawValue:)) ?? .unconditional
                return share != .unconditional && !(item.legalBasis?.isComplete ?? false) && !(content.legalBasis?.isComplete ?? false)
            }
            if !unfounded.isEmpty {
                add(
                    .missingBasis, provider.id, "catalog_entry", entry.id, label,
                    "有条件或不予共享但未注明法律依据的数据项 / conditional or not-shared items without a legal basis: \(unfounded.compactMap { $0.code ?? $0.name }.joined(separator: ", "))"
                )
            }
            let restrictedBase = items.filter { item in
                (content.catalogKind == .base || item.isBasic == true)
                    && (item.shareType.flatMap(ShareType.init(rawValue:)) ?? .unconditional) != .unconditional
            }
            if !restrictedBase.isEmpty {
                add(
                    .baseNotUnconditional, provider.id, "catalog_entry", entry.id, label,
                    "基础信息数据项未列为无条件共享 / base items not unconditional: \(restrictedBase.compactMap { $0.code ?? $0.name }.joined(separator: ", "))"
                )
            }
        }

        for d in try await facts.datasetUpdates(before: nowText) {
            guard let days = UpdateCycle(rawValue: d.updateCycle)?.maxAgeDays,
                let last = Timestamp.parse(d.lastBatchAt ?? d.createdAt), now.timeIntervalSince(last) > days * 86_400
            else { continue }
            add(
                .staleData, d.providerId, "dataset", d.datasetId, d.entryCode,
                "更新周期 \(d.updateCycle)，最近一次报送 \(d.lastBatchAt ?? "无（挂接于 \(d.createdAt)）") / cycle \(d.updateCycle), last report \(d.lastBatchAt ?? "none")"
            )
        }
        for o in try await repository.overdueObligations(today: today.description) {
            add(
                .obligationOverdue, o.departmentId, "catalog_obligation", o.id, o.reference,
                "目录更新义务应于 \(o.dueOn) 前完成 / the catalog update was due by \(o.dueOn)")
        }
        for r in try await repository.lateReplies(today: today.description, since: today.adding(days: -settings.windowDays).description) {
            let what = r.subjectType == "objection" ? "数据异议 objection" : "共享申请 application"
            add(
                .lateReply, r.providerId, r.subjectType, r.subjectId, "\(what) · \(r.entryCode)",
                r.metAt.map { "应于 \(r.dueOn) 前答复，\($0.prefix(10)) 才答复 / due \(r.dueOn), answered \($0.prefix(10))" }
                    ?? "应于 \(r.dueOn) 前答复，至今未答复 / due \(r.dueOn), not answered")
        }
        for g in try await repository.grantMisuse(since: Timestamp.format(now.addingTimeInterval(-Double(settings.windowDays) * 86_400))) {
            add(
                .grantOutsideValidity, g.departmentId, "grant", g.grantId, "\(g.entryCode) · \(g.grantId)",
                "授权有效期 \(g.validFrom)–\(g.validUntil)，期外读取 \(g.reads) 次，最近 \(g.lastReadAt) / \(g.reads) reads outside \(g.validFrom)–\(g.validUntil)"
            )
        }
        // The last 30 days up to and including this instant (`to` is exclusive; timestamps are to the millisecond).
        let reads = try await exchange.unusualReads(
            from: Timestamp.format(now.addingTimeInterval(-30 * 86_400)), to: Timestamp.format(now.addingTimeInterval(0.001)),
            factor: settings.unusualReadFactor)
        for (key, group) in Dictionary(grouping: reads, by: { "\($0.departmentId)|\($0.datasetId)" }) {
            guard let first = group.first else { continue }
            add(
                .unusualReads, first.departmentId, "dataset_reads", key, first.entryCode,
                "近 30 日 \(group.count) 次读取超过本部门对该资源读取行数中位数的 \(settings.unusualReadFactor) 倍，最多 \(group.map(\.rows).max() ?? 0) 行 / \(group.count) reads above \(settings.unusualReadFactor)× the median"
            )
        }
        return found
    }
}
