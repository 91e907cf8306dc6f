// SPDX-License-Identifier: Apache-2.0
// Rows of the generated quickstart-chat bindings through the path a DbConnection takes: the
// frame decoder, the client cache configured by the bindings (the `user` primary key), and the
// bindings' row decoding of every change, as UserTable/MessageTable::dispatch() do it.
//
// Input: one flags byte, then a v3 server message body (one or more messages back to back).
//   bit 0: SubscribeApplied goes through ClientCache::prepare() first (the decoder thread's
//          path for large snapshots), so the cache adopts prebuilt tables
//   bit 1: afterwards, a reconnect: beginResync(), every message again into the hidden
//          replica, then finishResync() (bit 2: abortResync() instead)

#include "harness.h"

#include "quickstart_chat/messagetable.h"
#include "quickstart_chat/usertable.h"

#include "spacetime/cache/clientcache.h"
#include "spacetime/connection/framedecoder.h"

#include <QSet>

using namespace stdb;
using namespace stdb::protocol;
using quickstart_chat::MessageTable;
using quickstart_chat::UserTable;

namespace fuzz {

namespace {

// The bytes of the `user` primary key inside a row: `identity` is its first column, 32 bytes
// (decodeRow() below checks that this agrees with the bindings).
QByteArrayView userKey(QByteArrayView row) {
    return row.size() >= 32 ? row.first(32) : QByteArrayView();
}

// One row as the bindings decode it; a decoded row must re-encode to exactly its bytes
// (BSATN is canonical), or the typed row and the cached row would disagree.
void decodeRow(const TableCache &table, QByteArrayView bytes) {
    if (table.name() == QLatin1String(UserTable::kTableName)) {
        if (const std::optional<quickstart_chat::User> row = UserTable::decodeRow(bytes)) {
            FUZZ_CHECK(toBsatn(*row) == bytes, "a user row does not re-encode to its bytes");
            FUZZ_CHECK(userKey(bytes) == toBsatn(row->identity),
                       "the user key is not the identity column");
        }
    } else if (const std::optional<quickstart_chat::Message> row = MessageTable::decodeRow(bytes)) {
        FUZZ_CHECK(toBsatn(*row) == bytes, "a message row does not re-encode to its bytes");
    }
}

// A primary-key lookup may miss (duplicate keys from a misbehaving server), but what it finds
// must be a live row with that key.
void checkKeyLookup(const TableCache &table, QByteArrayView row) {
    if (!table.hasPrimaryKey())
        return;
    const QByteArrayView key = userKey(row);
    if (key.isNull())
        return;
    if (const RowEntry *e = table.findByPrimaryKey(key)) {
        FUZZ_CHECK(userKey(e->bytes()) == key, "primary key index returns another key");
        FUZZ_CHECK(table.find(e->bytes()) == e, "primary key index returns a dead row");
    }
}

// What a table handle would be told about one message.
void checkChanges(const CacheChanges &changes) {
    for (const TableDelta &d : changes.tables) {
        FUZZ_CHECK(d.table, "a delta without its table");
        const TableCache &t = *d.table;
        for (const RowEntry *e : d.deleted) {
            decodeRow(t, e->bytes());
            FUZZ_CHECK(!t.find(e->bytes()), "a deleted row is still in the cache");
        }
        for (const auto &[oldRow, newRow] : d.updated) {
            decodeRow(t, oldRow->bytes());
            decodeRow(t, newRow->bytes());
            FUZZ_CHECK(t.hasPrimaryKey(), "an update in a table without a primary key");
            FUZZ_CHECK(userKey(oldRow->bytes()) == userKey(newRow->bytes()),
                       "an update pairs rows with different keys");
            FUZZ_CHECK(!t.find(oldRow->bytes()), "the old half of an update is still cached");
            FUZZ_CHECK(t.find(newRow->bytes()) == newRow, "the new half of an update is missing");
            checkKeyLookup(t, newRow->bytes());
        }
        for (const RowEntry *e : d.inserted) {
            decodeRow(t, e->bytes());
            FUZZ_CHECK(t.find(e->bytes()) == e, "an inserted row is not in the cache");
            checkKeyLookup(t, e->bytes());
        }
        for (QByteArrayView bytes : d.events)
            decodeRow(t, bytes);
    }
}

// Everything cached, read the way UserTable::rows() / findByIdentity() read it.
void checkCache(const ClientCache &cache) {
    for (const TableCache *t : cache.tables()) {
        qsizetype n = 0;
        t->forEach([&](const RowEntry &e) {
            ++n;
            FUZZ_CHECK(t->find(e.bytes()) == &e, "a cached row cannot be found by its bytes");
            decodeRow(*t, e.bytes());
            checkKeyLookup(*t, e.bytes());
        });
        FUZZ_CHECK(n == t->count(), "count() disagrees with forEach()");
    }
}

// The query-set bookkeeping of DbConnectionPrivate::handle(): rows of sets that are not
// applied (or were dropped) never reach the cache.
class Session {
public:
    Session(ClientCache &cache, bool prepare)
        : m_cache(cache)
        , m_prepare(prepare) {}

