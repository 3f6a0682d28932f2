@testable import GovShareServer

extension PortalPageTests {
    /// 电子证照 (Art. 23).
    static var licencePages: [any PortalPage] {
        [
            LicencesPage(
                types: [.init(value: "yyzz", label: "营业执照", selected: true)], mayLookUp: true, mayIssue: true,
                issued: [
                    .init(
                        id: "l", type: "营业执照", number: "n", holderId: "h", holderName: "hn", validity: "v", status: "s",
                        statusReason: "r", canRevoke: true)
                ],
                formHolderId: "h", formPurpose: "p", formMatter: "m",
                lookup: .init(
                    holderId: "h", matter: "m",
                    licences: [
                        .init(
                            id: "l", type: "t", number: "n", holderName: "hn", validity: "v", status: "s", active: true,
                            statusReason: "r", fields: [.init(name: "名称", value: "v", masked: true)], downloadable: true,
                            purpose: "p", matter: "m")
                    ]),
                error: "e")
        ]
    }
}
