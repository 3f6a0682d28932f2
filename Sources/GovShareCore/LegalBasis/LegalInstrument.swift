import Foundation

/// Where an instrument stands in the hierarchy of 《中华人民共和国立法法》, plus the two kinds of normative document
/// Art. 18 of the Guangdong regulation (as applied with 《政务数据共享条例》) accepts as a basis: those of the State
/// Council and of the provincial government. A department's own rules (部门内部管理办法) have no level here: Art. 16
/// says they are no basis for not sharing.
public enum InstrumentLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case law
    case administrativeRegulation = "administrative_regulation"
    case localRegulation = "local_regulation"
    case rule
    case stateCouncilDocument = "state_council_document"
    case provincialDocument = "provincial_document"

    public var name: LocalizedText {
        switch self {
        case .law: LocalizedText(zh: "法律", en: "Law")
        case .administrativeRegulation: LocalizedText(zh: "行政法规", en: "Administrative regulation")
        case .localRegulation: LocalizedText(zh: "地方性法规", en: "Local regulation")
        case .rule: LocalizedText(zh: "规章", en: "Rule")
        case .stateCouncilDocument: LocalizedText(zh: "国务院规范性文件", en: "State Council normative document")
        case .provincialDocument: LocalizedText(zh: "省政府规范性文件", en: "Provincial government normative document")
        }
    }

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")

    public static func < (a: InstrumentLevel, b: InstrumentLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One instrument a refusal (Art. 16) or a conditional / not-shared catalog element (Art. 18) may cite.
public struct LegalInstrument: Sendable, Codable, Equatable {
    /// The name without 《》, e.g. 中华人民共和国居民身份证法.
    public var name: String
    public var level: InstrumentLevel
    /// Who made it, e.g. 全国人民代表大会常务委员会, 国务院, 公安部, 广东省人民政府.
    public var issuer: String
    /// 国务院令第809号, 粤府办〔2018〕50号 …; nil where the list does not record one.
    public var documentNumber: String?

    public init(name: String, level: InstrumentLevel, issuer: String, documentNumber: String? = nil) {
        self.name = name; self.level = level; self.issuer = issuer; self.documentNumber = documentNumber
    }

    enum CodingKeys: String, CodingKey {
        case name, level, issuer
        case documentNumber = "document_number"
    }

    /// What two spellings of one name have in common: no 《》 or 〈〉, no whitespace, full-width forms folded to
    /// half-width (（）→(), ［］→[], ＡＢ→AB), 〔〕 and 【】 read as [], curly quotes as straight ones, and without the
    /// leading 中华人民共和国 (《居民身份证法》 is how the law is usually cited).
    public static func key(_ text: String) -> String {
        var folded = text.precomposedStringWithCompatibilityMapping
        for (from, to) in [("〔", "["), ("〕", "]"), ("【", "["), ("】", "]"), ("“", "\""), ("”", "\""), ("‘", "'"), ("’", "'")] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        folded.unicodeScalars.removeAll { CharacterSet.whitespacesAndNewlines.contains($0) || "《》〈〉<>".unicodeScalars.contains($0) }
        let prefix = "中华人民共和国"
        if folded.hasPrefix(prefix), folded.count > prefix.count { folded.removeFirst(prefix.count) }
        return folded
    }

    /// The name as people write it: trimmed, without the 《》 around it.
    public static func displayName(_ text: String) -> String {
        var name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.hasPrefix("《"), name.hasSuffix("》"), name.count > 2 { name = String(name.dropFirst().dropLast()) }
        return name.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The maintained list of accepted instruments: the one shipped in the binary (`Resources/legal-instruments.json`)
/// or the file named by `legal_instruments_file`, which replaces it.
public enum LegalInstrumentList {
    struct File: Decodable {
        var instruments: [Entry]
        struct Entry: Decodable {
            var name: String?, level: String?, issuer: String?, documentNumber: String?
            enum CodingKeys: String, CodingKey { case name, level, issuer, documentNumber = "document_number" }
        }
    }

    /// Reads a list: `{"instruments": [{"name", "level", "issuer", "document_number"?}, …]}` (other top-level keys,
    /// e.g. a description, are ignored). Returns the instruments and every problem found, by position.
    public static func parse(_ data: Data) -> (instruments: [LegalInstrument], problems: [String]) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            return ([], ["not a JSON object with an \"instruments\" array of objects (name, level, issuer, document_number)"])
        }
        var problems: [String] = []
        var instruments: [LegalInstrument] = []
        var seen: [String: Int] = [:]
        if file.instruments.isEmpty { problems.append("the list is empty: nothing could be cited as a legal basis") }
        for (index, entry) in file.instruments.enumerated() {
            let at = "instruments[\(index)]"
            let name = LegalInstrument.displayName(entry.name ?? "")
            let issuer = (entry.issuer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let number = entry.documentNumber?.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { problems.append("\(at): name is required") }
            if InputLimits.exceeds(name, InputLimits.legalInstrument) {
                problems.append("\(at): name is longer than \(InputLimits.legalInstrument) characters")
            }
            if issuer.isEmpty { problems.append("\(at): issuer is required") }
            guard let level = entry.level.flatMap(InstrumentLevel.init(rawValue:)) else {
                problems.append("\(at): level must be one of \(InstrumentLevel.allowedValues), got '\(entry.level ?? "")'")
                continue
            }
            if !name.isEmpty, let first = seen.updateValue(index, forKey: LegalInstrument.key(name)) {
                problems.append("\(at): '\(name)' is listed already as instruments[\(first)]")
            }
            instruments.append(
                LegalInstrument(name: name, level: level, issuer: issuer, documentNumber: number?.isEmpty == false ? number : nil))
        }
        return (instruments, problems)
    }

    /// Reads and checks the file `legal_instruments_file` names (at start-up, with the other settings).
    public static func load(path: String) -> (instruments: [LegalInstrument], problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { return ([], ["cannot read \(path)"]) }
        return parse(data)
    }

    /// The list shipped in the binary.
    public static func bundled() throws -> [LegalInstrument] {
        guard let url = Bundle.module.url(forResource: "legal-instruments", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            throw DomainError(
                .unavailable, code: "legal_instruments_missing",
                message: LocalizedText(zh: "缺少内置法律法规依据清单", en: "The bundled list of legal instruments is missing"))
        }
        let (instruments, problems) = parse(data)
        guard problems.isEmpty else {
            throw DomainError(
                .unavailable, code: "legal_instruments_invalid",
                message: LocalizedText(
                    zh: "内置法律法规依据清单有误：\(problems.joined(separator: "；"))",
                    en: "The bundled list of legal instruments is invalid: \(problems.joined(separator: "; "))"))
        }
        return instruments
    }
}
