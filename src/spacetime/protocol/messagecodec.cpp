// SPDX-License-Identifier: Apache-2.0
#include "spacetime/protocol/messagecodec.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/overloaded_p.h"

#include <QtEndian>

#include <cstring>

namespace stdb::protocol {

namespace {

// Smallest encodings, used to reject element counts the remaining input cannot hold before
// anything is reserved for them.
constexpr qsizetype kMinString = 4;          // u32 length
constexpr qsizetype kMinRowList = 1 + 2 + 4; // FixedSize tag + u16 + bytes
constexpr qsizetype kMinSingleTableRows = kMinString + kMinRowList;
constexpr qsizetype kMinTableUpdateRows = 1 + kMinRowList; // EventTable
constexpr qsizetype kMinTableUpdate = kMinString + 4;      // name + empty rows array
constexpr qsizetype kMinQuerySetUpdate = 4 + 4;            // id + empty tables array

// ---- writing ----------------------------------------------------------------------------

void writeRowList(BsatnWriter &w, const RowList &l) {
    w.writeTag(quint8(l.hint()));
    if (l.hint() == RowList::Hint::FixedSize) {
        w.writeU16(l.fixedSize());
    } else {
        w.writeArrayLength(quint32(l.rowCount()));
        for (qsizetype i = 0; i < l.rowCount(); ++i)
            w.writeU64(l.offset(i));
    }
    w.writeBytes(l.data());
}

void writeQueryRows(BsatnWriter &w, const QueryRows &q) {
    w.writeArrayLength(quint32(q.tables.size()));
    for (const SingleTableRows &t : q.tables) {
        w.writeString(t.table);
        writeRowList(w, t.rows);
    }
}

void writeTransactionUpdate(BsatnWriter &w, const TransactionUpdate &u) {
    w.writeArrayLength(quint32(u.querySets.size()));
    for (const QuerySetUpdate &qs : u.querySets) {
        w.writeU32(qs.querySetId);
        w.writeArrayLength(quint32(qs.tables.size()));
        for (const TableUpdate &t : qs.tables) {
            w.writeString(t.tableName);
            w.writeArrayLength(quint32(t.rows.size()));
            for (const TableUpdateRows &rows : t.rows) {
                w.writeTag(quint8(rows.index()));
                std::visit(Overloaded{[&](const PersistentTableRows &p) {
                                          writeRowList(w, p.inserts);
                                          writeRowList(w, p.deletes);
                                      },
                                      [&](const EventTableRows &e) { writeRowList(w, e.events); }},
                           rows);
            }
        }
    }
}

void writeClientMessage(BsatnWriter &w, const ClientMessage &m) {
    w.writeTag(quint8(m.index()));
    std::visit(Overloaded{[&](const Subscribe &s) {
                              w.writeU32(s.requestId);
                              w.writeU32(s.querySetId);
                              w.writeArrayLength(quint32(s.queryStrings.size()));
                              for (const QString &q : s.queryStrings)
                                  w.writeString(q);
                          },
                          [&](const Unsubscribe &u) {
                              w.writeU32(u.requestId);
                              w.writeU32(u.querySetId);
                              w.writeTag(quint8(u.flags));
                          },
                          [&](const OneOffQuery &q) {
                              w.writeU32(q.requestId);
                              w.writeString(q.queryString);
                          },
                          [&](const CallReducer &c) {
                              w.writeU32(c.requestId);
                              w.writeU8(c.flags);
                              w.writeString(c.reducer);
                              w.writeBytes(c.args);
                          },
                          [&](const CallProcedure &c) {
                              w.writeU32(c.requestId);
                              w.writeU8(c.flags);
                              w.writeString(c.procedure);
                              w.writeBytes(c.args);
                          }},
               m);
}

void writeServerMessage(BsatnWriter &w, const ServerMessage &m) {
    w.writeTag(quint8(m.index()));
    std::visit(Overloaded{[&](const InitialConnection &c) {
                              w.writeIdentity(c.identity);
                              w.writeConnectionId(c.connectionId);
                              w.writeString(c.token);
                          },
                          [&](const SubscribeApplied &s) {
                              w.writeU32(s.requestId);
                              w.writeU32(s.querySetId);
                              writeQueryRows(w, s.rows);
                          },
                          [&](const UnsubscribeApplied &u) {
                              w.writeU32(u.requestId);
                              w.writeU32(u.querySetId);
                              if (u.rows) {
                                  w.writeTag(0);
                                  writeQueryRows(w, *u.rows);
                              } else {
                                  w.writeTag(1);
                              }
                          },
                          [&](const SubscriptionError &e) {
                              if (e.requestId) {
                                  w.writeTag(0);
                                  w.writeU32(*e.requestId);
                              } else {
                                  w.writeTag(1);
                              }
                              w.writeU32(e.querySetId);
                              w.writeString(e.error);
                          },
                          [&](const TransactionUpdate &u) { writeTransactionUpdate(w, u); },
                          [&](const OneOffQueryResult &q) {
                              w.writeU32(q.requestId);
                              w.writeTag(quint8(q.result.index()));
                              if (q.result.index() == 0)
                                  writeQueryRows(w, std::get<0>(q.result));
                              else
                                  w.writeString(std::get<1>(q.result));
                          },
                          [&](const ReducerResult &r) {
                              w.writeU32(r.requestId);
                              w.writeTimestamp(r.timestamp);
                              w.writeTag(quint8(r.result.index()));
                              std::visit(
                                  Overloaded{[&](const ReducerOk &ok) {
                                                 w.writeBytes(ok.retValue);
                                                 writeTransactionUpdate(w, ok.transactionUpdate);
                                             },
                                             [&](const ReducerOkEmpty &) {},
                                             [&](const ReducerErr &e) { w.writeBytes(e.payload); },
                                             [&](const ReducerInternalError &e) {
                                                 w.writeString(e.message);
                                             }},
                                  r.result);
                          },
                          [&](const ProcedureResult &p) {
                              w.writeTag(quint8(p.status.index()));
                              if (p.status.index() == 0)
                                  w.writeBytes(std::get<0>(p.status).value);
                              else
                                  w.writeString(std::get<1>(p.status).message);
                              w.writeTimestamp(p.timestamp);
                              w.writeTimeDuration(p.totalHostExecutionDuration);
                              w.writeU32(p.requestId);
                          }},
               m);
}

// ---- reading ----------------------------------------------------------------------------

// Reads server messages out of `buffer` starting at `shift`, so row lists can share the
// buffer (zero copy) while the reader and its error offsets see only the message bytes.
class ServerReader {
public:
    ServerReader(const QByteArray &buffer, qsizetype shift)
        : r(QByteArrayView(buffer).sliced(shift))
        , m_buffer(buffer)
        , m_shift(shift) {}

