import PostgresNIO

/// How an error goes into the log: for PostgreSQL errors the SQLSTATE and the names of the table, column, constraint
/// and routine, never the server's message or detail, which quote values (`Key (gmsfhm)=(440…) already exists`) —
/// personal data has no place in the log. Bound values are already masked by PostgresNIO.
public enum LoggableError {
    public static func describe(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return String(reflecting: error) }
        let info = psql.serverInfo
        let fields: [(String, String?)] = [
            ("sqlState", info?[.sqlState]), ("table", info?[.tableName]), ("column", info?[.columnName]),
            ("constraint", info?[.constraintName]), ("routine", info?[.routine]),
        ]
        let known = fields.compactMap { name, value in value.map { "\(name): \($0)" } }
        return "PSQLError(code: \(psql.code)" + (known.isEmpty ? "" : ", " + known.joined(separator: ", ")) + ")"
    }
}
