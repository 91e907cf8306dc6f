// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/procedureoutcome.h"
#include "spacetime/connection/reduceroutcome.h"
#include "spacetime/expected.h"
#include "spacetime/protocol/messages.h"

#include <QHash>
#include <QPointer>

#include <functional>
#include <optional>

namespace stdb {

using ReducerCallback = std::function<void(const ReducerOutcome &)>;
using QueryCallback = std::function<void(const Expected<protocol::QueryRows> &)>;
using ProcedureCallback = std::function<void(const ProcedureOutcome &)>;

// Bookkeeping of the requests that wait for an answer (reducer calls, one-off queries,
// procedure calls) and of request ids. Request ids are per connection, start at 1 and are
// never handed out twice while a request with that id is pending (they wrap after 2^32).
class STDB_EXPORT RequestTracker {
public:
    enum class Kind { Reducer, Query, Procedure };

    struct Pending {
        Kind kind = Kind::Reducer;
        QString name; // reducer or procedure name, or the SQL text
        QByteArray args;
        bool sent = false; // false: still in the outbox, the server never saw it
        ReducerCallback onReducer;
        QueryCallback onQuery;
        ProcedureCallback onProcedure;
        QPointer<QObject> context;
        bool hasContext = false;
        quint64 serial = 0; // issue order
        bool contextAlive() const { return !hasContext || context; }
    };

    // A fresh id, not used by any pending request.
    quint32 nextId();
    // Registers a request that waits for its answer under `id`.
    void add(quint32 id, Pending p);
    // Removes and returns the request with this id if it is of this kind.
    std::optional<Pending> take(quint32 id, Kind kind);
    bool contains(quint32 id) const { return m_pending.contains(id); }
    qsizetype size() const { return m_pending.size(); }
    void markAllSent();
    // Removes and returns the requests matching `sent` (both when nullopt), in issue order.
    QList<std::pair<quint32, Pending>> takeAll(std::optional<bool> sent = std::nullopt);

    // For tests: the next id nextId() will try.
    void setNextId(quint32 id) { m_next = id; }

private:
    QHash<quint32, Pending> m_pending;
    quint32 m_next = 1;
    quint64 m_serial = 0;
};

} // namespace stdb
