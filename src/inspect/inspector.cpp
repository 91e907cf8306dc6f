// SPDX-License-Identifier: Apache-2.0
#include "inspect/inspector.h"

#include "spacetime/protocol/messagecodec.h"
#include "spacetime/schema/jsonpath.h"

#include <QJsonArray>
#include <QJsonObject>

namespace inspect {

using namespace stdb;
using namespace stdb::protocol;
using P = JsonPath;

namespace {

Expected<Compression> compressionFromName(const QJsonValue &v, const QString &path) {
    const QString s = v.toString();
    if (s == u"none")
        return Compression::None;
    if (s == u"brotli")
        return Compression::Brotli;
    if (s == u"gzip")
        return Compression::Gzip;
    return P::error(path, QStringLiteral("expected \"none\", \"brotli\" or \"gzip\""));
}

} // namespace

Expected<QJsonValue> Inspector::decodeClient(const QByteArray &payload) const {
    if (m_v3) {
        if (payload.isEmpty())
            return Error::decode(QStringLiteral("empty v3 client payload"), 0);
        Expected<QList<ClientMessage>> ms = decodeClientMessagesV3(payload);
        if (!ms)
            return ms.error();
        QJsonArray arr;
        for (const ClientMessage &m : *ms)
            arr.append(m_json.toJson(m));
        QJsonObject o;
        o.insert(u"messages", arr);
        return QJsonValue(o);
    }
    Expected<ClientMessage> m = decodeClientMessage(payload);
    if (!m)
        return m.error();
    return QJsonValue(m_json.toJson(*m));
}

Expected<QJsonValue> Inspector::decodeServer(const QByteArray &payload) const {
    if (payload.isEmpty())
        return Error::decode(QStringLiteral("empty server payload"), 0);
    // Error offsets count from the start of the payload (the tag byte is byte 0); for
    // compressed frames they are offsets into the decompressed body, and the message says so.
    Compression tag = Compression::None;
    Expected<QByteArray> body = unwrapServerFrame(payload, {}, &tag);
    if (!body)
        return body.error();
    auto located = [&](const Error &e) {
        if (e.kind() != Error::Kind::Decode || e.offset() < 0)
            return e;
        if (tag == Compression::None)
            return Error(e.kind(), e.message(), e.offset() + 1);
        return Error(e.kind(), e.message() + QStringLiteral(" [in the decompressed body]"),
                     e.offset());
    };
    QJsonObject o;
    o.insert(u"compression", compressionName(tag));
    if (m_v3) {
        Expected<QList<ServerMessage>> ms = decodeServerMessagesV3(*body);
        if (!ms)
            return located(ms.error());
        QJsonArray arr;
        for (const ServerMessage &m : *ms)
            arr.append(m_json.toJson(m));
        o.insert(u"messages", arr);
        return QJsonValue(o);
    }
    Expected<ServerMessage> m = decodeServerMessage(*body);
    if (!m)
        return located(m.error());
    o.insert(u"message", m_json.toJson(*m));
    return QJsonValue(o);
}

Expected<QByteArray> Inspector::encodeClient(const QJsonValue &json) const {
    if (json.isObject() && json.toObject().contains(u"messages")) {
        const QJsonObject o = json.toObject();
        if (o.size() != 1)
            return P::error(QString(), QStringLiteral("a v3 client payload has only \"messages\""));
        const QJsonValue list = o.value(u"messages");
        if (!list.isArray())
            return P::expected(QStringLiteral("messages"), "an array", list);
        if (list.toArray().isEmpty())
            return P::error(QStringLiteral("messages"), QStringLiteral("a v3 payload needs at "
                                                                       "least one message"));
        QList<ClientMessage> ms;
        const QJsonArray arr = list.toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            Expected<ClientMessage> m =
                m_json.clientFromJson(arr[i], P::index(QStringLiteral("messages"), i));
            if (!m)
                return m.error();
            ms.append(*m);
        }
        return encodeClientMessagesV3(ms);
    }
    Expected<ClientMessage> m = m_json.clientFromJson(json);
    if (!m)
        return m.error();
    return encodeClientMessage(*m);
}

Expected<QByteArray> Inspector::encodeServer(const QJsonValue &json) const {
    if (!json.isObject())
        return P::expected(QString(), "an object", json);
    const QJsonObject o = json.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key() != u"compression" && it.key() != u"message" && it.key() != u"messages")
            return P::error(it.key(), QStringLiteral("unknown field"));
    Compression c = Compression::None;
    if (o.contains(u"compression")) {
        Expected<Compression> parsed =
            compressionFromName(o.value(u"compression"), QStringLiteral("compression"));
        if (!parsed)
            return parsed.error();
        c = *parsed;
    }
    QByteArray body;
    if (o.contains(u"messages")) {
        const QJsonValue list = o.value(u"messages");
        if (!list.isArray())
            return P::expected(QStringLiteral("messages"), "an array", list);
        const QJsonArray arr = list.toArray();
        if (arr.isEmpty())
            return P::error(QStringLiteral("messages"), QStringLiteral("a v3 payload needs at "
                                                                       "least one message"));
        for (qsizetype i = 0; i < arr.size(); ++i) {
            Expected<ServerMessage> m =
                m_json.serverFromJson(arr[i], P::index(QStringLiteral("messages"), i));
            if (!m)
                return m.error();
            body += encodeServerMessage(*m);
        }
    } else if (o.contains(u"message")) {
        Expected<ServerMessage> m =
            m_json.serverFromJson(o.value(u"message"), QStringLiteral("message"));
        if (!m)
            return m.error();
        body = encodeServerMessage(*m);
    } else {
        return P::error(QStringLiteral("message"), QStringLiteral("missing"));
    }
    // Threshold 0: compress whenever the JSON asks for it, whatever the size.
    return encodeServerFrame(body, c, 0);
}

Expected<QByteArray> Inspector::parseHex(QByteArrayView text) {
    QByteArray out;
    out.reserve(text.size() / 2);
    int high = -1;
    qsizetype i = 0;
    while (i < text.size() && QChar::isSpace(uchar(text[i])))
        ++i;
    if (i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        i += 2;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (QChar::isSpace(uchar(c)))
            continue;
        else
            return Error(Error::Kind::InvalidArgument,
                         QStringLiteral("invalid hex digit '%1' at character %2")
                             .arg(QChar(uchar(c)))
                             .arg(i));
        if (high < 0) {
            high = d;
        } else {
            out.append(char(high << 4 | d));
            high = -1;
        }
    }
    if (high >= 0)
        return Error(Error::Kind::InvalidArgument, QStringLiteral("odd number of hex digits"));
    return out;
}

} // namespace inspect
