import Foundation
import GlossCore
import GlossSync
import NIOCore
import NIOHTTPTypes

/// A total deadline for receiving one request, head and body, counted from its first byte.
///
/// Hummingbird's idle timeout restarts whenever a request part arrives, so a client trickling a
/// body one byte every few seconds could hold a connection (and the handler waiting for the body)
/// for ever. This handler sits first in the pipeline, where it sees raw bytes: the first byte of
/// a request starts the clock; `PartsObserver`, after the HTTP decoder, stops it once the
/// request's end has been read. When the deadline passes first, the connection is closed, with a
/// 408 answer when the request head was not even complete (nothing else can have been written
/// for that request then).
///
/// The wait between requests on a kept-alive connection is not counted: the idle timeout bounds
/// that. The time the server takes to answer is not counted either.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var headRead = false
    private var requestsRead = 0
    private var responsesWritten = 0
    /// Bytes of a next (pipelined) request arrived while the previous one was being answered.
    private var bytesWaiting = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if timer == nil {
            // A request is being answered: the next one's clock starts once that answer is out.
            if requestsRead > responsesWritten { bytesWaiting = true } else { arm() }
        }
        context.fireChannelRead(data)
    }

    fileprivate func requestHeadRead() {
        headRead = true
        if timer == nil && requestsRead >= responsesWritten { arm() }
    }

    fileprivate func requestEndRead() {
        requestsRead += 1
        headRead = false
        disarm()
    }

    fileprivate func responseEndWritten() {
        responsesWritten += 1
        // An early answer (e.g. 413 before the body) leaves the clock running: the rest of that
        // request must still arrive in time.
        if bytesWaiting && requestsRead == responsesWritten {
            bytesWaiting = false
            arm()
        }
    }

    private func arm() {
        guard let context, timer == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in expired() }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private func expired() {
        timer = nil
        guard let context, context.channel.isActive else { return }
        guard !headRead && requestsRead >= responsesWritten else {
            context.close(promise: nil)
            return
        }
        let seconds = Double(timeout.nanoseconds) / 1e9
        let body = (try? JSONEncoder().encode(ErrorBody(
            error: GlossError.Code.transport.rawValue,
            message: "the request took longer than \(seconds.formatted()) s to arrive; the connection is closed")))
            ?? Data()
        let head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Sits after the HTTP decoder and tells the deadline where requests and answers end.
    final class PartsObserver: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let deadline: RequestDeadlineHandler

        init(_ deadline: RequestDeadlineHandler) { self.deadline = deadline }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: deadline.requestHeadRead()
            case .end: deadline.requestEndRead()
            case .body: break
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) { deadline.responseEndWritten() }
            context.write(data, promise: promise)
        }
    }
}
