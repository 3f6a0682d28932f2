import Foundation
import GovShareCore

/// The demo's assessment (Art. 31): this year so far computed by the system and published by the provincial
/// authority's reviewer `gd_reviewer` (public at /assessments without signing in), and this month computed by
/// `gd_reviewer` and left as a draft — which `gd_reviewer` may not publish (own computation), another reviewer may.
struct DemoAssessmentSeeder {
    let platform: Platform
    let origin: RequestOrigin

    func seed() async throws -> Int {
        let system = Principal.system(DemoDataService.seedActor)
        guard try await platform.assessments.list(viewer: system).isEmpty,
            let reviewer = try await platform.demoData.principal(username: "gd_reviewer", by: system)
        else { return 0 }
        let (year, month, _) = CivilDate(instant: platform.clock.now()).components
        let annual = try await platform.assessments.compute(period: String(year), by: system, origin: origin)
        _ = try await platform.assessments.publish(id: annual.id, by: reviewer, origin: origin)
        _ = try await platform.assessments.compute(period: String(format: "%04d-%02d", year, month), by: reviewer, origin: origin)
        return 2
    }
}
