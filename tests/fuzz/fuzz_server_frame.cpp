// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: one server WebSocket payload through unwrap + decode, as v2 and as v3.
// Anything decoded must re-encode to exactly the bytes it came from (the encoding is canonical),
// and every row view must stay inside its buffer (ASan checks the reads).

#include "spacetime/compression.h"
#include "spacetime/protocol/messagecodec.h"

#include <cstdint>
#include <cstdlib>

using namespace stdb;
using namespace stdb::protocol;

namespace {

quint32 touch(const RowList &l) {
    quint32 sum = 0;
    for (qsizetype i = 0; i < l.rowCount(); ++i)
        for (char c : l.row(i))
            sum += quint8(c);
    return sum;
}

quint32 touch(const QueryRows &q) {
    quint32 sum = 0;
    for (const SingleTableRows &t : q.tables)
        sum += touch(t.rows) + quint32(t.table.size());
    return sum;
}

quint32 touch(const TransactionUpdate &u) {
    quint32 sum = 0;
    for (const QuerySetUpdate &qs : u.querySets)
        for (const TableUpdate &t : qs.tables)
            for (const TableUpdateRows &rows : t.rows) {
                if (const auto *p = std::get_if<PersistentTableRows>(&rows))
                    sum += touch(p->inserts) + touch(p->deletes);
                else
                    sum += touch(std::get<EventTableRows>(rows).events);
            }
    return sum;
}

quint32 touch(const ServerMessage &m) {
    quint32 sum = quint32(messageName(m).size());
    if (const auto *s = std::get_if<SubscribeApplied>(&m))
        sum += touch(s->rows);
    else if (const auto *u = std::get_if<UnsubscribeApplied>(&m); u && u->rows)
        sum += touch(*u->rows);
    else if (const auto *t = std::get_if<TransactionUpdate>(&m))
        sum += touch(*t);
    else if (const auto *q = std::get_if<OneOffQueryResult>(&m); q && q->result.index() == 0)
        sum += touch(std::get<0>(q->result));
    else if (const auto *r = std::get_if<ReducerResult>(&m)) {
        if (const auto *ok = std::get_if<ReducerOk>(&r->result))
            sum += touch(ok->transactionUpdate);
        else if (const auto *err = std::get_if<ReducerErr>(&r->result))
            sum += quint32(err->message().size());
    }
    return sum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // Not copied: the fuzzer's buffer is exactly `size` bytes, so ASan sees any overread.
    const QByteArray frame =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const FrameDecodeOptions opts{8 << 20};
    volatile quint32 sink = 0;

    const Expected<QByteArray> body = unwrapServerFrame(frame, opts);

    // The body fed in pieces (as frames arrive) gives the same bytes or error. Cut
    // points come from the input itself, so the fuzzer explores them too.
    const auto c = Compression(frame.isEmpty() ? 0xff : quint8(frame[0]));
    if (frame.size() > 1 &&
        (c == Compression::None || c == Compression::Gzip || c == Compression::Brotli)) {
        Decompressor d(c, opts.maxDecompressedSize);
        qsizetype at = 1;
        for (qsizetype i = 1; at < frame.size(); ++i) {
            const qsizetype n = 1 + quint8(frame[i % frame.size()]) * 7;
            d.feed(QByteArrayView(frame).sliced(at, std::min(n, frame.size() - at)));
            at += n;
        }
        const Expected<QByteArray> pieces = d.finish();
        // The cause must agree; Brotli's bracketed decoder state may differ with the cut.
        const auto cause = [](const QString &m) {
            const qsizetype bracket = m.indexOf(QStringLiteral(" ("));
            return bracket < 0 ? m : m.left(bracket);
        };
        if (bool(pieces) != bool(body) ||
            (body ? *pieces != *body
                  : cause(pieces.error().message()) != cause(body.error().message())))
            std::abort(); // pieces and whole disagree
    }

    const Expected<ServerMessage> v2 = decodeServerFrame(frame, opts);
    if (v2) {
        sink = sink + touch(*v2);
        if (!body || encodeServerMessage(*v2) != *body)
            std::abort(); // decoded, yet not canonical
    }

    const Expected<QList<ServerMessage>> v3 = decodeServerFrameV3(frame, opts);
    if (v3) {
        QByteArray again;
        for (const ServerMessage &m : *v3) {
            sink = sink + touch(m);
            again += encodeServerMessage(m);
        }
        if (!body || again != *body)
            std::abort();
    }
    // A valid v2 message is a valid one-message v3 body, and vice versa.
    if (bool(v2) != (v3 && v3->size() == 1))
        std::abort();
    return 0;
}
