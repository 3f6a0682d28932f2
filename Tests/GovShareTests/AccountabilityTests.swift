import Crypto
import Foundation
import GovShareCore
import GovShareServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Art. 21 and delivery: usage per grant for holder and provider, misuse cases, grants narrowed by a catalog change,
/// attachments with checksums, signed webhook deliveries retried with backoff.
@Suite("Accountability and notification delivery")
struct AccountabilityTests {
    /// Applies for 公民身份号码 and 户籍地址 of 居民户籍信息 and has both reviewers approve both; returns (code, grant id).
    static func approvedGrant(_ client: any TestClientProtocol) async throws -> (code: String, grantId: String, applicationId: String) {
        let applicant = try await client.token("hrss_user")
        let code = try await ApplicationTests.householdCode(client, applicant)
        let id = try #require(try await ApplicationTests.apply(client, applicant, code: code, until: "2027-06-30")["id"] as? String)
        _ = try await client.json(
            .post, "/api/v1/applications/\(id)/review", token: try await client.token("psb_reviewer"),
            body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
        let done = try await client.json(
            .post, "/api/v1/applications/\(id)/review", token: try await client.token("gd_reviewer"),
            body: #"{"approved_items":["GMSFHM","HJDZ"]}"#)
        return (code, try #require(done.json["grant_id"] as? String, "\(done.json)"), id)
    }

    @Test(arguments: TestDatabase.available)
    func usageMisuseCaseAndACatalogChangeThatNarrowsTheGrant(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let (code, grantId, _) = try await Self.approvedGrant(client)
                let holder = try await client.token("hrss_user"), provider = try await client.token("psb_reviewer")
                for limit in [3, 2] {
                    let read = try await client.json(
                        .post, "/api/v1/datasets/\(code)/query", token: holder,
                        body: #"{"purpose":"\#(grantId)","limit":\#(limit)}"#)
                    #expect(read.status == .ok)
                }
                // The holder sees it among its grants, the provider among those on its data, with the same usage.
                let held = try await client.json(.get, "/api/v1/grants/overview", token: holder)
                let heldGrant = try #require(
                    (held.json["held"] as? [[String: Any]])?.first { ($0["grant"] as? [String: Any])?["id"] as? String == grantId })
                #expect(heldGrant["reads"] as? Int == 2 && heldGrant["rows"] as? Int == 5)
                #expect((heldGrant["grant"] as? [String: Any])?["data_manager"] as? String == "省人社厅数据管理科 王科长")
                let provided = try await client.json(.get, "/api/v1/grants/overview", token: provider)
                #expect(
                    (provided.json["provided"] as? [[String: Any]])?.contains {
                        ($0["grant"] as? [String: Any])?["id"] as? String == grantId && $0["rows"] as? Int == 5
                    } == true)
                #expect((provided.json["held"] as? [[String: Any]])?.isEmpty == true)

                // Misuse: only the provider reports, with a description; the authority closes it with a finding.
                #expect(
                    try await client.json(
                        .post, "/api/v1/grants/\(grantId)/misuse-reports", token: holder,
                        body: #"{"description":"x"}"#
                    ).status == .forbidden)
                let empty = try await client.json(.post, "/api/v1/grants/\(grantId)/misuse-reports", token: provider, body: "{}")
                #expect(fieldErrors(empty.json).map(\.field) == ["description"])
                let report = try await client.json(
                    .post, "/api/v1/grants/\(grantId)/misuse-reports", token: provider,
                    body: #"{"description":"发现申请部门将户籍地址用于招商引资，超出待遇核定用途"}"#)
                #expect(report.status == .created)
                let caseId = try #require(report.json["id"] as? String)
                let authority = try await client.token("gd_reviewer")
                let cases = ExchangeTests.array(try await client.json(.get, "/api/v1/misuse-cases", token: authority).response)
                #expect(cases.contains { $0["id"] as? String == caseId && $0["status"] as? String == "open" })
                let holderInbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: holder).response)
                #expect(holderInbox.contains { $0["kind"] as? String == "misuse.reported" })
                #expect(
                    try await client.json(
                        .post, "/api/v1/misuse-cases/\(caseId)/close", token: provider,
                        body: #"{"resolution":"x"}"#
                    ).status == .notFound)
                let closed = try await client.json(
                    .post, "/api/v1/misuse-cases/\(caseId)/close", token: authority,
                    body: #"{"resolution":"经核查属实，责令整改并暂停授权"}"#)
                #expect(closed.json["status"] as? String == "closed")
                #expect(
                    try await client.json(
                        .post, "/api/v1/misuse-cases/\(caseId)/close", token: authority,
                        body: #"{"resolution":"again"}"#
                    ).status == .conflict)

