import GovShareCore
import GovShareServer
import GovShareStore

/// The store under a platform, for tests that arrange or inspect what the services keep (a stored deadline, the
/// audit chain, a race between two writers). The server and the command line have no such door: `Platform` keeps no
/// repository (Tools/check_architecture.sh).
struct PlatformStorage {
    let context: StoreContext

    var auditLog: SQLAuditLog { SQLAuditLog(context: context) }
    var departments: SQLDepartmentRepository { SQLDepartmentRepository(context: context) }
    var accountRepository: SQLAccountRepository { SQLAccountRepository(context: context) }
    var deadlines: SQLDeadlineRepository { SQLDeadlineRepository(context: context) }
    var applicationRepository: SQLApplicationRepository { SQLApplicationRepository(context: context) }
}

extension Platform {
    var storage: PlatformStorage { PlatformStorage(context: StoreContext(database: database, nodeId: config.nodeId, clock: clock)) }
}
