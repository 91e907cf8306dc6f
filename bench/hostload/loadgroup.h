// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

class QTimer;

namespace stdb {
class DbConnection;
}
namespace quickstart_chat {
class Module;
struct Message;
} // namespace quickstart_chat

namespace hostload {

struct LoadParams {
    QString url;
    QString database;
    QString runId;       // in every message text, so rows of other runs are ignored
    int clients = 0;     // in the whole run (for staggering the send schedule)
    int rate = 0;        // messages per second per client
    int messages = 0;    // per client
    int compression = 0; // stdb::Compression
};

// What one client did and saw. Written only by its group's thread; read by the main thread
// after that thread has finished.
struct ClientResult {
    enum Outcome : quint8 { Pending = 0, Committed, Failed, Unknown };

    int index = 0;
    stdb::Identity identity;
    QString error;                   // connection or subscription failure
    std::vector<quint8> outcomes;    // per sequence number
    std::vector<qint64> roundTripNs; // send → reducer callback (committed calls)
    std::vector<qint64> ownRowNs;    // send → own row in the cache
    std::vector<qint64> fanoutNs;    // someone else's send → their row here
    QHash<quint64, quint16> seen;    // (sender << 32 | seq) → times seen
    qint64 delivered = 0;            // rows of this run seen (duplicates included)
    qint64 duplicates = 0;
    qint64 malformed = 0;    // rows with the run id whose text does not parse
    qint64 maxSendLagNs = 0; // how late a send was against its schedule
    QString firstFailure;    // the first reducer error text
};

// Message text: "hl/<run>/<client>/<seq>/<send time ns>", unique per message and carrying its
// own send time (one steady clock for the whole process).
QString messageText(const QString &runId, int client, int seq, qint64 sendNs);
struct ParsedText {
    int client = -1;
    int seq = -1;
    qint64 sendNs = 0;
};
// True when `text` belongs to run `runId`; then `*malformed` tells whether the rest parsed.
bool parseMessageText(QStringView text, QStringView runId, ParsedText *out, bool *malformed);

qint64 nowNs();

// A group of clients living in one thread (its own event loop); the main thread drives it with
// queued calls and watches its atomic counters.
class LoadGroup : public QObject {
    Q_OBJECT
public:
    LoadGroup(const LoadParams &params, int firstIndex, int count);
    ~LoadGroup() override;

    // Counters the main thread may read at any time.
    std::atomic<int> ready{0}; // connected and subscribed
    std::atomic<int> failedClients{0};
    std::atomic<qint64> sent{0};
    std::atomic<qint64> resolved{0}; // reducer callbacks received
    std::atomic<qint64> committed{0};
    std::atomic<qint64> delivered{0}; // rows of this run seen by this group's clients
    std::atomic<bool> sendingDone{false};
    std::atomic<bool> finished{false};

    // Valid once `finished` is set.
    const std::vector<std::unique_ptr<ClientResult>> &results() const { return m_results; }

public Q_SLOTS:
    void start();
    // Starts the fixed-rate schedule at `startNs` (nowNs() clock).
    void beginSending(qint64 startNs);
    // Disconnects and deletes every client; sets `finished`.
    void shutdown();

private:
    struct Client;
    void onTick();
    void sendOne(Client &c, qint64 scheduledNs);
    void onRow(Client &c, const quickstart_chat::Message &row);

    LoadParams m_params;
    int m_firstIndex = 0;
    int m_count = 0;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::vector<std::unique_ptr<ClientResult>> m_results;
    QTimer *m_tick = nullptr;
    qint64 m_startNs = 0;
};

} // namespace hostload