                // The provider makes 户籍地址 not shared in a new version; once published, the grant no longer covers it
                // and the holder is told.
                let search = try await client.json(
                    .get, "/api/v1/catalog/search?q=" + "居民户籍信息".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
                    token: provider)
                let entryId = try #require(
                    (search.json["items"] as? [[String: Any]])?.first { $0["name"] as? String == "居民户籍信息" }?["entry_id"] as? String)
                let entry = try await client.json(.get, "/api/v1/catalog/entries/\(entryId)", token: provider)
                var content = try #require((entry.json["version"] as? [String: Any])?["content"] as? [String: Any])
                content["items"] = (content["items"] as? [[String: Any]] ?? []).map { item -> [String: Any] in
                    guard item["code"] as? String == "HJDZ" else { return item }
                    var changed = item
                    changed["share_type"] = "not_shared"
                    changed["legal_basis"] = ["instrument": "《中华人民共和国个人信息保护法》", "article": "第二十八条"]
                    return changed
                }
                content["share_conditions"] = content["share_conditions"] ?? "须说明核验事项"
                let body = String(decoding: try JSONSerialization.data(withJSONObject: ["content": content]), as: UTF8.self)
                let cataloger = try await client.token("psb_cataloger")
                let edited = try await client.json(.put, "/api/v1/catalog/entries/\(entryId)", token: cataloger, body: body)
                #expect(edited.status == .ok, "\(edited.json)")
                #expect(try await client.json(.post, "/api/v1/catalog/entries/\(entryId)/submit", token: cataloger).status == .ok)
                let published = try await client.json(
                    .post, "/api/v1/catalog/entries/\(entryId)/review", token: authority,
                    body: #"{"decision":"publish"}"#)
                #expect(published.json["status"] as? String == "published", "\(published.json)")
                let grants = ExchangeTests.array(try await client.json(.get, "/api/v1/grants", token: holder).response)
                #expect(grants.first { $0["id"] as? String == grantId }?["items"] as? [String] == ["GMSFHM"])
                let inbox = ExchangeTests.array(try await client.json(.get, "/api/v1/notifications", token: holder).response)
                #expect(
                    inbox.contains { $0["kind"] as? String == "grant.narrowed" && ($0["message"] as? String)?.contains("HJDZ") == true })
                let events = try await client.json(
                    .get, "/api/v1/audit/events?object_id=\(grantId)", token: try await client.token("auditor"))
                #expect(((events.json["items"] as? [[String: Any]]) ?? []).contains { $0["action"] as? String == "grant.narrow" })
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func attachmentsAreStoredWithTheirChecksumAndShownOnlyToThoseWhoSeeTheApplication(database: TestDatabase) async throws {
        try await TestEnvironment.with(database) { env in
            try await env.test { client in
                let applicant = try await client.token("hrss_user")
                let code = try await ApplicationTests.householdCode(client, applicant)
                let id = try #require(try await ApplicationTests.apply(client, applicant, code: code, until: "2027-06-30")["id"] as? String)
                let document = "关于核验参保人户籍信息的函（粤人社函〔2026〕12号）"
                let uri =
                    "/api/v1/applications/\(id)/attachments?file_name=" + "申请函.txt".addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics)!
                let uploaded = try await client.json(
                    .post, uri, token: applicant, body: document,
                    headers: [.contentType: "text/plain; charset=utf-8"])
                #expect(uploaded.status == .created, "\(uploaded.json)")
                let digest = SHA256.hash(data: Data(document.utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(uploaded.json["sha256"] as? String == digest)
                #expect(uploaded.json["file_name"] as? String == "申请函.txt")
                let attachmentId = try #require(uploaded.json["id"] as? String)
                #expect(
                    try await client.json(.post, "/api/v1/applications/\(id)/attachments?file_name=x", token: applicant).status
                        == .unprocessableContent)

                let reviewer = try await client.token("psb_reviewer")
                let list = ExchangeTests.array(
                    try await client.json(.get, "/api/v1/applications/\(id)/attachments", token: reviewer).response)
                #expect(list.map { $0["id"] as? String } == [attachmentId])
                let download = try await client.execute(
                    uri: "/api/v1/applications/\(id)/attachments/\(attachmentId)", method: .get,
                    headers: [.authorization: "Bearer \(reviewer)"])
                #expect(String(buffer: download.body) == document)
                #expect(download.headers[.init("X-Checksum-SHA256")!] == digest)
                let stranger = try await client.token("gz_psb_user")
                #expect(try await client.json(.get, "/api/v1/applications/\(id)/attachments", token: stranger).status == .notFound)
                #expect(try await client.json(.post, uri, token: stranger, body: "x").status == .notFound)
            }
        }
    }

    @Test func retryDelaysDoubleAndStop() {
        let policy = DeliveryRetryPolicy()
        #expect((1...8).map { policy.delay(afterFailedAttempts: $0) } == [30, 60, 120, 240, 480, 960, 1920, nil])
    }

    @Test(arguments: TestDatabase.available)
    func webhookDeliveriesAreSignedAndRetriedWithBackoff(database: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start(failFirst: 1)
        let clock = ManualClock(Date())
        do {
            try await TestEnvironment.with(database, clock: clock) { env in
                try await env.test { client in
                    let provider = try await client.token("psb_reviewer")
                    #expect(
                        try await client.json(.put, "/api/v1/webhook", token: provider, body: #"{"url":"ftp://x"}"#).status
                            == .unprocessableContent)
                    // Cloud metadata and other link-local addresses are never a department's receiver.
                    let metadata = try await client.json(
                        .put, "/api/v1/webhook", token: provider, body: #"{"url":"http://169.254.169.254/latest/meta-data/"}"#)
                    #expect(fieldErrors(metadata.json).map(\.rule) == ["outbound_address"], "\(metadata.json)")
                    #expect(
                        try await client.json(
                            .put, "/api/v1/webhook", token: try await client.token("hrss_user"),
                            body: #"{"url":"http://127.0.0.1:1/"}"#
                        ).status == .forbidden)
                    let set = try await client.json(.put, "/api/v1/webhook", token: provider, body: #"{"url":"\#(receiver.url)"}"#)
                    let secret = try #require(set.json["secret"] as? String)
                    #expect(
                        try await client.json(.get, "/api/v1/webhook", token: provider).json["secret"] == nil, "the secret is shown once")

                    // An application to 省公安厅's data notifies it; the first delivery attempt gets a 500.
                    let applicant = try await client.token("hrss_user")
                    _ = try await ApplicationTests.apply(
                        client, applicant, code: try await ApplicationTests.householdCode(client, applicant), until: "2027-06-30")
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (0, 1))
                    var deliveries =
                        (try await client.json(.get, "/api/v1/webhook", token: provider).json["deliveries"] as? [[String: Any]]) ?? []
                    #expect(deliveries.count == 1)
                    #expect(deliveries.first?["status"] as? String == "pending" && deliveries.first?["attempts"] as? Int == 1)
                    #expect(deliveries.first?["last_error"] as? String == "HTTP 500")
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (0, 0), "not due before the backoff has passed")
                    clock.advance(by: 31)
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (1, 0))
                    deliveries =
                        (try await client.json(.get, "/api/v1/webhook", token: provider).json["deliveries"] as? [[String: Any]]) ?? []
                    #expect(deliveries.first?["status"] as? String == "delivered" && deliveries.first?["attempts"] as? Int == 2)

                    let requests = receiver.requests
                    #expect(requests.count == 2)
                    #expect(Set(requests.map(\.delivery)).count == 1, "a retry carries the same delivery id")
                    for r in requests {
                        let expected = HMAC<SHA256>.authenticationCode(
                            for: Array((r.timestamp + ".").utf8) + r.body,
                            using: SymmetricKey(data: Array(secret.utf8)))
                        #expect(r.signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
                        let payload = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
                        #expect(payload?["kind"] as? String == "application.received")
                    }
                }
            }
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }
}

