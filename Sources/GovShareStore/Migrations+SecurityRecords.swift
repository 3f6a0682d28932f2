extension Migrator {
    /// Issue 15, item 2 (Art. 27): security incidents with their deadlines and append-only handling log, the
    /// departments an incident names as affected, emergency plans with numbered versions, drills with follow-ups, and
    /// the drill reminders already sent (one per department, kind and due date).
    static let securityRecords = Migration(version: 35, name: "security_records") { _ in
        [
            """
            CREATE TABLE incidents (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, department_id TEXT NOT NULL, level TEXT NOT NULL,
                status TEXT NOT NULL, occurred_at TEXT NOT NULL, reported_at TEXT NOT NULL, report_due_at TEXT NOT NULL,
                reported_late INTEGER NOT NULL, close_due_at TEXT NOT NULL, closed_at TEXT, title TEXT NOT NULL,
                description TEXT NOT NULL, reported_by TEXT NOT NULL, reporter_name TEXT NOT NULL,
                affected_entries TEXT NOT NULL, closure_cause TEXT, closure_impact TEXT, closure_measures TEXT,
                updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX incidents_department ON incidents(department_id, reported_at)",
            "CREATE INDEX incidents_status ON incidents(status, close_due_at)",
            """
            CREATE TABLE incident_departments (
                incident_id TEXT NOT NULL, department_id TEXT NOT NULL, PRIMARY KEY (incident_id, department_id))
            """,
            "CREATE INDEX incident_departments_department ON incident_departments(department_id)",
            """
            CREATE TABLE incident_log (
                id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, node_id TEXT NOT NULL, at TEXT NOT NULL,
                actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, action TEXT NOT NULL, note TEXT)
            """,
            "CREATE INDEX incident_log_incident ON incident_log(incident_id, at)",
            """
            CREATE TABLE emergency_plans (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, department_id TEXT NOT NULL, title TEXT NOT NULL,
                current_version INTEGER NOT NULL, effective_on TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX emergency_plans_department ON emergency_plans(department_id)",
            """
            CREATE TABLE emergency_plan_versions (
                id TEXT PRIMARY KEY, plan_id TEXT NOT NULL, node_id TEXT NOT NULL, version INTEGER NOT NULL,
                title TEXT NOT NULL, body TEXT NOT NULL, effective_on TEXT NOT NULL, approved_by TEXT NOT NULL,
                recorded_by TEXT NOT NULL, recorded_by_name TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX emergency_plan_versions_number ON emergency_plan_versions(plan_id, version)",
            """
            CREATE TABLE drills (
                id TEXT PRIMARY KEY, node_id TEXT NOT NULL, department_id TEXT NOT NULL, held_on TEXT NOT NULL,
                scenario TEXT NOT NULL, plan_id TEXT, plan_version INTEGER, participants TEXT NOT NULL,
                findings TEXT NOT NULL, recorded_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX drills_department ON drills(department_id, held_on)",
            """
            CREATE TABLE drill_follow_ups (
                id TEXT PRIMARY KEY, drill_id TEXT NOT NULL, node_id TEXT NOT NULL, description TEXT NOT NULL,
                owner TEXT NOT NULL, done INTEGER NOT NULL, done_at TEXT, done_by TEXT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX drill_follow_ups_drill ON drill_follow_ups(drill_id)",
            """
            CREATE TABLE drill_reminders (
                department_id TEXT NOT NULL, kind TEXT NOT NULL, due_on TEXT NOT NULL, node_id TEXT NOT NULL,
                sent_at TEXT NOT NULL, PRIMARY KEY (department_id, kind, due_on))
            """,
        ]
    }
}
