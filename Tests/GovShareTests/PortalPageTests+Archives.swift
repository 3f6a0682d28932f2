@testable import GovShareServer

extension PortalPageTests {
    /// 电子归档 (Art. 26).
    static var archivePages: [any PortalPage] {
        [
            ArchivesPage(
                archives: [
                    .init(
                        id: "a", kind: "k", createdAt: "t", createdBy: "b", period: "p", files: 3, size: "1 KB", merkleRoot: "00",
                        location: "/l")
                ],
                segments: [.init(range: "1–9", entries: 9, reads: 2, lastHash: "00", archiveId: "a", archivedAt: "t")],
                kinds: [.init(value: "seals", label: "l", selected: true)],
                result: .init(id: "a", ok: false, checked: ["c"], failures: ["f"]))
        ]
    }
}