    BsatnReader r;

    RowList rowList() {
        const qsizetype hintAt = r.localPosition();
        const quint8 tag = r.readTag(2, "RowSizeHint");
        if (!r.ok())
            return {};
        if (tag == 0) {
            const quint16 size = r.readU16();
            const QByteArrayView data = r.readBytesView();
            if (!r.ok())
                return {};
            if (size == 0 && !data.isEmpty()) {
                r.failAt(
                    hintAt,
                    QStringLiteral("row list FixedSize(0) with %1 data bytes").arg(data.size()));
                return {};
            }
            if (size != 0 && data.size() % size != 0) {
                r.failAt(hintAt, QStringLiteral("row list data of %1 bytes is not a multiple of "
                                                "FixedSize(%2)")
                                     .arg(data.size())
                                     .arg(size));
                return {};
            }
            const qsizetype dataAt = r.localPosition() - data.size();
            return RowList::fromWire(m_buffer, RowList::Hint::FixedSize, size, 0, 0,
                                     m_shift + dataAt, data.size());
        }
        const quint32 count = r.readArrayLength(8);
        const qsizetype offsetsAt = r.localPosition();
        const QByteArrayView offsets = r.readRaw(qsizetype(count) * 8, "row offsets");
        const QByteArrayView data = r.readBytesView();
        if (!r.ok())
            return {};
        // Validated once here so row(i) can read offsets lazily without checks.
        quint64 previous = 0;
        for (quint32 i = 0; i < count; ++i) {
            quint64 off;
            std::memcpy(&off, offsets.data() + 8 * qsizetype(i), 8);
            off = qFromLittleEndian(off);
            if (off < previous || off > quint64(data.size())) {
                r.failAt(offsetsAt + 8 * qsizetype(i),
                         off < previous
                             ? QStringLiteral("row offset %1 of row %2 is below the previous "
                                              "offset %3")
                                   .arg(off)
                                   .arg(i)
                                   .arg(previous)
                             : QStringLiteral("row offset %1 of row %2 is beyond the %3 data "
                                              "bytes")
                                   .arg(off)
                                   .arg(i)
                                   .arg(data.size()));
                return {};
            }
            previous = off;
        }
        const qsizetype dataAt = r.localPosition() - data.size();
        return RowList::fromWire(m_buffer, RowList::Hint::RowOffsets, 0, m_shift + offsetsAt, count,
                                 m_shift + dataAt, data.size());
    }

