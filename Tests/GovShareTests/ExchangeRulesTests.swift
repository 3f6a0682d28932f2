import GovShareCore
import Testing

@Suite("Exchange rules: identifiers, masking, row validation")
struct ExchangeRulesTests {
    @Test func residentIdCheckCharacter() {
        #expect(ResidentID.problem(in: "11010519491231002X") == nil)
        #expect(ResidentID.problem(in: "440106199001011234") == .checkCharacter || ResidentID.problem(in: "440106199001011234") == nil)
        let prefix = "44010619900101123"
        let valid = prefix + String(ResidentID.checkCharacter(for: prefix)!)
        #expect(ResidentID.problem(in: valid) == nil)
        let wrong = prefix + (valid.last == "0" ? "1" : "0")
        #expect(ResidentID.problem(in: wrong) == .checkCharacter)
        #expect(ResidentID.problem(in: "4401061990010112") == .length)
        #expect(ResidentID.problem(in: "44010619901301123X") == .birthDate)
        #expect(ResidentID.problem(in: "4401061990010112A4") == .character)
    }

    @Test func divisionCodes() {
        #expect(DivisionCode.isValid("440106"))
        #expect(DivisionCode.isValid("440000"))
        #expect(!DivisionCode.isValid("990106"))
        #expect(!DivisionCode.isValid("440006"))
        #expect(!DivisionCode.isValid("44010"))
    }

    static func column(_ name: String, sensitivity: Int, type: ItemDataType = .C, rule: ItemRule? = nil) -> DatasetColumn {
        DatasetColumn(
            itemCode: "X", itemName: name, column: "c0", dataType: type, length: 50, required: false, rule: rule,
            shareType: .unconditional, sensitivity: sensitivity)
    }

    @Test func maskingFollowsGradeAndKind() {
        let id = MaskRule.forColumn(Self.column("公民身份号码", sensitivity: 4, rule: .residentId))
        #expect(id == .residentId)
        #expect(id.apply("11010519491231002X") == "110105********002X")
        #expect(MaskRule.forColumn(Self.column("姓名", sensitivity: 3)).apply("张三丰") == "张**")
        #expect(MaskRule.personName.apply("欧阳修") == "欧阳*")
        #expect(MaskRule.forColumn(Self.column("联系电话", sensitivity: 3)).apply("13812345678") == "138****5678")
        #expect(MaskRule.forColumn(Self.column("性别", sensitivity: 2)) == .clear)
        #expect(MaskRule.forColumn(Self.column("缴费基数", sensitivity: 4, type: .Y)).apply("8000") == "******")
        #expect(MaskRule.forColumn(Self.column("户籍地址", sensitivity: 3)).apply("广东省广州市天河区") == "广东省******")
    }

