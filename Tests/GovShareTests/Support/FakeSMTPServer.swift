import Foundation
import GovShareCore
import NIOCore
import NIOPosix
import Synchronization

/// A mail relay on loopback that speaks just enough SMTP: it records each message's envelope and DATA, and answers
/// 451 ("try later") to the first `deferFirst` MAIL commands. A `silent` relay accepts connections and never answers.
final class FakeSMTPServer: Sendable {
    struct Message: Sendable { let from, to, data: String }
    private let messages = Mutex<[Message]>([])
    private let deferred = Mutex<Int>(0)
    private let channel: Mutex<(any Channel)?> = Mutex(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)
    let deferFirst: Int
    let silent: Bool
    let port = Mutex<Int>(0)
    var received: [Message] { messages.withLock { $0 } }

    init(deferFirst: Int, silent: Bool) { self.deferFirst = deferFirst; self.silent = silent }

    static func start(deferFirst: Int = 0, silent: Bool = false) async throws -> FakeSMTPServer {
        let server = FakeSMTPServer(deferFirst: deferFirst, silent: silent)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
            }
        server.port.withLock { $0 = listener.channel.localAddress?.port ?? 0 }
        server.channel.withLock { $0 = listener.channel }
        server.task.withLock {
            $0 = Task {
                try? await listener.executeThenClose { inbound in
                    for try await connection in inbound { await server.serve(connection) }
                }
            }
        }
        return server
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await connection.executeThenClose { inbound, outbound in
            if silent {
                for try await _ in inbound {}
                return
            }
            try await outbound.write(ByteBuffer(string: "220 fake relay\r\n"))
            var pending = "", from = "", to = "", data: String?
            for try await buffer in inbound {
                pending += String(buffer: buffer)
                while let range = pending.range(of: "\r\n") {
                    let line = String(pending[..<range.lowerBound])
                    pending.removeSubrange(..<range.upperBound)
                    if var body = data {
                        if line == "." {
                            messages.withLock { $0.append(Message(from: from, to: to, data: body)) }
                            data = nil
                            try await outbound.write(ByteBuffer(string: "250 queued\r\n"))
                        } else {
                            body += line + "\r\n"; data = body
                        }
                        continue
                    }
                    let verb = line.prefix(4).uppercased()
                    switch verb {
                    case "EHLO": try await outbound.write(ByteBuffer(string: "250-fake relay\r\n250 8BITMIME\r\n"))
                    case "MAIL":
                        let deferThis = deferred.withLock { count -> Bool in
                            count += 1; return count <= deferFirst
                        }
                        from = line
                        try await outbound.write(ByteBuffer(string: deferThis ? "451 try later\r\n" : "250 ok\r\n"))
                    case "RCPT": to = line; try await outbound.write(ByteBuffer(string: "250 ok\r\n"))
                    case "DATA": data = ""; try await outbound.write(ByteBuffer(string: "354 go on\r\n"))
                    case "QUIT": try await outbound.write(ByteBuffer(string: "221 bye\r\n")); return
                    default: try await outbound.write(ByteBuffer(string: "502 not here\r\n"))
                    }
                }
            }
        }
    }

    func stop() async {
        try? await channel.withLock { $0 }?.close()
        await task.withLock { $0 }?.value
    }
}
