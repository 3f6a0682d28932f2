import Foundation

extension CatalogService {
    /// The submission rules (`CatalogRules`) and, for every conditional or not-shared element, that its legal basis is
    /// a law, regulation, rule or State Council / provincial government normative document (Art. 18; a department's
    /// internal rules are no basis, Art. 16). Every problem of both is reported in one answer. Publishing checks again:
    /// the list may have been replaced since the entry was submitted.
    func checkForSubmission(_ content: CatalogContent, provider: Department, register: LegalBasisRegister) async throws {
        var v = Validator()
        register.checkBases(of: content, into: &v)
        do {
            try CatalogRules.checkForSubmission(content, provider: provider, requiredFields: requiredFields)
        } catch let error as DomainError where error.kind == .invalid {
            throw DomainError.validation(error.problems + v.problems)
        }
        try v.check()
    }
}