    QueryRows queryRows() {
        QueryRows q;
        const quint32 n = r.readArrayLength(kMinSingleTableRows);
        q.tables.reserve(n);
        for (quint32 i = 0; i < n && r.ok(); ++i) {
            SingleTableRows t;
            t.table = r.readString();
            t.rows = rowList();
            q.tables.append(std::move(t));
        }
        return q;
    }

    TransactionUpdate transactionUpdate() {
        TransactionUpdate u;
        const quint32 sets = r.readArrayLength(kMinQuerySetUpdate);
        u.querySets.reserve(sets);
        for (quint32 i = 0; i < sets && r.ok(); ++i) {
            QuerySetUpdate qs;
            qs.querySetId = r.readU32();
            const quint32 tables = r.readArrayLength(kMinTableUpdate);
            qs.tables.reserve(tables);
            for (quint32 j = 0; j < tables && r.ok(); ++j) {
                TableUpdate t;
                t.tableName = r.readString();
                const quint32 n = r.readArrayLength(kMinTableUpdateRows);
                t.rows.reserve(n);
                for (quint32 k = 0; k < n && r.ok(); ++k) {
                    if (r.readTag(2, "TableUpdateRows") == 0) {
                        PersistentTableRows p;
                        p.inserts = rowList();
                        p.deletes = rowList();
                        t.rows.append(std::move(p));
                    } else {
                        t.rows.append(EventTableRows{rowList()});
                    }
                }
                qs.tables.append(std::move(t));
            }
            u.querySets.append(std::move(qs));
        }
        return u;
    }

