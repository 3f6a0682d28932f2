import Foundation

/// What may be cited as a legal basis at one moment: the maintained list and the confirmed proposals, with the
/// pending proposals known so that citing one says what it waits for. The one check both refusals (Art. 16) and the
/// catalog (Art. 18) use.
public struct LegalBasisRegister: Sendable {
    /// Accepted instruments by comparison key (`LegalInstrument.key`).
    public let accepted: [String: LegalInstrument]
    /// Pending proposals by comparison key.
    public let pending: [String: LegalInstrumentProposal]

    public init(list: [LegalInstrument], proposals: [LegalInstrumentProposal]) {
        var accepted: [String: LegalInstrument] = [:]
        for instrument in list { accepted[LegalInstrument.key(instrument.name)] = instrument }
        var pending: [String: LegalInstrumentProposal] = [:]
        for p in proposals {
            switch p.status {
            case .confirmed: accepted[p.key] = accepted[p.key] ?? p.instrument
            case .pending: pending[p.key] = p
            case .rejected: break
            }
        }
        self.accepted = accepted
        self.pending = pending.filter { accepted[$0.key] == nil }
    }

    /// The accepted instrument `text` names, if any.
    public func instrument(named text: String) -> LegalInstrument? { accepted[LegalInstrument.key(text)] }

    /// Art. 16 and 18: the cited instrument must be a law, administrative regulation, local regulation, rule, or a
    /// State Council or provincial government normative document — that is, on the list or confirmed by the provincial
    /// data authority. A department's own rules are none of these. An empty instrument is left to the rules that
    /// require one (`legal_basis_required`), so it is not reported twice.
    public func check(_ text: String?, field: String, into v: inout Validator) {
        let name = LegalInstrument.displayName(text ?? "")
        let key = LegalInstrument.key(name)
        guard !key.isEmpty, accepted[key] == nil else { return }
        if pending[key] != nil {
            v.fail(
                field, "legal_basis_unconfirmed",
                zh: "《\(name)》已提出认定、尚待省政务数据主管部门确认，确认前不能作为依据（第十六条、第十八条）",
                en:
                    "'\(name)' has been proposed and awaits confirmation by the provincial data authority; it cannot be cited until then (Art. 16, 18)"
            )
            return
        }
        v.fail(
            field, "not_a_legal_basis",
            zh: "《\(name)》不在认可的法律、行政法规、地方性法规、规章及国务院、省政府规范性文件之列；部门内部管理办法不能作为不共享的依据（第十六条）。"
                + "如确属上述依据，请在“法律法规依据”页面（或 POST /api/v1/legal-instruments）提出认定，经省政务数据主管部门确认后即可引用",
            en: "'\(name)' is not an accepted law, administrative regulation, local regulation, rule, or State Council or provincial "
                + "government normative document; a department's internal rules are no basis for not sharing (Art. 16). If it is one "
                + "of these, propose it on the Legal bases page (or POST /api/v1/legal-instruments) for confirmation by the provincial data authority"
        )
    }

    /// Art. 18: the basis of every conditional or not-shared item, and of the entry when it is not unconditional.
    /// A basis written next to an unconditional item restricts nothing and is not checked.
    public func checkBases(of c: CatalogContent, into v: inout Validator) {
        for (index, item) in (c.items ?? []).prefix(CatalogLimits.items).enumerated() {
            guard let share = item.shareType.flatMap(ShareType.init(rawValue:)), share != .unconditional else { continue }
            check(item.legalBasis?.instrument, field: "items[\(index)].legal_basis.instrument", into: &v)
        }
        if c.derivedShareType != .unconditional {
            check(c.legalBasis?.instrument, field: "legal_basis.instrument", into: &v)
        }
    }
}
