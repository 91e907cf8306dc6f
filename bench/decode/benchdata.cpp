// SPDX-License-Identifier: Apache-2.0
#include "benchdata.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"

namespace stdb::bench {

namespace {

Identity identityFor(quint64 n) {
    U256 v = U256::fromUInt64((n + 1) * 0x9e3779b97f4a7c15ULL);
    v.littleEndian()[8] = quint8(n >> 3);
    v.littleEndian()[30] = 0x00; // minted identities start with c200 (big-endian hex)
    v.littleEndian()[31] = 0xc2;
    return Identity(v);
}

// Deterministic chat lines of 30..50 bytes; one in sixteen carries non-ASCII text.
QByteArray chatText(quint32 i) {
    static const char *const words[] = {"hello", "there", "how", "is", "the",   "build", "going",
                                        "ship",  "it",    "now", "ok", "lunch", "later", "lgtm"};
    quint32 x = i * 2654435761u + 12345u;
    const int target = 30 + int(x % 21);
    QByteArray s;
    s.reserve(target + 8);
    if (i % 16 == 0)
        s += "Grüße ☕ ";
    while (s.size() < target) {
        x = x * 1103515245u + 12345u;
        s += words[(x >> 16) % std::size(words)];
        s += ' ';
    }
    s.truncate(target);
    return s;
}

} // namespace

QList<QByteArray> quickstartMessageRows(int count, int first) {
    QList<QByteArray> rows;
    rows.reserve(count);
    const qint64 start = 1704067200000000; // 2024-01-01
    for (int i = first; i < first + count; ++i) {
        BsatnWriter w(96);
        w.writeIdentity(identityFor(quint64(i % 1000)));
        w.writeI64(start + qint64(i) * 1500000);
        w.writeStringUtf8(chatText(quint32(i)));
        rows.append(w.take());
    }
    return rows;
}

QList<QByteArray> quickstartUserRows(int count) {
    QList<QByteArray> rows;
    rows.reserve(count);
    for (int i = 0; i < count; ++i) {
        BsatnWriter w(64);
        w.writeIdentity(identityFor(quint64(i)));
        if (i % 10 == 9) {
            w.writeTag(1); // never set a name
        } else {
            w.writeTag(0);
            w.writeStringUtf8(QByteArray("user-") + QByteArray::number(i));
        }
        w.writeBool(i % 3 == 0);
        rows.append(w.take());
    }
    return rows;
}

protocol::SubscribeApplied quickstartSubscribeApplied(int messages, int users) {
    protocol::SubscribeApplied m;
    m.requestId = 1;
    m.querySetId = 1;
    m.rows.tables.append(
        {QStringLiteral("message"), protocol::RowList::fromRows(quickstartMessageRows(messages))});
    m.rows.tables.append(
        {QStringLiteral("user"), protocol::RowList::fromRows(quickstartUserRows(users))});
    return m;
}

bool validateMessageRow(QByteArrayView row, quint64 &sink) {
    BsatnReader r(row);
    const Identity sender = r.readIdentity();
    const Timestamp sent = r.readTimestamp();
    const QByteArrayView text = r.readStringUtf8();
    sink += sender.value().littleEndian()[0] + quint64(sent.micros()) + quint64(text.size());
    return r.expectEnd("message row");
}

bool validateUserRow(QByteArrayView row, quint64 &sink) {
    BsatnReader r(row);
    const Identity id = r.readIdentity();
    if (r.readOptionTag())
        sink += quint64(r.readStringUtf8().size());
    sink += id.value().littleEndian()[0] + quint64(r.readBool());
    return r.expectEnd("user row");
}

} // namespace stdb::bench
