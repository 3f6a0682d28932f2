/// The longest value each identifier and free-text field accepts, in characters (docs/security.md lists them).
/// Every field a caller can fill has a cap, so no request can make the database or the audit log grow by more than a
/// bounded amount; a value over its cap is refused with 422 naming the field and the rule `max_length` (or
/// `max_count` for lists) before anything is read or written.
public enum InputLimits {
    // MARK: Sign-in (reachable without signing in, so checked before any database read or audit write)

    /// Usernames are 3–64 characters (AccountAdministration's pattern).
    public static let username = 64
    /// Client ids are `gs_` and 16 base64url characters; 64 leaves room without letting anything large through.
    public static let clientId = 64
    /// A password or client secret offered at sign-in. Passwords are set at 12–128 characters (`password`); bcrypt
    /// compares only their first 72 bytes, so this cap bounds the work and the request, not the comparison.
    public static let signInSecret = 256
    /// The body of `POST /api/v1/auth/token`: the four fields above and JSON punctuation fit well within it.
    public static let signInBodyBytes = 8 * 1024
    /// The longest password the password policy accepts.
    public static let password = 128

    // MARK: Accounts and organisations

    public static let displayName = 100
    public static let clientName = 100
    public static let departmentCode = 18
    public static let roles = 10

    // MARK: Sharing applications (Art. 19)

    public static let entryCode = 64
    public static let itemCode = 64
    /// Items applied for, approved or refused in one application.
    public static let items = 200
    public static let purpose = 1000
    public static let business = 1000
    public static let basis = 1000
    public static let contact = 200
    public static let dataManager = 200
    /// Systems or people who will use the data (`users[]`): how many, and how long each.
    public static let users = 50
    public static let userName = 200
    public static let reason = 500
    public static let conditions = 1000
    public static let legalInstrument = 200
    public static let legalArticle = 100
    public static let question = 2000
    public static let answer = 4000

    // MARK: Accountability and delivery

    public static let misuseText = 4000
    public static let webhookURL = 500
    public static let mailAddress = 254
    public static let fileName = 200
    public static let mediaType = 127

    // MARK: Calendar

    /// A holiday's or adjusted working day's name in the calendar CSV.
    public static let holidayName = 100

    // MARK: Business systems

    public static let systemName = 200
    /// Catalog entries one business system plans.
    public static let plannedEntries = 200
}

extension Validator {
    /// Refuses a present value longer than `maxLength` characters (absent or empty values are left to other rules).
    /// Length is counted in characters and, so that a few characters built from thousands of combining marks cannot
    /// pass either, also in UTF-8 bytes (at most four per character).
    public mutating func limit(_ value: String?, field: String, maxLength: Int) {
        guard let value, InputLimits.exceeds(value, maxLength) else { return }
        fail(field, "max_length", zh: "\(field) 不能超过 \(maxLength) 个字符", en: "\(field) must be at most \(maxLength) characters")
    }

    /// Refuses a list with more than `maxCount` elements, or any element longer than `maxLength` (named `field[i]`).
    public mutating func limit(_ values: [String]?, field: String, maxCount: Int, maxLength: Int) {
        guard let values else { return }
        if values.count > maxCount {
            fail(field, "max_count", zh: "\(field) 最多 \(maxCount) 项", en: "\(field) has at most \(maxCount) entries")
            return
        }
        for (i, value) in values.enumerated() { limit(value, field: "\(field)[\(i)]", maxLength: maxLength) }
    }
}

extension InputLimits {
    /// Whether `value` is over `maxLength`; the byte count (constant time for native strings) is checked first, so a
    /// huge value is refused without walking its grapheme clusters.
    public static func exceeds(_ value: String, _ maxLength: Int) -> Bool {
        value.utf8.count > maxLength * 4 || value.count > maxLength
    }
}

extension Validator {
    /// An uploaded attachment: its name, its media type, not empty, at most `maxBytes`.
    public mutating func attachment(fileName: String?, mediaType: String?, bytes: Int, maxBytes: Int) {
        require(fileName, field: "file_name", maxLength: InputLimits.fileName)
        limit(mediaType, field: "media_type", maxLength: InputLimits.mediaType)
        if bytes == 0 { fail("file", "required", zh: "附件内容为空", en: "The attachment is empty") }
        if bytes > maxBytes {
            fail("file", "max_size", zh: "附件不能超过 \(maxBytes >> 20) MB", en: "Attachments are at most \(maxBytes >> 20) MB")
        }
    }
}
