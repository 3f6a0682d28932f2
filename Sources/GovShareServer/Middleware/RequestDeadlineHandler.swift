import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived whole within `seconds` of its head. The server's idle timeout
/// closes connections that send nothing; this one closes those that trickle a body a byte at a time (slowloris), which
/// the idle timeout, reset by every byte, lets live. Uploads of the largest allowed size fit well within the default.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let seconds: Int64
    private var deadline: Scheduled<Void>?

    init(seconds: Int64) { self.seconds = seconds }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loop = context.eventLoop.assumeIsolated()
            let channel = context.channel
            deadline = loop.scheduleTask(in: .seconds(seconds)) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
