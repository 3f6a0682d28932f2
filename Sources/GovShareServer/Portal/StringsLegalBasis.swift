import GovShareCore

extension Strings {
    /// Words of the 法律法规依据 page (Art. 16, 18).
    static let legalBasis: [String: LocalizedText] = [
        "nav_legal_basis": .init(zh: "法律法规依据", en: "Legal bases"),
        "legal_basis_intro": .init(
            zh: "拒绝共享（第十六条）以及将资源或信息项列为有条件共享、不予共享（第十八条），须以法律、行政法规、地方性法规、规章或国务院、省政府规范性文件为依据；部门内部管理办法不能作为依据。下表之外的依据，可由部门提出，经省政务数据主管部门确认后引用。",
            en:
                "Refusing to share (Art. 16), and making a resource or item conditional or not shared (Art. 18), needs a law, administrative regulation, local regulation, rule, or State Council or provincial government normative document as its basis; a department's internal rules are none. A department may propose an instrument not listed; it can be cited once the provincial data authority confirms it."
        ),
        "legal_basis_pending": .init(zh: "待确认的依据", en: "Proposals awaiting confirmation"),
        "legal_basis_accepted": .init(zh: "认可的依据", en: "Accepted instruments"),
        "legal_basis_decided": .init(zh: "已确认或驳回的提议", en: "Decided proposals"),
        "legal_instrument_name": .init(zh: "名称", en: "Name"),
        "legal_instrument_level": .init(zh: "效力层级", en: "Level"),
        "legal_instrument_issuer": .init(zh: "制定机关", en: "Issuer"),
        "legal_instrument_number": .init(zh: "文号", en: "Document number"),
        "legal_instrument_reference": .init(zh: "出处（链接或说明）", en: "Where published (link or note)"),
        "legal_instrument_source": .init(zh: "来源", en: "Source"),
        "legal_instrument_proposer": .init(zh: "提出人", en: "Proposed by"),
        "legal_instrument_decider": .init(zh: "确认人", en: "Decided by"),
        "legal_instrument_propose": .init(zh: "提出认定", en: "Propose"),
        "legal_instrument_propose_hint": .init(
            zh: "填写名称（不含书名号）、效力层级、制定机关、文号及出处；省政务数据主管部门确认前不能引用。",
            en:
                "Give the name (without 《》), level, issuer, document number and where it is published; it cannot be cited until the provincial data authority confirms it."
        ),
        "legal_instrument_confirm": .init(zh: "确认", en: "Confirm"),
        "legal_instrument_reject": .init(zh: "驳回", en: "Reject"),
    ]
}
