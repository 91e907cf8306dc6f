// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared helpers of the reliability suites: the host's state through /sql, the same state as a
// ChatClient's models or a DbConnection's cache show it, and the process's resident memory.

#include "chat/chatclient.h"
#include "chat/messagemodel.h"
#include "chat/usermodel.h"

#include "quickstart_chat/module.h"

#include "hostprocess.h"
#include "httpclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace reliability {

// One message as every side can name it: sender (hex) and text.
struct MessageKey {
    QString sender;
    QString text;
    bool operator==(const MessageKey &) const = default;
    bool operator<(const MessageKey &o) const {
        return std::tie(sender, text) < std::tie(o.sender, o.text);
    }
};

struct UserState {
    std::optional<QString> name;
    bool online = false;
    bool operator==(const UserState &) const = default;
};

struct HostState {
    bool ok = false;
    QString error;
    QList<MessageKey> messages;     // sorted
    QMap<QString, UserState> users; // identity hex -> state
    QString queryIdentity;          // the throw-away identity the /sql call itself used
    QStringList texts() const {
        QStringList t;
        for (const MessageKey &m : messages)
            t << m.text;
        return t;
    }
};

// "0x…" / ["0x…"] / {"__identity__": "0x…"}: whatever shape the host gives an Identity.
inline QString identityHex(const QJsonValue &v) {
    QString s;
    if (v.isString())
        s = v.toString();
    else if (v.isArray() && !v.toArray().isEmpty())
        return identityHex(v.toArray().at(0));
    else if (v.isObject() && !v.toObject().isEmpty())
        return identityHex(*v.toObject().begin());
    if (s.startsWith(QLatin1String("0x")))
        s = s.mid(2);
    return s.toLower();
}

// Option<String> in SATS-JSON: {"some": "x"} / {"none": []}, or a bare value.
inline std::optional<QString> optionalString(const QJsonValue &v) {
    if (v.isString())
        return v.toString();
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.contains(QLatin1String("some")))
            return o.value(QLatin1String("some")).toString();
        if (o.contains(QLatin1String("0")))
            return o.value(QLatin1String("0")).toString();
        return std::nullopt;
    }
    if (v.isArray()) { // sum as [tag, value]
        const QJsonArray a = v.toArray();
        if (a.size() == 2 && a.at(0).toInt() == 0)
            return a.at(1).toString();
    }
    return std::nullopt;
}

inline int columnIndex(const QJsonObject &result, const QString &name, int fallback) {
    const QJsonArray elements =
        result.value(QLatin1String("schema")).toObject().value(QLatin1String("elements")).toArray();
    for (int i = 0; i < elements.size(); ++i) {
        const QJsonValue n = elements.at(i).toObject().value(QLatin1String("name"));
        const QString s =
            n.isObject() ? n.toObject().value(QLatin1String("some")).toString() : n.toString();
        if (s == name)
            return i;
    }
    return fallback;
}

