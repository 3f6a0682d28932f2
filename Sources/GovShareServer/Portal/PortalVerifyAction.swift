import Foundation
import GovShareCore
import Hummingbird

extension PortalDataController {
    /// The items the page offers to check: the key, identifiers and names (what a counter clerk holds).
    static func verificationItems(_ dataset: Dataset) -> [DatasetColumn] {
        let offered = dataset.columns.filter { c in
            VerificationService.identifies(c, in: dataset) || MaskRule.isPersonName(c)
        }
        return Array(offered.prefix(VerificationService.maxItems))
    }

    /// Identity verification (核验) from the dataset page: match or no match, never the record; audited and limited
    /// per department and dataset like the API's.
    @Sendable func verify(request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.require(.readData)
        let form = try await PortalForm.read(request, context: context)
        let code = try context.parameters.require("code")
        var values: [String: String] = [:]
        for (key, value) in form.fields where key.hasPrefix("value_") && !value.trimmingCharacters(in: .whitespaces).isEmpty {
            values[String(key.dropFirst("value_".count))] = value
        }
        let language = context.language
        do {
            let result = try await platform.verification.verify(
                code: code, purpose: form["purpose"], values: values, by: viewer,
                origin: context.origin)
            let text =
                result.match
                ? LocalizedText(zh: "一致：平台记录与所填信息相符", en: "Match: the record agrees with the values given")
                : LocalizedText(zh: "不一致：平台没有与所填信息相符的记录", en: "No match: no record agrees with the values given")
            return try await render(request: request, context: context) { page in
                page.verifyResult = DatasetPage.VerifyResult(text: text.text(language), class: result.match ? "ok" : "warn")
            }
        } catch let error as DomainError where [.invalid, .forbidden, .rateLimited].contains(error.kind) {
            let message =
                error.problems.isEmpty
                ? error.message.text(language) : error.problems.map { $0.message.text(language) }.joined(separator: "；")
            return try await render(request: request, context: context, status: ErrorMapping.status(for: error.kind)) {
                $0.verifyError = message
            }
        }
    }
}
