@testable import GovShareServer

extension PortalPageTests {
    /// 电子印章 and 签章验证 (Art. 24, 25).
    static var sealPages: [any PortalPage] {
        [
            SealsPage(
                seals: [
                    .init(
                        id: "s", name: "n", kind: "k", holder: "h", status: "st", active: false, validFrom: "f", validTo: "t",
                        serial: "01", revokedAt: "r", reason: "why", canRevoke: true)
                ],
                canManage: true, kinds: [.init(value: "data_seal", label: "l", selected: true)],
                departments: [.init(value: "d", label: "l", selected: true)], formName: "n", formHolderUser: "u",
                formValidTo: "2029-01-01", error: "e"),
            SealVerifyPage(
                result: .init(
                    valid: false, reasons: ["r"], sealName: "n", sealKind: "k", holder: "h", signer: "s", signedAt: "t",
                    revokedAt: "r", documentSm3: "00")),
        ]
    }
}
