// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/framedecoder.h"

namespace stdb {

namespace {

// Decodes the messages of one body, v3 (a batch) or v2 (one), with the given decoders, and
// stamps the timing.
template <typename DecodeV3, typename DecodeV2>
Expected<DecodedFrame> decodeWith(DecodedFrame out, bool v3, DecodeV3 decodeV3, DecodeV2 decodeV2) {
    out.timing.decompressedNs = FrameTiming::nowNs();
    if (v3) {
        auto msgs = decodeV3();
        if (!msgs)
            return msgs.error();
        out.messages = std::move(msgs.value());
    } else {
        auto msg = decodeV2();
        if (!msg)
            return msg.error();
        out.messages.append(std::move(msg.value()));
    }
    out.timing.decodedNs = FrameTiming::nowNs();
    out.timing.preparedNs = out.timing.decodedNs;
    return out;
}

Expected<DecodedFrame> decodeBody(DecodedFrame out, const QByteArray &body, bool v3) {
    out.timing.bodyBytes = body.size();
    return decodeWith(
        std::move(out), v3, [&] { return protocol::decodeServerMessagesV3(body); },
        [&] { return protocol::decodeServerMessage(body); });
}

} // namespace

Expected<DecodedFrame> FrameDecoder::decode(const QByteArray &frame, bool v3,
                                            const protocol::FrameDecodeOptions &options) {
    DecodedFrame out;
    out.wireBytes = frame.size();
    out.timing.wireBytes = frame.size();
    out.timing.bodyBytes = frame.size() - 1;
    const bool compressed = !frame.isEmpty() && quint8(frame[0]) != quint8(Compression::None);
    if (compressed) {
        // Inflated apart from decoding so the two are timed apart; decoding the body is what
        // decodeServerFrame would do with it.
        Compression tag = Compression::None;
        auto body = protocol::unwrapServerFrame(frame, options, &tag);
        if (!body)
            return body.error();
        out.timing.compression = tag;
        return decodeBody(std::move(out), *body, v3);
    }
    return decodeWith(
        std::move(out), v3, [&] { return protocol::decodeServerFrameV3(frame, options); },
        [&] { return protocol::decodeServerFrame(frame, options); });
}

Expected<DecodedFrame> FrameDecoder::decodeInflated(const QByteArray &body, Compression c,
                                                    qsizetype wireBytes, bool v3) {
    DecodedFrame out;
    out.wireBytes = wireBytes;
    out.timing.wireBytes = wireBytes;
    out.timing.compression = c;
    return decodeBody(std::move(out), body, v3);
}

void FrameDecoder::prepare(DecodedFrame &frame, const CacheLayout &layout) {
    frame.prepared.resize(frame.messages.size());
    for (qsizetype i = 0; i < frame.messages.size(); ++i)
        if (const auto *sa = std::get_if<protocol::SubscribeApplied>(&frame.messages[i]))
            frame.prepared[i] =
                ClientCache::prepare(layout, sa->querySetId, sa->rows, kPrepareMinRows);
    frame.timing.preparedNs = FrameTiming::nowNs();
}

} // namespace stdb
