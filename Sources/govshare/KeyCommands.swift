import ArgumentParser
import Foundation
import GovShareCore
import GovShareServer

/// Key custody (docs/key-custody.md): which key-encryption key wraps which stored keys, and its online rotation.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract:
            "Key-encryption key status and online rotation; datasets' encryption at rest (docs/key-custody.md, docs/encryption-at-rest.md).",
        subcommands: [Status.self, Rotate.self, Dataset.self, Reencrypt.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The current and retired KEKs and how many stored keys each wraps.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            let status = try await CommandRunner.run(common) { platform in
                try await platform.keyCustody.status(by: CommandRunner.actor)
            }
            print("custody: \(status.custody)")
            print("current KEK: \(status.currentId)")
            print("retired KEKs: \(status.retiredIds.isEmpty ? "(none)" : status.retiredIds.joined(separator: ", "))")
            if status.rotationPending { print("a rotation was begun and not finished: run `govshare keys rotate` again") }
            for count in status.rows {
                let mark = count.keyEncryptionKeyId == status.currentId ? "current" : "to re-wrap"
                print("  \(count.kind.rawValue)\t\(count.keyEncryptionKeyId)\t\(count.rows) rows\t(\(mark))")
            }
            for (kek, n) in status.backups.sorted(by: { $0.key < $1.key }) {
                print("  backups\t\(kek)\t\(n) completed backups need this KEK to be restored")
            }
            print("remaining to re-wrap: \(status.remaining)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make a new KEK current (the old one kept retired) and re-wrap every stored key, row by row; a rerun after a kill finishes the rest."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "Rows re-wrapped per transaction (1-500).") var batch: Int = 50
        @Option(name: .customLong("pause-ms"), help: "Pause between batches in milliseconds (0-10000), to spare a busy server.")
        var pauseMs: Int = 0
        func run() async throws {
            guard (1...500).contains(batch) else { throw ValidationError("--batch: 1-500") }
            guard (0...10_000).contains(pauseMs) else { throw ValidationError("--pause-ms: 0-10000") }
            let result = try await CommandRunner.run(common) { platform in
                try await platform.keyCustody.rotate(
                    by: CommandRunner.actor, origin: CommandRunner.origin, batchSize: batch, pauseMilliseconds: pauseMs
                ) {
                    done, total in
                    // Unbuffered, so a watcher sees each batch as it commits.
                    FileHandle.standardOutput.write(Data("re-wrapped \(done) of \(total)\n".utf8))
                }
            }
            if result.startedNewKey, let previous = result.previousId {
                print("new KEK \(result.currentId) is current; \(previous) is kept retired")
            } else {
                print("finished an earlier rotation: \(result.currentId) is current")
            }
            print("rotation complete: \(result.rewrapped) rows re-wrapped; every stored key is under \(result.currentId)")
        }
    }

    struct Dataset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A dataset's encrypted items, key versions and re-encryption jobs.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The dataset's resource code, e.g. 101001/000001.") var code: String
        func run() async throws {
            let status = try await CommandRunner.run(common) { platform in
                try await platform.datasetEncryption.status(code: code, by: CommandRunner.actor)
            }
            let items = { (columns: [String]) in status.dataset.itemCodes(ofColumns: columns).joined(separator: ", ") }
            print("dataset \(status.dataset.entryCode): \(status.dataset.rowCount) rows")
            print("encrypted items: \(status.dataset.encryptedColumns.isEmpty ? "(none)" : items(status.dataset.encryptedColumns))")
            if status.dataset.encryptionPending { print("rows with clear graded values remain: a re-encryption is due") }
            for k in status.keyVersions {
                print("  key v\(k.version)\t\(k.state.rawValue)\t\(k.keyEncryptionKeyId)\t\(k.createdAt)\t\(items(k.columns))")
            }
            for j in status.jobs {
                print("  job \(j.id)\t\(j.state.rawValue)\t\(j.reason.rawValue)\tv\(j.targetVersion)\t\(j.rowsDone)/\(j.rowsTotal)")
            }
        }
    }

    struct Reencrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-encrypt a dataset's graded values (under a new data key with --new-key), batch by batch with progress; a rerun after a kill resumes the running job from its last committed batch."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The dataset's resource code, e.g. 101001/000001.") var code: String
        @Flag(name: .customLong("new-key"), help: "Move every row to a fresh data key (the index key is kept).") var newKey = false
        func run() async throws {
            let done = try await CommandRunner.run(common) { platform in
                let service = platform.datasetEncryption
                let job: ReencryptionJob
                if let running = try await service.running(code: code, by: CommandRunner.actor) {
                    FileHandle.standardOutput.write(
                        Data("resuming job \(running.id) at \(running.rowsDone) of \(running.rowsTotal) rows\n".utf8))
                    job = running
                } else {
                    job = try await service.start(code: code, newKey: newKey, by: CommandRunner.actor, origin: CommandRunner.origin)
                    FileHandle.standardOutput.write(Data("job \(job.id): re-encrypting to key v\(job.targetVersion)\n".utf8))
                }
                return try await service.run(jobId: job.id, by: CommandRunner.actor) { progress in
                    // Unbuffered, so a watcher sees each batch as it commits.
                    FileHandle.standardOutput.write(Data("re-encrypted \(progress.rowsDone) of \(progress.rowsTotal)\n".utf8))
                }
            }
            print("re-encryption complete: \(done.rowsDone) rows on key v\(done.targetVersion)")
        }
    }
}
