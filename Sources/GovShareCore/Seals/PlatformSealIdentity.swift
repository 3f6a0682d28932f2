import Foundation

/// Which certificate may seal what the platform itself issues — archive manifests, decision letters, grants, orders.
/// Every seal is certified by the same platform root, so "chained to the root" alone would let any department's data
/// seal sign a manifest that `govshare archive verify` accepts offline (review finding). The platform's own seal is
/// the provincial data authority's data seal, and its certificate says so in a way no issued seal can: the
/// organisation is the root's own (the configured `authority_name`) and the unit is the data seal's. `SealService`
/// refuses to issue a data seal to the authority or to any department bearing that name, so only the platform's
/// `currentAuthoritySeal` makes such a certificate.
public enum PlatformSealIdentity {
    /// The certificate subject's unit for a data seal (`SealKind.dataSeal`).
    public static var unit: String { SealKind.dataSeal.name.zh }

    /// Whether `signer` is the platform's data seal under `root`: same organisation as the root, the data seal's unit.
    public static func isPlatformSeal(signer: CertificateInfo, root: CertificateInfo) -> Bool {
        guard let organization = authorityName(root: root), !organization.isEmpty else { return false }
        let subject = SubjectLine.attributes(signer.subject)
        return subject["O"] == organization && subject["OU"] == unit
    }

    /// The authority the root certificate names (its organisation).
    public static func authorityName(root: CertificateInfo) -> String? { SubjectLine.attributes(root.subject)["O"] }
}

/// Reads the one-line RFC 2253 subject that the cryptography provider prints (`CN=…,OU=…,O=…,C=CN`, UTF-8 kept,
/// `\` escaping `, + " \ < > ;` and a leading `#` or space). Each attribute's first value; no cryptography.
public enum SubjectLine {
    public static func attributes(_ line: String) -> [String: String] {
        var result: [String: String] = [:]
        var part = ""
        var escaped = false
        func finish() {
            if let equals = part.firstIndex(of: "=") {
                let name = part[..<equals].trimmingCharacters(in: .whitespaces).uppercased()
                let value = String(part[part.index(after: equals)...])
                if result[name] == nil { result[name] = value }
            }
            part = ""
        }
        for character in line {
            if escaped {
                part.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," || character == "+" {
                finish()
            } else {
                part.append(character)
            }
        }
        finish()
        return result
    }
}
