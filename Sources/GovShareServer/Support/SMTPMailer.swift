import Foundation
import GovShareCore
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one plain-text UTF-8 message per call. The body goes base64-encoded, so no line can end the DATA section.
public struct SMTPMailer: Sendable {
    let settings: SMTPSettings
    /// How long one conversation with the relay may take in all.
    let sessionLimit: TimeAmount

    public init(settings: SMTPSettings, sessionLimit: TimeAmount = .seconds(60)) {
        self.settings = settings; self.sessionLimit = sessionLimit
    }

    public func send(to recipient: String, subject: String, body: String, messageId: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.implicitTLS {
                        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: settings.host))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // A relay that accepts and then stalls must not hold the scheduler (pulls, reminders, escalations share it):
        // the whole conversation gets a minute, then the connection is closed and the send fails (and is retried).
        let watchdog = channel.channel.eventLoop.scheduleTask(in: sessionLimit) { channel.channel.close(promise: nil) }
        defer { watchdog.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            let capabilities = try await session.command("EHLO govshare", expect: 250)
            if !settings.implicitTLS && capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) {
                // The relay offers encryption: take it. TLS goes in front of the async channel's own handlers.
                _ = try await session.command("STARTTLS", expect: 220)
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                try await channel.channel.pipeline.addHandler(
                    try NIOSSLClientHandler(context: context, serverHostname: settings.host),
                    position: .first
                ).get()
                _ = try await session.command("EHLO govshare", expect: 250)
            } else if !settings.implicitTLS && settings.username != nil {
                throw SMTPError("the relay does not offer STARTTLS; the password is not sent in clear (use smtps://)")
            }
            if let user = settings.username {
                let token = Data(([0] + Array(user.utf8) + [0] + Array((settings.password ?? "").utf8))).base64EncodedString()
                _ = try await session.command("AUTH PLAIN \(token)", expect: 235)
            }
            _ = try await session.command("MAIL FROM:<\(settings.from)>", expect: 250)
            _ = try await session.command("RCPT TO:<\(recipient)>", expect: 250, 251)
            _ = try await session.command("DATA", expect: 354)
            try await session.write(
                Self.message(from: settings.from, to: recipient, subject: subject, body: body, messageId: messageId) + "\r\n.\r\n")
            try await session.expect(250)
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    static func message(from: String, to: String, subject: String, body: String, messageId: String, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedBody = Data(body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return [
            "From: <\(from)>", "To: <\(to)>", "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(messageId)@govshare>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", encodedBody,
        ].joined(separator: "\r\n")
    }
}

/// Line-oriented replies over an async channel: multi-line replies ("250-…") are read to their last line ("250 …").
struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending = ""

    init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound; self.outbound = outbound
    }

    mutating func line() async throws -> String {
        while true {
            if let range = pending.range(of: "\r\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return line
            }
            guard let buffer = try await inbound.next() else { throw SMTPError("the relay closed the connection") }
            pending += String(buffer: buffer)
            if pending.utf8.count > 64 * 1024 { throw SMTPError("the relay's reply is too long") }
        }
    }

    /// Reads one reply; throws unless its code is one of `codes`. Returns the reply's lines without their codes.
    @discardableResult
    mutating func expect(_ codes: Int...) async throws -> [String] { try await reply(codes, after: "greeting") }

    /// Sends a command and reads its reply. Errors name only the command's verb: AUTH carries a credential.
    @discardableResult
    mutating func command(_ text: String, expect codes: Int...) async throws -> [String] {
        try await write(text + "\r\n")
        return try await reply(codes, after: String(text.split(separator: " ").first ?? ""))
    }

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    private mutating func reply(_ codes: [Int], after verb: String) async throws -> [String] {
        var lines: [String] = []
        while true {
            let line = try await line()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPError("unexpected reply to \(verb): \(line.prefix(200))")
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                guard codes.contains(code) else { throw SMTPError("\(verb) refused: \(line.prefix(200))") }
                return lines
            }
        }
    }
}