/// A department system on loopback that records what it receives and answers 500 to the first `failFirst` requests.
final class WebhookReceiver: Sendable {
    struct Received: Sendable { let delivery, timestamp, signature: String; let body: [UInt8] }
    private let received = Mutex<[Received]>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)
    let port = Mutex<Int>(0)
    var url: String { "http://127.0.0.1:\(port.withLock { $0 })/hook" }
    var requests: [Received] { received.withLock { $0 } }

    static func start(failFirst: Int) async throws -> WebhookReceiver {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("hook") { request, context -> Response in
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let count = receiver.received.withLock { list in
                list.append(
                    Received(
                        delivery: request.headers[.init("X-GovShare-Delivery")!] ?? "",
                        timestamp: request.headers[.init("X-GovShare-Timestamp")!] ?? "",
                        signature: request.headers[.init("X-GovShare-Signature")!] ?? "", body: body))
                return list.count
            }
            return Response(status: count <= failFirst ? .internalServerError : .ok)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        receiver.task.withLock { $0 = Task { try await app.runService() } }
        for await port in ports { receiver.port.withLock { $0 = port }; break }
        return receiver
    }

    func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        _ = try? await task?.value
    }
}

@Suite("Mail notifications")
struct MailNotificationTests {
    /// A relay that accepts and then says nothing cannot hold the scheduler: the conversation has a time limit.
    @Test func aStalledRelayIsGivenUpOnAfterTheSessionLimit() async throws {
        let relay = try await FakeSMTPServer.start(silent: true)
        let settings = try #require(
            try GovShareConfig.load(
                flags: [
                    "smtp_url": "smtp://127.0.0.1:\(relay.port.withLock { $0 })",
                    "smtp_from": "noreply@gdzwfw.gov.cn",
                ], environment: [:], file: [:]
            ).smtp)
        let started = ContinuousClock.now
        await #expect(throws: (any Error).self) {
            try await SMTPMailer(settings: settings, sessionLimit: .milliseconds(500))
                .send(to: "x@gd.gov.cn", subject: "s", body: "b", messageId: "m")
        }
        // Without the limit the silent relay would hold the send for the default minute (or forever); the bound is
        // loose because CI runs the whole suite on two cores and a loaded event loop fires the watchdog late.
        #expect(ContinuousClock.now - started < .seconds(45))
        await relay.stop()
    }

    @Test func badMailSettingsAreListedAtStart() {
        #expect(throws: (any Error).self) {
            _ = try GovShareConfig.load(flags: ["smtp_url": "http://mail.example", "smtp_from": "x"], environment: [:], file: [:])
        }
        let ok = try? GovShareConfig.load(
            flags: ["smtp_url": "smtps://u:p%40ss@mail.gd.gov.cn", "smtp_from": "noreply@gd.gov.cn"],
            environment: [:], file: [:])
        #expect(
            ok?.smtp
                == SMTPSettings(
                    host: "mail.gd.gov.cn", port: 465, implicitTLS: true, username: "u", password: "p@ss",
                    from: "noreply@gd.gov.cn"))
    }

    @Test(arguments: TestDatabase.available)
    func withoutARelayNoMailRecipientCanBeSet(database: TestDatabase) async throws {
        try await TestEnvironment.with(database, demoApplications: false) { env in
            try await env.test { client in
                let refused = try await client.json(
                    .put, "/api/v1/mail-recipient", token: try await client.token("psb_reviewer"),
                    body: #"{"address":"sjk@gdga.gov.cn"}"#)
                #expect(refused.status == .conflict && refused.json["code"] as? String == "smtp_not_configured")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func notificationsAreMailedThroughTheRelayAndRetried(database: TestDatabase) async throws {
        let relay = try await FakeSMTPServer.start(deferFirst: 1)
        let clock = ManualClock(Date())
        let settings = ["smtp_url": "smtp://127.0.0.1:\(relay.port.withLock { $0 })", "smtp_from": "noreply@gdzwfw.gov.cn"]
        do {
            try await TestEnvironment.with(database, demoApplications: false, settings: settings, clock: clock) { env in
                try await env.test { client in
                    let provider = try await client.token("psb_reviewer")
                    #expect(
                        try await client.json(.put, "/api/v1/mail-recipient", token: provider, body: #"{"address":"不是地址"}"#)
                            .status == .unprocessableContent)
                    #expect(
                        try await client.json(
                            .put, "/api/v1/mail-recipient", token: provider,
                            body: #"{"address":"sjk@gdga.gov.cn"}"#
                        ).status == .ok)
                    #expect(
                        try await client.json(.get, "/api/v1/mail-recipient", token: provider).json["address"] as? String
                            == "sjk@gdga.gov.cn")

                    let applicant = try await client.token("hrss_user")
                    _ = try await ApplicationTests.apply(
                        client, applicant, code: try await ApplicationTests.householdCode(client, applicant),
                        until: "2027-06-30")
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (0, 1), "the relay defers the first")
                    clock.advance(by: 31)
                    #expect(try await env.platform.notificationDispatcher.deliverDue() == (1, 0))
                    let deliveries =
                        (try await client.json(.get, "/api/v1/webhook", token: provider).json["deliveries"] as? [[String: Any]]) ?? []
                    #expect(deliveries.first?["channel"] as? String == "email" && deliveries.first?["status"] as? String == "delivered")
                    #expect(deliveries.first?["attempts"] as? Int == 2)
                }
            }
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
        let message = try #require(relay.received.first)
        #expect(relay.received.count == 1)
        #expect(message.to == "RCPT TO:<sjk@gdga.gov.cn>" && message.from == "MAIL FROM:<noreply@gdzwfw.gov.cn>")
        let subjectLine = try #require(message.data.split(separator: "\r\n").first { $0.hasPrefix("Subject: =?UTF-8?B?") })
        let subject = String(
            decoding: Data(base64Encoded: String(subjectLine.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2))) ?? Data(), as: UTF8.self)
        #expect(subject.contains("收到共享申请"), "subject is \(subject)")
        let body = message.data.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
        let text = String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self)
        #expect(text.contains("New application for") && text.contains("application.received"))
    }
}