    void apply(const ServerMessage &m) {
        if (const auto *s = std::get_if<SubscribeApplied>(&m)) {
            if (m_sets.contains(s->querySetId))
                return; // a duplicate SubscribeApplied is ignored
            m_sets.insert(s->querySetId);
            std::shared_ptr<PreparedSnapshot> prepared;
            if (m_prepare)
                prepared = ClientCache::prepare(*m_cache.layout(), s->querySetId, s->rows, 0);
            report(m_cache.applySubscribeApplied(s->querySetId, s->rows, prepared.get()));
        } else if (const auto *u = std::get_if<UnsubscribeApplied>(&m)) {
            if (m_sets.remove(u->querySetId))
                report(m_cache.applyUnsubscribeApplied(u->querySetId, u->rows));
        } else if (const auto *e = std::get_if<SubscriptionError>(&m)) {
            if (m_sets.remove(e->querySetId))
                report(m_cache.dropQuerySet(e->querySetId));
        } else if (const auto *t = std::get_if<TransactionUpdate>(&m)) {
            report(m_cache.applyTransaction(filtered(*t)));
        } else if (const auto *r = std::get_if<ReducerResult>(&m)) {
            if (const auto *ok = std::get_if<ReducerOk>(&r->result))
                report(m_cache.applyTransaction(filtered(ok->transactionUpdate)));
        }
    }

private:
    TransactionUpdate filtered(const TransactionUpdate &update) const {
        TransactionUpdate out;
        for (const QuerySetUpdate &qs : update.querySets)
            if (m_sets.contains(qs.querySetId))
                out.querySets.append(qs);
        return out;
    }
    void report(const CacheChanges &changes) {
        // The hidden replica reports nothing but event rows, which come once and are never
        // part of a snapshot (ClientCache passes them on at once).
        if (m_cache.isResyncing())
            for (const TableDelta &d : changes.tables)
                FUZZ_CHECK(d.inserted.isEmpty() && d.deleted.isEmpty() && d.updated.isEmpty(),
                           "the hidden replica reported row changes");
        checkChanges(changes);
    }

    ClientCache &m_cache;
    bool m_prepare;
    QSet<QuerySetId> m_sets;
};

} // namespace

bool bindingsRows(QByteArrayView input) {
    if (input.isEmpty())
        return false;
    const quint8 flags = quint8(input[0]);
    // An uncompressed v3 frame: compression is the server-frame target's business.
    const QByteArray frame = QByteArray(1, '\0') + input.sliced(1).toByteArray();
    const Expected<DecodedFrame> decoded = FrameDecoder::decode(frame, true, {8 << 20});
    if (!decoded)
        return false;

    ClientCache cache;
    UserTable::configureCache(cache.addTable(QString::fromLatin1(UserTable::kTableName)));
    MessageTable::configureCache(cache.addTable(QString::fromLatin1(MessageTable::kTableName)));

    Session live(cache, flags & 1);
    for (const ServerMessage &m : decoded->messages)
        live.apply(m);
    checkCache(cache);

    if (flags & 2) {
        cache.beginResync();
        Session again(cache, flags & 1);
        for (const ServerMessage &m : decoded->messages)
            again.apply(m);
        if (flags & 4) {
            cache.abortResync();
        } else {
            const CacheChanges changes = cache.finishResync();
            checkChanges(changes);
        }
        checkCache(cache);
    }
    return true;
}

} // namespace fuzz
