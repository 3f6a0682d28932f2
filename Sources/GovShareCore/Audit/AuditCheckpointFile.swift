import Foundation

/// The exported checkpoints (`govshare audit checkpoints export`, `GET /api/v1/audit/checkpoints/export`): JSON lines.
/// The first line names the format and carries the platform's root certificate; each further line is one checkpoint:
///
///     {"format":"govshare-audit-checkpoints/1","node":"gd-province","root_certificate":"-----BEGIN CERTIFICATE-----\n…"}
///     {"certificate":"-----BEGIN CERTIFICATE-----\n…","hash":"…","node":"gd-province","seq":1234,"signature":"MEUC…","time":"2026-…Z"}
///
/// Kept away from the database (another machine, the provincial node, paper), it is what `govshare audit verify
/// --checkpoints` checks the database against. The root in the file is only a convenience: pin it with `--root`.
public struct AuditCheckpointFile: Sendable, Equatable {
    public static let format = "govshare-audit-checkpoints/1"
    public var nodeId: String
    public var rootCertificatePEM: String?
    public var checkpoints: [AuditCheckpoint]

    public init(nodeId: String, rootCertificatePEM: String?, checkpoints: [AuditCheckpoint]) {
        self.nodeId = nodeId; self.rootCertificatePEM = rootCertificatePEM; self.checkpoints = checkpoints
    }

    struct Line: Codable {
        var format: String?
        var node: String?
        var rootCertificate: String?
        var seq: Int64?
        var hash: String?
        var time: String?
        var signature: String?
        var certificate: String?
        enum CodingKeys: String, CodingKey {
            case format, node, seq, hash, time, signature, certificate
            case rootCertificate = "root_certificate"
        }
    }

    public var text: String {
        var lines = [AuditJSON.encode(Line(format: Self.format, node: nodeId, rootCertificate: rootCertificatePEM))]
        for c in checkpoints {
            lines.append(
                AuditJSON.encode(
                    Line(
                        node: c.nodeId, seq: c.seq, hash: c.headHash, time: c.time, signature: c.signature.base64EncodedString(),
                        certificate: PEM.encode(c.certificateDER, label: "CERTIFICATE"))))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let maximumProblems = 20

    /// Reads the file; malformed lines are named (field `checkpoints`, with their line numbers), the first twenty.
    public static func parse(_ text: String) throws -> AuditCheckpointFile {
        var file = AuditCheckpointFile(nodeId: "", rootCertificatePEM: nil, checkpoints: [])
        var v = Validator()
        var sawHeader = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Twenty named lines say enough: a megabyte of bad lines does not become half a million problems.
            if v.problems.count >= Self.maximumProblems { break }
            let lineText = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if lineText.isEmpty { continue }
            let number = index + 1
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(lineText.utf8)) else {
                v.fail(
                    "checkpoints", "json_line", zh: "检查点文件第 \(number) 行不是 JSON 对象",
                    en: "Line \(number) of the checkpoint file is not a JSON object")
                continue
            }
            if let format = line.format {
                guard format == Self.format else {
                    v.fail(
                        "checkpoints", "format", zh: "检查点文件格式应为 \(Self.format)，第 \(number) 行为 \(format)",
                        en: "The checkpoint file's format must be \(Self.format); line \(number) says \(format)")
                    continue
                }
                sawHeader = true
                file.nodeId = line.node ?? ""
                file.rootCertificatePEM = line.rootCertificate
                continue
            }
            guard let seq = line.seq, seq > 0, let hash = line.hash, hash.count == 64, let time = line.time,
                Timestamp.parse(time) != nil, let node = line.node,
                let signature = line.signature.flatMap({ Data(base64Encoded: $0) }),
                let certificate = line.certificate.flatMap({ PEM.decode($0, label: "CERTIFICATE") })
            else {
                v.fail(
                    "checkpoints", "checkpoint_line",
                    zh: "检查点文件第 \(number) 行缺少或错写 seq、hash（64 位十六进制）、time、node、signature（base64）或 certificate（PEM）",
                    en:
                        "Line \(number) of the checkpoint file lacks or misstates seq, hash (64 hex digits), time, node, signature (base64) or certificate (PEM)"
                )
                continue
            }
            file.checkpoints.append(
                AuditCheckpoint(seq: seq, headHash: hash, time: time, nodeId: node, signature: signature, certificateDER: certificate))
        }
        if !sawHeader {
            v.fail(
                "checkpoints", "header", zh: "检查点文件缺少格式行（\(Self.format)）",
                en: "The checkpoint file lacks its format line (\(Self.format))")
        }
        if file.checkpoints.isEmpty {
            v.fail("checkpoints", "empty", zh: "检查点文件中没有检查点", en: "The checkpoint file holds no checkpoint")
        }
        try v.check()
        file.checkpoints.sort { $0.seq < $1.seq }
        return file
    }
}
