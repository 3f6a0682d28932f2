import GovShareCore
import Synchronization

/// How many peer messages this node reads at once. The sender is known only by a header until the signature verifies,
/// and peer ids are public, so anyone can make the server read a message body (up to `NodeEnvelope.maximumRequest`,
/// 16 MiB, held a few times while it is decoded and hashed): one body per sender at a time — a link delivers in order,
/// so a real peer never has two in flight — and `total` in all. Beyond that the answer is 503 `node_busy`, which the
/// sender's outbox retries with backoff like any failed delivery.
final class NodeIntake: Sendable {
    let total: Int
    private let reading = Mutex<Set<String>>([])

    init(total: Int = 4) { self.total = total }

    /// Reserves a slot for `sender`; the caller releases it with `release` once the message is answered.
    func reserve(_ sender: String) throws {
        let taken = reading.withLock { senders -> Bool in
            guard senders.count < total, !senders.contains(sender) else { return false }
            senders.insert(sender)
            return true
        }
        guard taken else {
            throw DomainError(
                .unavailable, code: "node_busy",
                message: LocalizedText(
                    zh: "本节点正在接收其他节点消息或本节点上一条消息尚未处理完，请稍后重试",
                    en: "This node is reading other peers' messages or this peer's previous one; retry later"))
        }
    }

    func release(_ sender: String) {
        _ = reading.withLock { $0.remove(sender) }
    }
}
