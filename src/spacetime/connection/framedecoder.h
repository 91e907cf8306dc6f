#pragma once

#include "spacetime/cache/clientcache.h"
#include "spacetime/expected.h"
#include "spacetime/protocol/messagecodec.h"

#include <QObject>

#include <memory>

namespace stdb {

// The server messages carried by one WebSocket message (one for v2, one or more for v3).
struct DecodedFrame {
    QList<protocol::ServerMessage> messages;
    // Parallel to messages: the cache tables built ahead for a large SubscribeApplied, or null.
    QList<std::shared_ptr<PreparedSnapshot>> prepared;
    qsizetype wireBytes = 0;
};

// Unwraps, decompresses and decodes server frames. Lives on a worker thread; frames and results
// travel through queued signals, so results come back in arrival order. Every result carries
// the generation (socket session) of its frame so the connection can drop stale ones.
class FrameDecoder : public QObject {
    Q_OBJECT
public:
    explicit FrameDecoder(protocol::FrameDecodeOptions options, QObject *parent = nullptr);

    // The decoding itself, also used inline for small frames when the worker is idle.
    static Expected<DecodedFrame> decode(const QByteArray &frame, bool v3,
                                         const protocol::FrameDecodeOptions &options);

    // Builds the cache tables of every SubscribeApplied in `frame` with at least
    // kPrepareMinRows rows for one table, so the owner thread only has to adopt them.
    static void prepare(DecodedFrame &frame, const CacheLayout &layout);
    static constexpr qsizetype kPrepareMinRows = 4096;

public Q_SLOTS:
    // `layout` (may be null: nothing is prepared) is the cache configuration when the frame
    // arrived.
    void decodeFrame(quint64 generation, const QByteArray &frame, bool v3,
                     const std::shared_ptr<const stdb::CacheLayout> &layout = {});
    // Answers with drained(generation) once every frame queued before it was handled.
    void drain(quint64 generation);

Q_SIGNALS:
    void decoded(quint64 generation, const stdb::DecodedFrame &frame);
    void failed(quint64 generation, const stdb::Error &error);
    void drained(quint64 generation);

private:
    protocol::FrameDecodeOptions m_options;
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::DecodedFrame)
