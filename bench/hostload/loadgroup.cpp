// SPDX-License-Identifier: Apache-2.0
#include "loadgroup.h"

#include "quickstart_chat/module.h"
#include "spacetime/compression.h"
#include "spacetime/connection/dbconnection.h"

#include <QLoggingCategory>
#include <QTimer>

#include <chrono>

Q_LOGGING_CATEGORY(lcLoad, "bench.hostload")

namespace hostload {

qint64 nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString messageText(const QString &runId, int client, int seq, qint64 sendNs) {
    return QStringLiteral("hl/%1/%2/%3/%4").arg(runId).arg(client).arg(seq).arg(sendNs);
}

bool parseMessageText(QStringView text, QStringView runId, ParsedText *out, bool *malformed) {
    *malformed = false;
    if (!text.startsWith(u"hl/") || !text.mid(3).startsWith(runId) ||
        text.size() < 4 + runId.size() || text[3 + runId.size()] != u'/')
        return false;
    const QStringView rest = text.mid(4 + runId.size());
    const qsizetype a = rest.indexOf(u'/');
    const qsizetype b = a < 0 ? -1 : rest.indexOf(u'/', a + 1);
    bool ok1 = false, ok2 = false, ok3 = false;
    if (b > 0) {
        out->client = rest.first(a).toInt(&ok1);
        out->seq = rest.sliced(a + 1, b - a - 1).toInt(&ok2);
        out->sendNs = rest.sliced(b + 1).toLongLong(&ok3);
    }
    *malformed = !(ok1 && ok2 && ok3 && out->client >= 0 && out->seq >= 0);
    return true;
}

struct LoadGroup::Client {
    ClientResult *result = nullptr;
    stdb::DbConnection *conn = nullptr;
    quickstart_chat::Module *module = nullptr;
    qint64 offsetNs = 0; // staggering within one send period
    int nextSeq = 0;
    bool isReady = false;
    bool isFailed = false;
};

LoadGroup::LoadGroup(const LoadParams &params, int firstIndex, int count)
    : m_params(params)
    , m_firstIndex(firstIndex)
    , m_count(count) {}

LoadGroup::~LoadGroup() = default;

void LoadGroup::start() {
    const qint64 periodNs = 1'000'000'000LL / m_params.rate;
    for (int i = 0; i < m_count; ++i) {
        auto result = std::make_unique<ClientResult>();
        result->index = m_firstIndex + i;
        result->outcomes.assign(std::size_t(m_params.messages), ClientResult::Pending);
        result->ownRowNs.reserve(std::size_t(m_params.messages));
        result->roundTripNs.reserve(std::size_t(m_params.messages));
        result->fanoutNs.reserve(std::size_t(m_params.messages) * std::size_t(m_params.clients));
        result->seen.reserve(m_params.messages * m_params.clients);
        auto client = std::make_unique<Client>();
        client->result = result.get();
        client->offsetNs = periodNs * result->index / m_params.clients;
        m_results.push_back(std::move(result));

        auto built = stdb::DbConnectionBuilder()
                         .withUri(m_params.url)
                         .withDatabaseName(m_params.database)
                         .withCompression(stdb::Compression(m_params.compression))
                         .build(this);
        Client &c = *client;
        m_clients.push_back(std::move(client));
        auto fail = [this, &c](const QString &why) {
            if (c.isFailed)
                return;
            c.isFailed = true;
            c.result->error = why;
            qCWarning(lcLoad).noquote() << "client" << c.result->index << why;
            ++failedClients;
        };
        if (!built) {
            fail(built.error().message());
            continue;
        }
        c.conn = *built;
        c.module = new quickstart_chat::Module(c.conn);
        connect(c.conn, &stdb::DbConnection::connected, this,
                [&c](const stdb::Identity &id, const stdb::ConnectionId &, const QString &) {
                    c.result->identity = id;
                });
        connect(c.conn, &stdb::DbConnection::connectError, this,
                [fail](const stdb::Error &e) { fail(QStringLiteral("connect: ") + e.message()); });
        connect(c.conn, &stdb::DbConnection::disconnected, this,
                [fail](const std::optional<stdb::Error> &e) {
                    if (e)
                        fail(QStringLiteral("disconnected: ") + e->message());
                });
        connect(c.module->message(), &quickstart_chat::MessageTable::rowInserted, this,
                [this, &c](const quickstart_chat::Message &row, const stdb::EventContext &) {
                    onRow(c, row);
                });
        c.conn->subscriptionBuilder()
            .withContext(this)
            .onApplied([this, &c](const stdb::EventContext &) {
                c.isReady = true;
                ++ready;
            })
            .onError([fail](const stdb::EventContext &ctx) {
                fail(QStringLiteral("subscription: ") + ctx.error().message());
            })
            .subscribe(QStringLiteral("SELECT * FROM message"));
    }
}

void LoadGroup::beginSending(qint64 startNs) {
    m_startNs = startNs;
    m_tick = new QTimer(this);
    m_tick->setTimerType(Qt::PreciseTimer);
    m_tick->setInterval(2);
    connect(m_tick, &QTimer::timeout, this, &LoadGroup::onTick);
    m_tick->start();
    onTick();
}

void LoadGroup::onTick() {
    const qint64 periodNs = 1'000'000'000LL / m_params.rate;
    const qint64 now = nowNs();
    bool allDone = true;
    for (auto &c : m_clients) {
        if (c->isFailed || !c->isReady)
            continue;
        // Open loop: whatever is due goes out now, however the earlier calls are doing.
        while (c->nextSeq < m_params.messages) {
            const qint64 due = m_startNs + c->offsetNs + qint64(c->nextSeq) * periodNs;
            if (due > now)
                break;
            sendOne(*c, due);
        }
        if (c->nextSeq < m_params.messages)
            allDone = false;
    }
    if (allDone) {
        m_tick->stop();
        sendingDone = true;
    }
}

void LoadGroup::sendOne(Client &c, qint64 scheduledNs) {
    const int seq = c.nextSeq++;
    const qint64 sendNs = nowNs();
    c.result->maxSendLagNs = std::max(c.result->maxSendLagNs, sendNs - scheduledNs);
    ClientResult *r = c.result;
    const auto call = c.module->reducers()->sendMessage(
        messageText(m_params.runId, r->index, seq, sendNs), this,
        [this, r, seq, sendNs](const stdb::ReducerOutcome &o) {
            ++resolved;
            if (o.isCommitted()) {
                r->outcomes[std::size_t(seq)] = ClientResult::Committed;
                r->roundTripNs.push_back(nowNs() - sendNs);
                ++committed;
                return;
            }
            // Cut off by the connection's end: as far as the load report goes, not known.
            const bool cutOff = o.status == stdb::ReducerOutcome::Status::NeverSent ||
                                o.status == stdb::ReducerOutcome::Status::OutcomeUnknown;
            r->outcomes[std::size_t(seq)] = cutOff ? ClientResult::Unknown : ClientResult::Failed;
            if (r->firstFailure.isEmpty())
                r->firstFailure = o.message;
        });
    ++sent;
    if (!call) {
        ++resolved;
        r->outcomes[std::size_t(seq)] = ClientResult::Failed;
        if (r->firstFailure.isEmpty())
            r->firstFailure = call.error().message();
    }
}

void LoadGroup::onRow(Client &c, const quickstart_chat::Message &row) {
    const qint64 now = nowNs();
    ParsedText p;
    bool malformed = false;
    if (!parseMessageText(row.text, m_params.runId, &p, &malformed))
        return; // another run's row (a shared host)
    ClientResult *r = c.result;
    ++r->delivered;
    ++delivered;
    if (malformed || p.client >= m_params.clients || p.seq >= m_params.messages) {
        ++r->malformed;
        return;
    }
    quint16 &count = r->seen[(quint64(p.client) << 32) | quint64(p.seq)];
    if (++count > 1) {
        ++r->duplicates;
        return;
    }
    if (p.client == r->index)
        r->ownRowNs.push_back(now - p.sendNs);
    else
        r->fanoutNs.push_back(now - p.sendNs);
}

void LoadGroup::shutdown() {
    if (m_tick)
        m_tick->stop();
    for (auto &c : m_clients) {
        if (c->conn) {
            c->conn->disconnect();
            delete c->conn;
            c->conn = nullptr;
        }
    }
    finished = true;
}

} // namespace hostload