// Both tables through /sql: one statement per request (the real server takes no more), both
// requests as the same throw-away identity (the first one mints it).
inline HostState hostState(const QUrl &sqlUrl, int timeoutMs = 20000) {
    HostState st;
    HttpClient http;
    QList<QJsonObject> results;
    QByteArray token;
    for (const char *query : {"SELECT * FROM user", "SELECT * FROM message"}) {
        QList<std::pair<QByteArray, QByteArray>> headers{
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain")}};
        if (!token.isEmpty())
            headers.append({QByteArrayLiteral("Authorization"), "Bearer " + token});
        const HttpReply r = http.request("POST", sqlUrl, query, headers, timeoutMs);
        if (r.status != 200) {
            st.error = QStringLiteral("/sql %1 answered %2: %3 %4")
                           .arg(QLatin1String(query))
                           .arg(r.status)
                           .arg(r.error, QString::fromUtf8(r.body.left(300)));
            return st;
        }
        if (token.isEmpty()) {
            token = r.header("spacetime-identity-token");
            st.queryIdentity = identityHex(QString::fromLatin1(r.header("spacetime-identity")));
        }
        const QJsonArray one = QJsonDocument::fromJson(r.body).array();
        if (one.size() != 1) {
            st.error = QStringLiteral("/sql: unexpected body %1").arg(QString::fromUtf8(r.body));
            return st;
        }
        results.append(one.at(0).toObject());
    }
    const QJsonObject &users = results.at(0);
    const int uId = columnIndex(users, QStringLiteral("identity"), 0);
    const int uName = columnIndex(users, QStringLiteral("name"), 1);
    const int uOnline = columnIndex(users, QStringLiteral("online"), 2);
    for (const QJsonValue &row : users.value(QLatin1String("rows")).toArray()) {
        const QJsonArray a = row.toArray();
        st.users.insert(identityHex(a.at(uId)),
                        UserState{optionalString(a.at(uName)), a.at(uOnline).toBool()});
    }
    const QJsonObject &messages = results.at(1);
    const int mSender = columnIndex(messages, QStringLiteral("sender"), 0);
    const int mText = columnIndex(messages, QStringLiteral("text"), 2);
    for (const QJsonValue &row : messages.value(QLatin1String("rows")).toArray()) {
        const QJsonArray a = row.toArray();
        st.messages.append(MessageKey{identityHex(a.at(mSender)), a.at(mText).toString()});
    }
    std::sort(st.messages.begin(), st.messages.end());
    st.ok = true;
    return st;
}

inline HostState hostState(HostProcess &host, int timeoutMs = 20000) {
    return hostState(host.http(QStringLiteral("/v1/database/quickstart-chat/sql")), timeoutMs);
}

// The confirmed messages a ChatClient shows (own unsent ones excluded), sorted.
inline QList<MessageKey> modelMessages(const chat::ChatClient *c) {
    QList<MessageKey> out;
    const chat::MessageModel *m = c->messages();
    for (int i = 0; i < m->rowCount(); ++i) {
        const QModelIndex idx = m->index(i, 0);
        if (idx.data(chat::MessageModel::DeliveryStateRole).value<chat::DeliveryState>() !=
            chat::DeliveryState::Sent)
            continue;
        out.append(MessageKey{idx.data(chat::MessageModel::SenderIdentityRole).toString().toLower(),
                              idx.data(chat::MessageModel::TextRole).toString()});
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every row of the model in display order (text, delivery state) — for "nothing moved".
inline QStringList modelRows(const chat::ChatClient *c) {
    QStringList out;
    const chat::MessageModel *m = c->messages();
    for (int i = 0; i < m->rowCount(); ++i) {
        const QModelIndex idx = m->index(i, 0);
        out << QStringLiteral("%1|%2|%3")
                   .arg(idx.data(chat::MessageModel::SenderIdentityRole).toString(),
                        idx.data(chat::MessageModel::TextRole).toString())
                   .arg(int(idx.data(chat::MessageModel::DeliveryStateRole)
                                .value<chat::DeliveryState>()));
    }
    return out;
}

inline QMap<QString, UserState> modelUsers(const chat::ChatClient *c) {
    QMap<QString, UserState> out;
    const chat::UserModel *m = c->users();
    for (int i = 0; i < m->rowCount(); ++i) {
        const QModelIndex idx = m->index(i, 0);
        const QString name = idx.data(chat::UserModel::NameRole).toString();
        out.insert(idx.data(chat::UserModel::IdentityRole).toString().toLower(),
                   UserState{name.isEmpty() ? std::nullopt : std::optional<QString>(name),
                             idx.data(chat::UserModel::OnlineRole).toBool()});
    }
    return out;
}

// The message table as an SDK cache (generated bindings) holds it, sorted.
inline QList<MessageKey> cacheMessages(const quickstart_chat::Module *module) {
    QList<MessageKey> out;
    module->message()->forEach([&](const quickstart_chat::Message &m) {
        out.append(MessageKey{m.sender.toHex().toLower(), m.text});
    });
    std::sort(out.begin(), out.end());
    return out;
}

inline QMap<QString, UserState> cacheUsers(const quickstart_chat::Module *module) {
    QMap<QString, UserState> out;
    module->user()->forEach([&](const quickstart_chat::User &u) {
        out.insert(u.identity.toHex().toLower(), UserState{u.name, u.online});
    });
    return out;
}

// Compares a client's view of the users with the host's, ignoring the identities whose online
// flag legitimately differs (the /sql caller goes offline right after answering).
inline QString compareUsers(QMap<QString, UserState> client, QMap<QString, UserState> host,
                            const QStringList &ignoreOnline) {
    for (const QString &id : ignoreOnline) {
        if (client.contains(id))
            client[id].online = false;
        if (host.contains(id))
            host[id].online = false;
    }
    // The /sql caller's insert may still be on its way to the client.
    for (const QString &id : ignoreOnline)
        if (!client.contains(id))
            host.remove(id);
    if (client == host)
        return {};
    QStringList diff;
    for (auto it = host.cbegin(); it != host.cend(); ++it)
        if (!client.contains(it.key()))
            diff << QStringLiteral("missing user %1").arg(it.key());
        else if (!(client.value(it.key()) == it.value()))
            diff << QStringLiteral("user %1 differs (online %2 vs host %3)")
                        .arg(it.key())
                        .arg(client.value(it.key()).online)
                        .arg(it.value().online);
    for (auto it = client.cbegin(); it != client.cend(); ++it)
        if (!host.contains(it.key()))
            diff << QStringLiteral("extra user %1").arg(it.key());
    return diff.join(QLatin1String("; "));
}

inline QString describeDiff(const QList<MessageKey> &client, const QList<MessageKey> &host) {
    QStringList missing, extra;
    QList<MessageKey> h = host;
    for (const MessageKey &m : client) {
        const auto it = std::find(h.begin(), h.end(), m);
        if (it == h.end())
            extra << m.text;
        else
            h.erase(it);
    }
    for (const MessageKey &m : h)
        missing << m.text;
    return QStringLiteral("client %1 rows, host %2 rows; missing on client: [%3]; extra on "
                          "client: [%4]")
        .arg(client.size())
        .arg(host.size())
        .arg(missing.mid(0, 20).join(QLatin1String(", ")),
             extra.mid(0, 20).join(QLatin1String(", ")));
}

// Resident set size of this process in KiB (VmRSS), or -1.
inline qint64 rssKiB(const char *field = "VmRSS:") {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace reliability