    ServerMessage message() {
        const quint8 tag = r.readTag(std::variant_size_v<ServerMessage>, "ServerMessage");
        if (!r.ok())
            return {};
        switch (tag) {
        case 0: {
            InitialConnection m;
            m.identity = r.readIdentity();
            m.connectionId = r.readConnectionId();
            m.token = r.readString();
            return m;
        }
        case 1: {
            SubscribeApplied m;
            m.requestId = r.readU32();
            m.querySetId = r.readU32();
            m.rows = queryRows();
            return m;
        }
        case 2: {
            UnsubscribeApplied m;
            m.requestId = r.readU32();
            m.querySetId = r.readU32();
            if (r.readOptionTag("Option<QueryRows>"))
                m.rows = queryRows();
            return m;
        }
        case 3: {
            SubscriptionError m;
            if (r.readOptionTag("Option<u32>"))
                m.requestId = r.readU32();
            m.querySetId = r.readU32();
            m.error = r.readString();
            return m;
        }
        case 4:
            return transactionUpdate();
        case 5: {
            OneOffQueryResult m;
            m.requestId = r.readU32();
            if (r.readTag(2, "Result<QueryRows, String>") == 0)
                m.result = queryRows();
            else
                m.result = r.readString();
            return m;
        }
        case 6: {
            ReducerResult m;
            m.requestId = r.readU32();
            m.timestamp = r.readTimestamp();
            switch (r.readTag(4, "ReducerOutcome")) {
            case 0: {
                ReducerOk ok;
                ok.retValue = r.readBytes();
                ok.transactionUpdate = transactionUpdate();
                m.result = std::move(ok);
                break;
            }
            case 1:
                m.result = ReducerOkEmpty{};
                break;
            case 2:
                m.result = ReducerErr{r.readBytes()};
                break;
            default:
                m.result = ReducerInternalError{r.readString()};
                break;
            }
            return m;
        }
        default: {
            ProcedureResult m;
            if (r.readTag(2, "ProcedureStatus") == 0)
                m.status = ProcedureReturned{r.readBytes()};
            else
                m.status = ProcedureInternalError{r.readString()};
            m.timestamp = r.readTimestamp();
            m.totalHostExecutionDuration = r.readTimeDuration();
            m.requestId = r.readU32();
            return m;
        }
        }
    }

private:
    const QByteArray &m_buffer;
    qsizetype m_shift;
};

ClientMessage readClientMessage(BsatnReader &r) {
    const quint8 tag = r.readTag(std::variant_size_v<ClientMessage>, "ClientMessage");
    if (!r.ok())
        return {};
    auto readFlags = [&r](const char *what) {
        const qsizetype at = r.localPosition();
        const quint8 flags = r.readU8();
        if (r.ok() && flags != 0)
            r.failAt(
                at,
                QStringLiteral("%1 flags must be 0, got %2").arg(QLatin1String(what)).arg(flags));
        return flags;
    };
    switch (tag) {
    case 0: {
        Subscribe m;
        m.requestId = r.readU32();
        m.querySetId = r.readU32();
        const quint32 n = r.readArrayLength(kMinString);
        m.queryStrings.reserve(n);
        for (quint32 i = 0; i < n && r.ok(); ++i)
            m.queryStrings.append(r.readString());
        return m;
    }
    case 1: {
        Unsubscribe m;
        m.requestId = r.readU32();
        m.querySetId = r.readU32();
        m.flags = UnsubscribeFlags(r.readTag(2, "UnsubscribeFlags"));
        return m;
    }
    case 2: {
        OneOffQuery m;
        m.requestId = r.readU32();
        m.queryString = r.readString();
        return m;
    }
    case 3: {
        CallReducer m;
        m.requestId = r.readU32();
        m.flags = readFlags("CallReducer");
        m.reducer = r.readString();
        m.args = r.readBytes();
        return m;
    }
    default: {
        CallProcedure m;
        m.requestId = r.readU32();
        m.flags = readFlags("CallProcedure");
        m.procedure = r.readString();
        m.args = r.readBytes();
        return m;
    }
    }
}

// Prefixes the failing message's name so logs say what was being decoded.
Error withContext(const Error &e, const QString &what) {
    return Error(e.kind(), QStringLiteral("%1: %2").arg(what, e.message()), e.offset());
}

QString serverTagName(QByteArrayView body, qsizetype at) {
    if (at < body.size() && quint8(body[at]) < std::variant_size_v<ServerMessage>) {
        static const char *const names[] = {
            "InitialConnection", "SubscribeApplied",  "UnsubscribeApplied", "SubscriptionError",
            "TransactionUpdate", "OneOffQueryResult", "ReducerResult",      "ProcedureResult"};
        return QStringLiteral("decoding %1").arg(QLatin1String(names[quint8(body[at])]));
    }
    return QStringLiteral("decoding ServerMessage");
}

QString clientTagName(QByteArrayView body, qsizetype at) {
    static const char *const names[] = {"Subscribe", "Unsubscribe", "OneOffQuery", "CallReducer",
                                        "CallProcedure"};
    if (at < body.size() && quint8(body[at]) < std::size(names))
        return QStringLiteral("decoding %1").arg(QLatin1String(names[quint8(body[at])]));
    return QStringLiteral("decoding ClientMessage");
}

Expected<ServerMessage> decodeOneAt(const QByteArray &buffer, qsizetype shift) {
    ServerReader sr(buffer, shift);
    ServerMessage m = sr.message();
    sr.r.expectEnd("ServerMessage");
    if (!sr.r.ok())
        return withContext(sr.r.error(), serverTagName(QByteArrayView(buffer).sliced(shift), 0));
    return m;
}

Expected<QList<ServerMessage>> decodeManyAt(const QByteArray &buffer, qsizetype shift) {
    if (buffer.size() <= shift)
        return Error::decode(QStringLiteral("empty v3 server message body"), 0);
    ServerReader sr(buffer, shift);
    QList<ServerMessage> out;
    while (!sr.r.atEnd()) {
        const qsizetype start = sr.r.localPosition();
        ServerMessage m = sr.message();
        if (!sr.r.ok())
            return withContext(sr.r.error(),
                               serverTagName(QByteArrayView(buffer).sliced(shift), start));
        out.append(std::move(m));
    }
    return out;
}

} // namespace

// ---- client messages --------------------------------------------------------------------

QByteArray encodeClientMessage(const ClientMessage &m) {
    BsatnWriter w;
    writeClientMessage(w, m);
    return w.take();
}

Expected<ClientMessage> decodeClientMessage(QByteArrayView payload) {
    BsatnReader r(payload);
    ClientMessage m = readClientMessage(r);
    r.expectEnd("ClientMessage");
    if (!r.ok())
        return withContext(r.error(), clientTagName(payload, 0));
    return m;
}

Expected<ClientMessage> decodeClientMessagePrefix(QByteArrayView payload, qsizetype *trailing) {
    BsatnReader r(payload);
    ClientMessage m = readClientMessage(r);
    if (!r.ok())
        return withContext(r.error(), clientTagName(payload, 0));
    if (trailing)
        *trailing = payload.size() - r.localPosition();
    return m;
}

QByteArray encodeClientMessagesV3(const QList<ClientMessage> &messages) {
    BsatnWriter w;
    for (const ClientMessage &m : messages)
        writeClientMessage(w, m);
    return w.take();
}

Expected<QList<ClientMessage>> decodeClientMessagesV3(QByteArrayView payload) {
    if (payload.isEmpty())
        return Error::decode(QStringLiteral("empty v3 client message payload"), 0);
    BsatnReader r(payload);
    QList<ClientMessage> out;
    while (!r.atEnd()) {
        const qsizetype start = r.localPosition();
        ClientMessage m = readClientMessage(r);
        if (!r.ok())
            return withContext(r.error(), clientTagName(payload, start));
        out.append(std::move(m));
    }
    return out;
}

// ---- server messages --------------------------------------------------------------------

namespace {

// An upper bound of the encoded size of the row-carrying messages, so a snapshot of ~100 MB is
// written into one allocation: growing the buffer as it fills would copy it into fresh memory
// several times over (each first touch of a page is a fault). Strings count 3 bytes a
// character (UTF-8 of UTF-16). 0 for messages without rows: they are small.
qsizetype rowListBound(const RowList &l) {
    const qsizetype offsets = l.hint() == RowList::Hint::FixedSize ? 0 : 8 * l.rowCount();
    return 1 + 4 + offsets + 4 + l.data().size();
}

qsizetype queryRowsBound(const QueryRows &q) {
    qsizetype n = 4;
    for (const SingleTableRows &t : q.tables)
        n += 4 + 3 * t.table.size() + rowListBound(t.rows);
    return n;
}

qsizetype transactionUpdateBound(const TransactionUpdate &u) {
    qsizetype n = 4;
    for (const QuerySetUpdate &qs : u.querySets) {
        n += 8;
        for (const TableUpdate &t : qs.tables) {
            n += 8 + 3 * t.tableName.size();
            for (const TableUpdateRows &rows : t.rows)
                n += 1 +
                     std::visit(
                         Overloaded{[](const PersistentTableRows &p) {
                                        return rowListBound(p.inserts) + rowListBound(p.deletes);
                                    },
                                    [](const EventTableRows &e) { return rowListBound(e.events); }},
                         rows);
        }
    }
    return n;
}

qsizetype serverMessageBound(const ServerMessage &m) {
    constexpr qsizetype kHeader = 64; // tag, ids, flags
    if (const auto *s = std::get_if<SubscribeApplied>(&m))
        return kHeader + queryRowsBound(s->rows);
    if (const auto *u = std::get_if<UnsubscribeApplied>(&m))
        return kHeader + (u->rows ? queryRowsBound(*u->rows) : 0);
    if (const auto *t = std::get_if<TransactionUpdate>(&m))
        return kHeader + transactionUpdateBound(*t);
    return 0;
}

} // namespace

QByteArray encodeServerMessage(const ServerMessage &m) {
    BsatnWriter w(serverMessageBound(m));
    writeServerMessage(w, m);
    return w.take();
}

Expected<ServerMessage> decodeServerMessage(const QByteArray &body) {
    return decodeOneAt(body, 0);
}

Expected<QList<ServerMessage>> decodeServerMessagesV3(const QByteArray &body) {
    return decodeManyAt(body, 0);
}

QByteArray encodeServerFrame(QByteArrayView body, Compression c, qsizetype threshold) {
    QByteArray frame;
    if (c != Compression::None && body.size() > threshold) {
        const QByteArray packed = compress(c, body);
        frame.reserve(1 + packed.size());
        frame.append(char(c));
        frame.append(packed);
    } else {
        frame.reserve(1 + body.size());
        frame.append(char(Compression::None));
        frame.append(body.data(), body.size());
    }
    return frame;
}

namespace {

// Validates the tag; for tag None the body is left in place (no copy).
Expected<Compression> frameTag(const QByteArray &frame) {
    if (frame.isEmpty())
        return Error::decode(QStringLiteral("empty server message"), 0);
    const quint8 tag = quint8(frame[0]);
    if (tag > quint8(Compression::Gzip))
        return Error(
            Error::Kind::Compression,
            QStringLiteral("unknown compression tag 0x%1").arg(tag, 2, 16, QLatin1Char('0')), 0);
    return Compression(tag);
}

} // namespace

Expected<QByteArray> unwrapServerFrame(const QByteArray &frame, const FrameDecodeOptions &opts,
                                       Compression *tag) {
    const Expected<Compression> c = frameTag(frame);
    if (!c)
        return c.error();
    if (tag)
        *tag = *c;
    return decompress(*c, QByteArrayView(frame).sliced(1), opts.maxDecompressedSize);
}

namespace {

// The frame tag and size cap shared by v2 (one message) and v3 (a batch). An uncompressed body
// is decoded in place (offset 1 of the frame, no copy); a compressed one from its inflated copy.
template <typename Decode>
auto decodeFrameBody(const QByteArray &frame, const FrameDecodeOptions &opts, Decode decode)
    -> decltype(decode(frame, 1)) {
    const Expected<Compression> c = frameTag(frame);
    if (!c)
        return c.error();
    if (*c == Compression::None) {
        if (frame.size() - 1 > opts.maxDecompressedSize)
            return Error(Error::Kind::Compression,
                         QStringLiteral("server message of %1 bytes exceeds the %2-byte limit")
                             .arg(frame.size() - 1)
                             .arg(opts.maxDecompressedSize));
        return decode(frame, 1);
    }
    const Expected<QByteArray> body =
        decompress(*c, QByteArrayView(frame).sliced(1), opts.maxDecompressedSize);
    if (!body)
        return body.error();
    return decode(*body, 0);
}

} // namespace

Expected<ServerMessage> decodeServerFrame(const QByteArray &frame, const FrameDecodeOptions &opts) {
    return decodeFrameBody(frame, opts, decodeOneAt);
}

Expected<QList<ServerMessage>> decodeServerFrameV3(const QByteArray &frame,
                                                   const FrameDecodeOptions &opts) {
    return decodeFrameBody(frame, opts, decodeManyAt);
}

} // namespace stdb::protocol
