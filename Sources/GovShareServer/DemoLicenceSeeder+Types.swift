import GovShareCore

/// The demo's licence types, each on the catalog entry its issuer publishes.
extension DemoLicenceSeeder {
    static func field(_ item: String, _ zh: String, _ en: String, required: Bool = true) -> LicenceField {
        LicenceField(item: item, nameZh: zh, nameEn: en, required: required)
    }

    static func businessLicence(entry: String) -> NewLicenceType {
        NewLicenceType(
            code: "yyzz", nameZh: "营业执照", nameEn: "Business licence", holderKind: .enterprise, holderItem: "TYSHXYDM",
            holderNameItem: "QYMC", numberItem: "TYSHXYDM", entryCode: entry,
            fields: [
                field("QYMC", "名称", "Name"), field("QYLX", "类型", "Type"), field("FDDBR", "法定代表人", "Legal representative"),
                field("ZCZB", "注册资本（万元）", "Registered capital (10,000 yuan)", required: false),
                field("CLRQ", "成立日期", "Date of establishment"), field("YYQXZ", "营业期限自", "Term from"),
                field("YYQXJZ", "营业期限至", "Term until", required: false), field("ZS", "住所", "Domicile"),
                field("JYFW", "经营范围", "Business scope"), field("DJJG", "登记机关", "Registration authority"),
            ])
    }

    static func foodLicence(entry: String) -> NewLicenceType {
        NewLicenceType(
            code: "spjyxkz", nameZh: "食品经营许可证", nameEn: "Food business licence", holderKind: .enterprise,
            holderItem: "TYSHXYDM", holderNameItem: "JYZMC", numberItem: "XKZBH", entryCode: entry,
            fields: [
                field("JYZMC", "经营者名称", "Operator"), field("FDDBR", "法定代表人（负责人）", "Legal representative"),
                field("ZS", "住所", "Domicile"), field("JYCS", "经营场所", "Premises"), field("ZTYT", "主体业态", "Business form"),
                field("JYXM", "经营项目", "Business items"), field("FZJG", "发证机关", "Issuing authority"),
                field("FZRQ", "发证日期", "Date of issue"), field("YXQZ", "有效期至", "Valid until"),
            ])
    }

    static func householdRegister(entry: String) -> NewLicenceType {
        NewLicenceType(
            code: "hkb", nameZh: "居民户口簿", nameEn: "Household register", holderKind: .resident, holderItem: "GMSFHM",
            holderNameItem: "XM", numberItem: nil, entryCode: entry,
            fields: [
                field("XM", "姓名", "Name"), field("XB", "性别", "Sex"), field("MZ", "民族", "Ethnicity"),
                field("CSRQ", "出生日期", "Date of birth"), field("HJDZ", "住址", "Address"),
                field("HZXM", "户主姓名", "Head of household"), field("YHZGX", "与户主关系", "Relation to the head"),
                field("HJDJJG", "登记机关", "Registration office"),
            ])
    }

    static func marriageCertificate(entry: String) -> NewLicenceType {
        NewLicenceType(
            code: "jhz", nameZh: "结婚证", nameEn: "Marriage certificate", holderKind: .resident, holderItem: "NANFGMSFHM",
            holderNameItem: "NANFXM", numberItem: "HYDJZZH", entryCode: entry,
            fields: [
                field("NANFXM", "男方姓名", "Husband's name"), field("NANFGMSFHM", "男方公民身份号码", "Husband's ID number"),
                field("NVFXM", "女方姓名", "Wife's name"), field("NVFGMSFHM", "女方公民身份号码", "Wife's ID number"),
                field("DJLX", "登记类型", "Registration"), field("DJRQ", "登记日期", "Date of registration"),
                field("DJJG", "登记机关", "Registry"),
            ])
    }
}
