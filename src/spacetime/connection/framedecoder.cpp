// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/framedecoder.h"

namespace stdb {

Expected<DecodedFrame> FrameDecoder::decode(const QByteArray &frame, bool v3,
                                            const protocol::FrameDecodeOptions &options) {
    DecodedFrame out;
    out.wireBytes = frame.size();
    if (v3) {
        auto msgs = protocol::decodeServerFrameV3(frame, options);
        if (!msgs)
            return msgs.error();
        out.messages = std::move(msgs.value());
    } else {
        auto msg = protocol::decodeServerFrame(frame, options);
        if (!msg)
            return msg.error();
        out.messages.append(std::move(msg.value()));
    }
    return out;
}

void FrameDecoder::prepare(DecodedFrame &frame, const CacheLayout &layout) {
    frame.prepared.resize(frame.messages.size());
    for (qsizetype i = 0; i < frame.messages.size(); ++i)
        if (const auto *sa = std::get_if<protocol::SubscribeApplied>(&frame.messages[i]))
            frame.prepared[i] =
                ClientCache::prepare(layout, sa->querySetId, sa->rows, kPrepareMinRows);
}

} // namespace stdb