    /// Masking reads UTF-8 bytes in place; it must agree with the plain definition on Unicode scalars for any text:
    /// ASCII, Chinese, four-byte scalars, short and empty values.
    @Test func maskingAgreesWithItsDefinitionOnScalars() {
        func reference(_ rule: MaskRule, _ value: String) -> String {
            let scalars = Array(value.unicodeScalars), count = scalars.count
            func text(_ first: Int, _ stars: Int, _ last: Int = 0) -> String {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[..<first])
                view.append(contentsOf: repeatElement("*", count: stars))
                view.append(contentsOf: scalars[(count - last)...])
                return String(view)
            }
            func keep(_ first: Int, _ last: Int) -> String {
                count > first + last ? text(first, count - first - last, last) : String(repeating: "*", count: count)
            }
            switch rule {
            case .clear: return value
            case .full: return "******"
            case .residentId: return keep(6, 4)
            case .phone: return keep(3, 4)
            case .lastFour: return keep(0, 4)
            case .firstThird: return keep(count / 3, 0)
            case .personName:
                guard count > 1 else { return "*" }
                let surname = count >= 4 || MaskRule.compoundSurnames.contains(text(2, 0)) ? 2 : 1
                return text(surname, count - surname)
            }
        }
        let alphabet: [Unicode.Scalar] = ["1", "X", "a", "张", "欧", "阳", "广", "é", "𠀋", "😀", " "]
        var generator = SystemRandomNumberGenerator()
        var samples = ["", "1", "王", "欧阳", "欧阳修", "司马相如", "11010519491231002X", "13812345678", "广东省广州市天河区"]
        for _ in 0..<500 {
            var view = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...20, using: &generator) { view.append(alphabet.randomElement(using: &generator)!) }
            samples.append(String(view))
        }
        for rule in [MaskRule.clear, .full, .residentId, .phone, .lastFour, .firstThird, .personName] {
            for value in samples { #expect(rule.apply(value) == reference(rule, value), "\(rule) \(value)") }
        }
    }

    @Test func rowValidatorNamesItemAndRule() {
        let columns = [
            DatasetColumn(
                itemCode: "ID", itemName: "公民身份号码", column: "c0", dataType: .C, length: 18, required: true,
                rule: .residentId, shareType: .unconditional, sensitivity: 4),
            DatasetColumn(
                itemCode: "AMT", itemName: "金额", column: "c1", dataType: .Y, length: nil, required: false,
                rule: nil, shareType: .unconditional, sensitivity: 1),
            DatasetColumn(
                itemCode: "DAY", itemName: "日期", column: "c2", dataType: .D, length: nil, required: true,
                rule: nil, shareType: .unconditional, sensitivity: 1),
        ]
        let dataset = Dataset(
            id: "d", entryId: "e", entryCode: "301001/000001", entryVersion: 1, providerId: "p", columns: columns,
            primaryKey: "ID", updateCycle: .daily, rowCount: 0, lastUpdatedAt: nil, nodeId: "n", createdAt: "")
        let validator = RowValidator(dataset: dataset)
        guard case .valid(let row) = validator.validate(["公民身份号码": "11010519491231002X", "AMT": "12.5", "DAY": "2026-01-02"], row: 2) else {
            Issue.record("a valid row was refused"); return
        }
        #expect(row.key == "11010519491231002X")
        #expect(row.values[1] == .number(12.5))
        guard case .invalid(let problems) = validator.validate(["ID": "110105194912310021", "AMT": "abc", "DAY": nil], row: 3) else {
            Issue.record("an invalid row was accepted"); return
        }
        #expect(Set(problems.map(\.rule)) == ["resident_id", "type", "required"])
        #expect(problems.allSatisfy { $0.row == 3 })
        #expect(validator.checkHeader(["金额", "无此项"]).map(\.rule).sorted() == ["primary_key_required", "unknown_item"])
    }

    @Test func numbersKeepTheirDigitsAndRulesApplyToEveryType() {
        let numeric = { (rule: ItemRule?) in
            DatasetColumn(
                itemCode: "N", itemName: "数", column: "c0", dataType: .N, length: nil, required: false,
                rule: rule, shareType: .unconditional, sensitivity: 1)
        }
        let rule = { (text: String, column: DatasetColumn) -> String? in
            let dataset = Dataset(
                id: "d", entryId: "e", entryCode: "301001/000002", entryVersion: 1, providerId: "p", columns: [column],
                primaryKey: "N", updateCycle: .daily, rowCount: 0, lastUpdatedAt: nil, nodeId: "n", createdAt: "")
            if case .invalid(let problems) = RowValidator(dataset: dataset).validate(["N": text], row: 2) { return problems.first?.rule }
            return nil
        }
        // 18 digits would be stored rounded (two keys colliding); 15 significant digits are exact.
        #expect(rule("123456789012345678", numeric(nil)) == "precision")
        #expect(rule("123456789012345", numeric(nil)) == nil)
        #expect(rule("0.100000000000000000", numeric(nil)) == nil)
        // A rule declared on a numeric item is still checked.
        #expect(rule("999999", numeric(.divisionCode)) == "division_code")
        #expect(rule("440106", numeric(.divisionCode)) == nil)
        // An ID number cannot be born after today.
        #expect(ResidentID.problem(in: "110101209901010017", today: "2026-12-01") == .birthDate)
        #expect(ResidentID.problem(in: "110101209901010017") == nil)
    }
}
