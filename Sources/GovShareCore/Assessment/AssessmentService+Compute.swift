import Foundation

extension AssessmentService {
    /// Reads the records up to the assessment instant (the period's end, or now while it runs) and scores every
    /// department that has a published entry or a dataset by then.
    func content(id: String, period: AssessmentPeriod, now: Date, by actor: Principal) async throws -> AssessmentContent {
        let nowText = Timestamp.format(now)
        let asOf = min(period.endInstant, nowText)
        let start = period.startInstant
        let lastDay = min(period.to, CivilDate(instant: now))
        var inputs: [String: AssessmentInputs] = [:]

        let allDepartments = try await departments.list(DepartmentFilter())
        let byId = Dictionary(allDepartments.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mounted = try await repository.mountedEntryIds(before: asOf)
        for ev in try await catalog.entries(with: .published, status: nil, providerIds: nil, ids: nil) {
            guard ev.entry.status != .withdrawn, ev.entry.homeNode == nil, let at = ev.version.publishedAt, at < asOf,
                let provider = byId[ev.entry.providerId]
            else { continue }
            var i = inputs[provider.id] ?? AssessmentInputs()
            i.published += 1
            if (try? CatalogRules.checkForSubmission(ev.version.content, provider: provider, requiredFields: requiredFields)) != nil {
                i.complete += 1
            }
            if mounted.contains(ev.entry.id) { i.mounted += 1 }
            for item in ev.version.content.items ?? [] {
                switch item.shareType.flatMap(ShareType.init(rawValue:)) {
                case .unconditional: i.unconditionalItems += 1
                case .conditional: i.conditionalItems += 1
                case .notShared: i.notSharedItems += 1
                case nil: break
                }
            }
            inputs[provider.id] = i
        }
        let asOfDate = Timestamp.parse(asOf) ?? now
        for d in try await repository.datasetUpdates(before: asOf) {
            var i = inputs[d.providerId] ?? AssessmentInputs()
            i.datasets += 1
            if let days = UpdateCycle(rawValue: d.updateCycle)?.maxAgeDays {
                i.cycled += 1
                if let last = Timestamp.parse(d.lastBatchAt ?? d.createdAt), asOfDate.timeIntervalSince(last) <= days * 86_400 {
                    i.fresh += 1
                }
            }
            inputs[d.providerId] = i
        }
        for (department, count) in try await repository.reportedRecords(from: start, to: asOf) {
            inputs[department, default: AssessmentInputs()].records = count
        }
        if lastDay >= period.from {
            for (department, count) in try await repository.deadlinesDue(
                subjectType: "application", dueFrom: period.from.description, dueTo: lastDay.description)
            {
                inputs[department, default: AssessmentInputs()].replies = count
            }
            for (department, count) in try await repository.deadlinesDue(
                subjectType: "objection", dueFrom: period.from.description, dueTo: lastDay.description)
            {
                inputs[department, default: AssessmentInputs()].objections = count
            }
            for (department, count) in try await repository.deadlinesDue(
                subjectType: "rectification_order", dueFrom: period.from.description, dueTo: lastDay.description)
            {
                inputs[department, default: AssessmentInputs()].orders = count
            }
        }
        for (department, count) in try await repository.datasetsReadByOthers(from: start, to: asOf) {
            inputs[department, default: AssessmentInputs()].readByOthers = count
        }

        let scored = inputs.compactMap { id, i -> DepartmentAssessment? in
            guard i.isAssessable, let d = byId[id] else { return nil }
            let indicators = AssessmentScoring.indicators(i, scheme: scheme)
            return DepartmentAssessment(
                departmentId: id, departmentCode: d.code, departmentName: d.nameZh, total: AssessmentScoring.total(indicators),
                rank: 0, indicators: indicators)
        }
        return AssessmentContent(
            id: id, period: period.description, periodFrom: period.from.description, periodTo: period.to.description, asOf: asOf,
            schemeVersion: scheme.version,
            weights: AssessmentIndicator.allCases.map { .init(indicator: $0.rawValue, weight: scheme.weight($0)) },
            computedAt: nowText, computedBy: actor.name, nodeId: nodeId, departments: AssessmentScoring.ranked(scored))
    }
}
