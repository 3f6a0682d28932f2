import GovShareCore

extension Migrator {
    static let foundationSchema = Migration(version: 1, name: "foundation schema") { _ in
        [
            """
            CREATE TABLE regions (
                code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL,
                parent_code TEXT REFERENCES regions(code))
            """,
            """
            CREATE TABLE departments (
                id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT,
                level TEXT NOT NULL, region_code TEXT NOT NULL REFERENCES regions(code), kind TEXT NOT NULL,
                system_parent_id TEXT REFERENCES departments(id), node_id TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX departments_region ON departments(region_code)",
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
                department_id TEXT NOT NULL REFERENCES departments(id), password_hash TEXT NOT NULL,
                status TEXT NOT NULL, failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until TEXT,
                node_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE user_roles (
                user_id TEXT NOT NULL REFERENCES users(id), department_id TEXT NOT NULL REFERENCES departments(id),
                role TEXT NOT NULL, PRIMARY KEY (user_id, department_id, role))
            """,
            """
            CREATE TABLE api_clients (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                department_id TEXT NOT NULL REFERENCES departments(id), secret_hash TEXT NOT NULL,
                roles TEXT NOT NULL, status TEXT NOT NULL, node_id TEXT NOT NULL, created_at TEXT NOT NULL,
                revoked_at TEXT)
            """,
            """
            CREATE TABLE audit_events (
                seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, occurred_at TEXT NOT NULL,
                actor_kind TEXT NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
                department_id TEXT NOT NULL, action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,
                outcome TEXT NOT NULL, before_state TEXT, after_state TEXT, detail TEXT, request_id TEXT NOT NULL,
                client_address TEXT NOT NULL, node_id TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            "CREATE INDEX audit_events_action ON audit_events(action, seq)",
            "CREATE INDEX audit_events_actor ON audit_events(actor_id, seq)",
            "CREATE INDEX audit_events_object ON audit_events(object_id, seq)",
            // The chain head: one row, locked by each append so concurrent writers cannot fork the chain.
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(AuditEvent.genesisHash)')",
            """
            CREATE TABLE calendar_days (
                day TEXT PRIMARY KEY, kind TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL)
            """,
            "CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, source TEXT NOT NULL, imported_at TEXT NOT NULL)",
            """
            CREATE TABLE deadlines (
                id TEXT PRIMARY KEY, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, received_on TEXT NOT NULL,
                working_days INTEGER NOT NULL, due_on TEXT NOT NULL, provisional BOOLEAN NOT NULL,
                status TEXT NOT NULL, node_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX deadlines_open ON deadlines(status, provisional)",
        ]
    }

    /// Guangdong and its cities, and the official calendar shipped with the release.
    static let foundationSeed = Migration(version: 2, name: "regions and bundled calendar") { _ in
        var statements = GuangdongRegions.all.map { region in
            "INSERT INTO regions (code, name_zh, name_en, level, parent_code) VALUES ('\(region.code)', '\(region.nameZh)', '\(region.nameEn)', '\(region.level.rawValue)', \(region.parentCode.map { "'\($0)'" } ?? "NULL"))"
        }
        let calendar = try CalendarCSV.bundled()
        do {
            let now = Timestamp.format(.now)
            statements += calendar.days.map { day in
                "INSERT INTO calendar_days (day, kind, name_zh, name_en) VALUES ('\(day.date)', '\(day.kind.rawValue)', '\(sqlText(day.nameZh))', '\(sqlText(day.nameEn))')"
            }
            statements += calendar.years.sorted().map {
                "INSERT INTO calendar_years (year, source, imported_at) VALUES (\($0), 'bundled', '\(now)')"
            }
        }
        return statements
    }

    /// Literal text for the fixed seed statements above (their values ship with the code, never from users).
    private static func sqlText(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }

    /// When a user's sessions and tokens were last ended (sign-out, password reset, disabling): earlier ones are refused.
    static let tokensValidAfter = Migration(version: 18, name: "users_tokens_valid_after") { kind in
        ["ALTER TABLE users ADD COLUMN tokens_valid_after_ms \(kind == .postgres ? "BIGINT" : "INTEGER") NOT NULL DEFAULT 0"]
    }
}
