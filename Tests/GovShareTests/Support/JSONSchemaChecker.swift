import Foundation

/// A JSON value as the wire has it: booleans are not numbers, integers are numbers without a fraction.
indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
        case .string(let value): "\"\(value.prefix(60))\""
        case .array(let values): "[… \(values.count) values]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }
}

/// Checks a JSON value against a schema of an OpenAPI 3.1 document, for the part of JSON Schema the document uses:
/// `type` (one or several, `null` included), `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `$ref` (local), `allOf`/`anyOf`/`oneOf`, string and number bounds, `pattern`, and `format` `date`,
/// `date-time`, `uuid`, `uri` (loosely).
///
/// Stricter than JSON Schema in one way, on purpose: an object schema that declares `properties` and says nothing of
/// `additionalProperties` is closed — a member it does not declare is a problem — so a field added to a DTO and not
/// to the contract fails.
struct JSONSchemaChecker {
    let document: JSONValue
    /// Names of the component schemas a value was checked against (what the samples covered).
    private(set) var visited: Set<String> = []

    init(document: JSONValue) { self.document = document }

    /// Every way the value breaks the schema, each as "path: problem"; empty when it conforms.
    mutating func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let keywords) = schema else {
            if case .bool(false) = schema { return ["\(path): no value is allowed here"] }
            return []
        }
        if let reference = keywords["$ref"]?.string {
            guard let target = resolve(reference) else { return ["\(path): unresolvable $ref \(reference)"] }
            if let name = reference.split(separator: "/").last { visited.insert(String(name)) }
            return problems(value, against: target, at: path)
        }
        var found: [String] = []

        if let all = keywords["allOf"]?.array {
            for part in all { found += problems(value, against: part, at: path) }
        }
        if let any = keywords["anyOf"]?.array {
            let failures = any.map { alternativeProblems(value, against: $0, at: path) }
            if !failures.contains(where: \.isEmpty) {
                found.append("\(path): matches none of anyOf — " + failures.map { $0.first ?? "" }.joined(separator: " | "))
            }
        }
        if let one = keywords["oneOf"]?.array {
            let failures = one.map { alternativeProblems(value, against: $0, at: path) }
            let matching = failures.filter(\.isEmpty).count
            if matching != 1 {
                found.append(
                    "\(path): matches \(matching) of oneOf, not exactly one — " + failures.map { $0.first ?? "ok" }.joined(separator: " | ")
                )
            }
        }

        if let type = keywords["type"] {
            let allowed = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            if !allowed.contains(where: { Self.has(value, type: $0) }) {
                found.append("\(path): \(value) is not of type \(allowed.joined(separator: "|"))")
                return found
            }
        }
        if let constant = keywords["const"], constant != value {
            found.append("\(path): \(value) is not the constant \(constant)")
        }
        if let options = keywords["enum"]?.array, !options.contains(value) {
            found.append("\(path): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
        }

        switch value {
        case .string(let text):
            found += stringProblems(text, keywords, at: path)
        case .number(let number):
            if let minimum = keywords["minimum"]?.number, number < minimum { found.append("\(path): \(number) < minimum \(minimum)") }
            if let maximum = keywords["maximum"]?.number, number > maximum { found.append("\(path): \(number) > maximum \(maximum)") }
        case .array(let values):
            if let minimum = keywords["minItems"]?.number, Double(values.count) < minimum {
                found.append("\(path): fewer than \(Int(minimum)) items")
            }
            if let maximum = keywords["maxItems"]?.number, Double(values.count) > maximum {
                found.append("\(path): more than \(Int(maximum)) items")
            }
            if let items = keywords["items"] {
                for (index, element) in values.enumerated() { found += problems(element, against: items, at: "\(path)[\(index)]") }
            }
        case .object(let members):
            found += objectProblems(members, keywords, at: path)
        case .null, .bool:
            break
        }
        return found
    }

    /// Problems against one alternative of anyOf/oneOf, without counting what it visited (a failed alternative covers
    /// nothing).
    private mutating func alternativeProblems(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
        let before = visited
        let found = problems(value, against: schema, at: path)
        if !found.isEmpty { visited = before }
        return found
    }

    private mutating func objectProblems(_ members: [String: JSONValue], _ keywords: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
            found.append("\(path): required member \"\(name)\" is missing")
        }
        if let minimum = keywords["minProperties"]?.number, Double(members.count) < minimum {
            found.append("\(path): fewer than \(Int(minimum)) members")
        }
        if let maximum = keywords["maxProperties"]?.number, Double(members.count) > maximum {
            found.append("\(path): more than \(Int(maximum)) members")
        }
        let properties = keywords["properties"]?.object
        let additional = keywords["additionalProperties"]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let schema = properties?[name] {
                found += problems(member, against: schema, at: "\(path).\(name)")
            } else if let additional {
                if case .bool(false) = additional {
                    found.append("\(path): member \"\(name)\" is not in the schema (additionalProperties: false)")
                } else {
                    found += problems(member, against: additional, at: "\(path).\(name)")
                }
            } else if properties != nil {
                found.append("\(path): member \"\(name)\" is not in the schema")
            }
        }
        return found
    }

    private func stringProblems(_ text: String, _ keywords: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        let length = text.unicodeScalars.count
        if let minimum = keywords["minLength"]?.number, Double(length) < minimum { found.append("\(path): shorter than \(Int(minimum))") }
        if let maximum = keywords["maxLength"]?.number, Double(length) > maximum { found.append("\(path): longer than \(Int(maximum))") }
        if let pattern = keywords["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \"\(text.prefix(60))\" does not match \(pattern)")
        }
        switch keywords["format"]?.string {
        case "date":
            if text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                found.append("\(path): \"\(text)\" is not a date")
            }
        case "date-time":
            if text.range(of: #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"#, options: .regularExpression)
                == nil
            {
                found.append("\(path): \"\(text)\" is not a date-time")
            }
        case "uuid":
            if text.range(
                of: #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#, options: .regularExpression) == nil
            {
                found.append("\(path): \"\(text)\" is not a UUID")
            }
        case "uri":
            if URL(string: text)?.scheme == nil { found.append("\(path): \"\(text)\" is not a URI") }
        default:
            break
        }
        return found
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
            true
        case ("integer", .number(let number)):
            number == number.rounded(.towardZero)
        default:
            false
        }
    }

    /// A local reference, "#/components/schemas/Name".
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }
}
