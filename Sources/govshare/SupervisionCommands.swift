import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// `govshare supervision …`: the rule checks (Art. 30) and orders to correct (Art. 29), through the same service as the
/// API and the portal. Issuing and deciding orders is the authority's, in the portal or the API.
struct SupervisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervision",
        abstract: "Supervision (Art. 29–30): run the checks, list findings and orders, escalate overdue orders.",
        subcommands: [Check.self, Findings.self, Orders.self, Sweep.self, Sample.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every check now and record the findings.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            FileHandle.standardError.write(Data("running \(SupervisionRule.checks.count) checks over the records …\n".utf8))
            let run = try await CommandRunner.run(common) { platform in
                try await platform.supervision.runChecks(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print(
                "supervision run \(run.id): \(run.found) findings (\(run.opened) new, \(run.resolved) resolved) in \(run.milliseconds) ms")
            for rule in SupervisionRule.checks { print("  \(rule.rawValue)\t\(run.byRule[rule.rawValue] ?? 0)") }
        }
    }

    struct Findings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open findings, newest first (at most 500).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this rule.") var rule: String?
        func run() async throws {
            guard rule.map({ SupervisionRule(rawValue: $0) != nil }) ?? true else {
                throw ValidationError("--rule must be one of \(SupervisionRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let overview = try await CommandRunner.run(common) { platform in
                try await platform.supervision.overview(
                    rule: rule.flatMap(SupervisionRule.init), status: .open, by: CommandRunner.actor)
            }
            for f in overview.findings {
                print(
                    "\(f.id)\t\(f.rule.rawValue)\t\(overview.departmentNames[f.departmentId] ?? f.departmentId)\t\(f.objectLabel)\t\(f.evidence)"
                )
            }
            if overview.findings.isEmpty { print("no open findings") }
        }
    }

    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Orders to correct with their status and due dates.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let (overview, today) = try await CommandRunner.run(common) { platform in
                (
                    try await platform.supervision.overview(rule: nil, status: nil, by: CommandRunner.actor),
                    CivilDate(instant: platform.clock.now())
                )
            }
            for o in overview.orders {
                print(
                    "\(o.id)\t\(o.status.rawValue)\(o.isOverdue(on: today) ? " OVERDUE" : "")\tdue \(o.dueOn)\t\(overview.departmentNames[o.departmentId] ?? o.departmentId)\t\(o.what)"
                )
            }
            if overview.orders.isEmpty { print("no orders") }
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sampling plans (随机抽查): list them, or re-run one's draw from its recorded seed and population (--verify).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("verify"), help: "The plan's id: exit 1 unless the draw is reproduced exactly.") var planId: String?
        func run() async throws {
            if let planId {
                let (v, plan) = try await CommandRunner.run(common) { platform in
                    (
                        try await platform.supervision.verify(planId: planId, by: CommandRunner.actor),
                        try await platform.supervision.plan(id: planId, by: CommandRunner.actor)
                    )
                }
                print("\(v.valid ? "reproduced" : "NOT reproduced"): plan \(plan.id) \(plan.name)")
                print("  seed \(plan.seedHex) = SM3(plan terms | audit head \(plan.headSeq) \(plan.headHash))")
                print("  population \(plan.populationObjects.count) \(plan.population.rawValue), sample \(plan.sample.count):")
                for (n, object) in plan.sample.enumerated() { print("    \(n + 1). \(object.id)\t\(object.label)") }
                for reason in v.reasons { print("  - \(reason.en)") }
                if !v.valid { throw ExitCode(1) }
                return
            }
            let plans = try await CommandRunner.run(common) { platform in try await platform.supervision.plans(by: CommandRunner.actor) }
            for p in plans {
                print("\(p.id)\t\(p.population.rawValue)\tsize \(p.size)\t\(p.drawnAt.map { "drawn \($0)" } ?? "not drawn")\t\(p.name)")
            }
            if plans.isEmpty { print("no sampling plans") }
        }
    }

    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Escalate orders past their due date (as the scheduler does).")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let n = try await CommandRunner.run(common) { platform in
                try await platform.supervision.sweep(by: CommandRunner.actor, origin: CommandRunner.origin)
            }
            print("\(n) orders escalated")
        }
    }
}
