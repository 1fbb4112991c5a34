internal import CNGHTTP2
import NIOCore

// The nghttp2 callbacks' entry points (see `H2Callbacks.swift`): each receives one event
// for one stream and routes it to the client or server side.
extension H2Connection {
    // MARK: - nghttp2 callbacks

    func beginHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Int32 {
        headerBlockSlot = nil
        guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
        let streamID = frame.pointee.hd.stream_id
        guard isServer, frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST, let session,
              let configuration = serverConfiguration else {
            if let slot = slot(forStream: streamID) { headerBlockSlot = slot }
            return 0
        }
        let slot = allocateSlot()
        slot.open(
            streamID: streamID, maxReceive: configuration.maxReceiveMessageSize,
            maxSend: configuration.maxSendMessageSize)
        streamOpened(slot)
        noteStream(of: slot)
        _ = nghttp2_session_set_stream_user_data(session, streamID, UnsafeMutableRawPointer(bitPattern: slot.index + 1))
        headerBlockSlot = slot
        return 0
    }

    /// The slot of the header block being received: its headers arrive back to back (no
    /// other frame may come between a block's frames), so each one skips the stream lookup.
    private func headerBlockSlot(for streamID: Int32) -> StreamSlot? {
        if let slot = headerBlockSlot, slot.inUse, slot.streamID == streamID { return slot }
        return slot(forStream: streamID)
    }

    func receivedHeader(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
              let slot = headerBlockSlot(for: frame.pointee.hd.stream_id) else { return }
        slot.fields.add(name: name, value: value, strings: &headerStrings)
    }

    func receivedFrame(_ frame: UnsafePointer<nghttp2_frame>) -> Int32 {
        let header = frame.pointee.hd
        let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch header.type {
        case UInt8(NGHTTP2_HEADERS.rawValue):
            let found = headerBlockSlot(for: header.stream_id)
            headerBlockSlot = nil
            guard let slot = found else { return 0 }
            if isServer {
                serverReceivedHeaders(slot, endStream: endStream)
            } else {
                clientReceivedHeaders(slot, endStream: endStream)
            }
        case UInt8(NGHTTP2_DATA.rawValue):
            guard endStream, let slot = slot(forStream: header.stream_id) else { return 0 }
            if isServer {
                serverRequestEnded(slot)
            } else {
                clientReceivedEndOfStreamOnData(slot)
            }
        case UInt8(NGHTTP2_SETTINGS.rawValue):
            if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
                if lifecycle.receivedSettings() == .becameReady {
                    becameReady()
                }
            }
        case UInt8(NGHTTP2_GOAWAY.rawValue):
            if lifecycle.receivedGoAway() == .beginDraining {
                // nghttp2 closes streams above the last stream id with REFUSED_STREAM, which
                // fails those calls UNAVAILABLE; the rest run to completion.
                readyPromise?.fail(RPCError(code: .connectionClosed, message: "the server sent GOAWAY during setup"))
                readyPromise = nil
            }
        case UInt8(NGHTTP2_PING.rawValue):
            if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
                receivedPingAck()
            } else if isServer {
                policePing()
            }
        default:
            break
        }
        return 0
    }

    func receivedData(streamID: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let session else { return 0 }
        guard let slot = slot(forStream: streamID) else {
            _ = nghttp2_session_consume_connection(session, bytes.count)
            return 0
        }
        slot.deframer.append(bytes)
        var keepReading = true
        while slot.inUse {
            let message: ByteBuffer?
            do {
                message = try slot.deframer.next(allocator: allocator)
            } catch {
                deframingFailed(slot, error)
                break
            }
            guard let message else { break }
            if isServer {
                keepReading = serverReceivedMessage(slot, message) && keepReading
            } else {
                keepReading = clientReceivedMessage(slot, message) && keepReading
            }
        }
        if slot.inUse, slot.streamID == streamID, !keepReading || slot.readingPaused {
            slot.readingPaused = true
            slot.withheldBytes += bytes.count
        } else {
            _ = nghttp2_session_consume(session, streamID, bytes.count)
        }
        return 0
    }

    func deframingFailed(_ slot: StreamSlot, _ error: GRPCMessageDeframer.DeframingError) {
        let status: GRPCStatus
        switch error {
        case .tooLarge(let size):
            let limit = slot.deframer.maxMessageSize
            status = GRPCStatus(
                code: .resourceExhausted,
                message: "received message larger than max (\(size) vs. \(limit))")
        case .unexpectedCompression:
            status = GRPCStatus(code: .internal, message: "received a compressed message without grpc-encoding")
        case .invalidFlag(let flag):
            status = GRPCStatus(code: .internal, message: "invalid message flag \(flag)")
        case .corruptCompressedData:
            status = GRPCStatus(code: .internal, message: "a compressed message did not decompress")
        case .truncated:
            status = GRPCStatus(code: .internal, message: "the stream ended inside a message")
        }
        if isServer {
            serverFail(slot, status)
        } else {
            clientEndLocally(slot, status: status, resetCode: NGHTTP2_CANCEL.rawValue)
        }
    }

    func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let slot = slot(forStream: streamID) else { return }
        let waiter = slot.writableWaiter
        slot.writableWaiter = nil
        if isServer {
            let observer: (any ServerCallObserver)?
            if case .streaming(let bound) = slot.binding { observer = bound } else { observer = nil }
            freeSlot(slot)
            waiter?.fail(RPCError(code: .connectionClosed, message: "the stream closed"))
            observer?.streamClosed()
        } else {
            let observer = slot.clientObserver
            let status = slot.client.streamClosed(errorCode: errorCode)
            freeSlot(slot)
            waiter?.fail(RPCError(code: .connectionClosed, message: "the stream closed"))
            if let status {
                observer?.finished(.success(status))
            }
        }
    }

    /// A frame could not be sent. For a request's HEADERS this means the stream never
    /// started (GOAWAY received, or reset while queued behind the concurrency limit), and
    /// nghttp2 may not report a stream close: release the call here.
    func frameNotSent(_ frame: UnsafePointer<nghttp2_frame>, libraryError: Int32) {
        guard !isServer, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return }
        let streamID = frame.pointee.hd.stream_id
        guard let slot = slots.first(where: { $0.inUse && $0.streamID == streamID }) else { return }
        let observer = slot.clientObserver
        let waiter = slot.writableWaiter
        slot.writableWaiter = nil
        let started = slot.client.endLocally()
        freeSlot(slot)
        let reason = String(cString: nghttp2_strerror(libraryError))
        waiter?.fail(RPCError(code: .callEnded, message: "the call was not started"))
        if started {
            observer?.finished(.success(GRPCStatus(
                code: .unavailable, message: "the call was not started (\(reason)); it was not sent to the server")))
        }
    }

    func readOutbound(
        slotIndex: Int, streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int,
        flags: UnsafeMutablePointer<UInt32>
    ) -> Int {
        guard slotIndex >= 0, slotIndex < slots.count else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        let slot = slots[slotIndex]
        guard slot.inUse, slot.streamID == streamID else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        if isServer { respondedSincePing = true }  // data going out clears PING strikes
        let count = min(length, slot.outbound.readableBytes)
        if count > 0 {
            slot.outbound.withUnsafeReadableBytes { source in
                if let base = source.baseAddress {
                    UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: count)
                }
            }
            slot.outbound.moveReaderIndex(forwardBy: count)
        }
        if slot.outbound.readableBytes == 0 {
            slot.outbound.clear()
            if slot.outboundEnded {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                if isServer {
                    flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                    submitTrailers(slot)
                }
            } else if count == 0 {
                slot.dataDeferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        if slot.outbound.readableBytes <= Self.outboundLowWatermark, let waiter = slot.writableWaiter {
            slot.writableWaiter = nil
            waiter.succeed()
        }
        return count
    }
}
