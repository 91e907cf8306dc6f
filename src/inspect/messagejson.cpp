// SPDX-License-Identifier: Apache-2.0
#include "inspect/messagejson.h"

#include "spacetime/schema/jsonpath.h"
#include "spacetime/schema/valuejson.h"

#include <QJsonArray>
#include <QtEndian>

#include <cmath>

namespace inspect {

using namespace stdb;
using namespace stdb::protocol;
using P = JsonPath;

namespace {

QJsonValue hex(QByteArrayView b) {
    return ValueJson::toHex(b);
}

QJsonObject variant(const QString &name, const QJsonValue &payload) {
    QJsonObject o;
    o.insert(name, payload);
    return o;
}

QJsonValue idHex(const QString &bigEndianHex) {
    return QStringLiteral("0x") + bigEndianHex;
}

// Sticky-error JSON reader for message fields: the first failure is kept with its path and
// later reads return defaults, so decoders read straight through and check once.
class In {
public:
    bool ok() const { return !m_error.isError(); }
    const Error &error() const { return m_error; }
    void fail(const QString &path, const QString &message) {
        if (ok())
            m_error = P::error(path, message);
    }
    void setError(const Error &e) {
        if (ok())
            m_error = e;
    }

    QJsonObject object(const QJsonValue &v, const QString &path) {
        if (ok() && !v.isObject())
            setError(P::expected(path, "an object", v));
        return ok() ? v.toObject() : QJsonObject();
    }
    QJsonArray array(const QJsonValue &v, const QString &path) {
        if (ok() && !v.isArray())
            setError(P::expected(path, "an array", v));
        return ok() ? v.toArray() : QJsonArray();
    }
    QJsonValue field(const QJsonObject &o, const QString &path, const char *key) {
        if (!ok())
            return {};
        const auto it = o.constFind(QLatin1String(key));
        if (it == o.constEnd()) {
            fail(P::key(path, QLatin1String(key)), QStringLiteral("missing"));
            return {};
        }
        return it.value();
    }
    // Rejects keys the message does not have, so typos do not go unnoticed.
    void onlyKeys(const QJsonObject &o, const QString &path,
                  std::initializer_list<const char *> keys) {
        for (auto it = o.begin(); it != o.end() && ok(); ++it) {
            bool known = false;
            for (const char *k : keys)
                known = known || it.key() == QLatin1String(k);
            if (!known)
                fail(P::key(path, it.key()), QStringLiteral("unknown field"));
        }
    }
    QString string(const QJsonValue &v, const QString &path) {
        if (ok() && !v.isString())
            setError(P::expected(path, "a string", v));
        return ok() ? v.toString() : QString();
    }
    quint64 unsignedInt(const QJsonValue &v, const QString &path, quint64 max) {
        if (!ok())
            return 0;
        quint64 r = 0;
        bool good = false;
        if (v.isDouble()) {
            const double d = v.toDouble();
            good = d >= 0 && d == std::floor(d) && d < 9223372036854775808.0;
            r = good ? quint64(v.toInteger()) : 0;
        } else if (v.isString()) {
            r = v.toString().toULongLong(&good, 10);
        } else {
            setError(P::expected(path, "an unsigned integer", v));
            return 0;
        }
        if (!good || r > max) {
            fail(path, QStringLiteral("expected an integer in [0, %1]").arg(max));
            return 0;
        }
        return r;
    }
    qint64 micros(const QJsonValue &v, const QString &path) {
        if (!ok())
            return 0;
        qint64 r = 0;
        bool good = false;
        if (v.isDouble()) {
            const double d = v.toDouble();
            good = d == std::floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
            r = good ? v.toInteger() : 0;
        } else if (v.isString()) {
            r = v.toString().toLongLong(&good, 10);
        } else {
            setError(P::expected(path, "an integer (microseconds)", v));
            return 0;
        }
        if (!good)
            fail(path, QStringLiteral("expected an integer number of microseconds"));
        return r;
    }
    QByteArray bytes(const QJsonValue &v, const QString &path) {
        const QString s = string(v, path);
        if (!ok())
            return {};
        const std::optional<QByteArray> b = ValueJson::fromHex(s);
        if (!b) {
            fail(path, QStringLiteral("expected lowercase hex bytes"));
            return {};
        }
        return *b;
    }
    // {"Variant": payload}; returns the name and fills *payload and *payloadPath.
    QString variant(const QJsonValue &v, const QString &path, QJsonValue *payload,
                    QString *payloadPath) {
        if (!ok())
            return {};
        if (!v.isObject() || v.toObject().size() != 1) {
            setError(P::expected(path, "{\"Variant\": payload}", v));
            return {};
        }
        const QJsonObject o = v.toObject();
        *payload = o.begin().value();
        *payloadPath = P::key(path, o.begin().key());
        return o.begin().key();
    }
    void unit(const QJsonValue &v, const QString &path) {
        if (!ok())
            return;
        if (!((v.isObject() && v.toObject().isEmpty()) || (v.isArray() && v.toArray().isEmpty()) ||
              v.isNull()))
            setError(P::expected(path, "{}", v));
    }
    void unknownVariant(const QString &path, const QString &name, const char *sumName) {
        fail(path, QStringLiteral("unknown %1 variant \"%2\"").arg(QLatin1String(sumName), name));
    }

private:
    Error m_error;
};

QJsonObject queryRowsJson(const MessageJson &mj, const QueryRows &q) {
    QJsonArray tables;
    for (const SingleTableRows &t : q.tables) {
        QJsonObject o;
        o.insert(u"table", t.table);
        o.insert(u"rows", mj.rowListToJson(t.rows, t.table));
        tables.append(o);
    }
    QJsonObject o;
    o.insert(u"tables", tables);
    return o;
}

QJsonObject transactionUpdateJson(const MessageJson &mj, const TransactionUpdate &tu) {
    QJsonArray sets;
    for (const QuerySetUpdate &qs : tu.querySets) {
        QJsonArray tables;
        for (const TableUpdate &t : qs.tables) {
            QJsonArray rows;
            for (const TableUpdateRows &r : t.rows) {
                if (const auto *p = std::get_if<PersistentTableRows>(&r)) {
                    QJsonObject o;
                    o.insert(u"inserts", mj.rowListToJson(p->inserts, t.tableName));
                    o.insert(u"deletes", mj.rowListToJson(p->deletes, t.tableName));
                    rows.append(variant(QStringLiteral("PersistentTable"), o));
                } else {
                    const auto &e = std::get<EventTableRows>(r);
                    QJsonObject o;
                    o.insert(u"events", mj.rowListToJson(e.events, t.tableName));
                    rows.append(variant(QStringLiteral("EventTable"), o));
                }
            }
            QJsonObject to;
            to.insert(u"table_name", t.tableName);
            to.insert(u"rows", rows);
            tables.append(to);
        }
        QJsonObject so;
        so.insert(u"query_set_id", qint64(qs.querySetId));
        so.insert(u"tables", tables);
        sets.append(so);
    }
    QJsonObject o;
    o.insert(u"query_sets", sets);
    return o;
}

QueryRows queryRowsFrom(const MessageJson &mj, In &in, const QJsonValue &v, const QString &path) {
    QueryRows q;
    const QJsonObject o = in.object(v, path);
    in.onlyKeys(o, path, {"tables"});
    const QString tp = P::key(path, u"tables");
    const QJsonArray tables = in.array(in.field(o, path, "tables"), tp);
    for (qsizetype i = 0; i < tables.size() && in.ok(); ++i) {
        const QString ep = P::index(tp, i);
        const QJsonObject t = in.object(tables[i], ep);
        in.onlyKeys(t, ep, {"table", "rows"});
        SingleTableRows s;
        s.table = in.string(in.field(t, ep, "table"), P::key(ep, u"table"));
        const QJsonValue rows = in.field(t, ep, "rows");
        if (!in.ok())
            break;
        Expected<RowList> rl = mj.rowListFromJson(rows, s.table, P::key(ep, u"rows"));
        if (!rl) {
            in.setError(rl.error());
            break;
        }
        s.rows = *rl;
        q.tables.append(s);
    }
    return q;
}

TransactionUpdate transactionUpdateFrom(const MessageJson &mj, In &in, const QJsonValue &v,
                                        const QString &path) {
    TransactionUpdate tu;
    const QJsonObject o = in.object(v, path);
    in.onlyKeys(o, path, {"query_sets"});
    const QString sp = P::key(path, u"query_sets");
    const QJsonArray sets = in.array(in.field(o, path, "query_sets"), sp);
    for (qsizetype i = 0; i < sets.size() && in.ok(); ++i) {
        const QString qp = P::index(sp, i);
        const QJsonObject qo = in.object(sets[i], qp);
        in.onlyKeys(qo, qp, {"query_set_id", "tables"});
        QuerySetUpdate qs;
        qs.querySetId = quint32(in.unsignedInt(in.field(qo, qp, "query_set_id"),
                                               P::key(qp, u"query_set_id"), 0xffffffffu));
        const QString tp = P::key(qp, u"tables");
        const QJsonArray tables = in.array(in.field(qo, qp, "tables"), tp);
        for (qsizetype k = 0; k < tables.size() && in.ok(); ++k) {
            const QString ep = P::index(tp, k);
            const QJsonObject to = in.object(tables[k], ep);
            in.onlyKeys(to, ep, {"table_name", "rows"});
            TableUpdate t;
            t.tableName = in.string(in.field(to, ep, "table_name"), P::key(ep, u"table_name"));
            const QString rp = P::key(ep, u"rows");
            const QJsonArray rows = in.array(in.field(to, ep, "rows"), rp);
            for (qsizetype j = 0; j < rows.size() && in.ok(); ++j) {
                QJsonValue payload;
                QString pp;
                const QString name = in.variant(rows[j], P::index(rp, j), &payload, &pp);
                if (!in.ok())
                    break;
                const QJsonObject po = in.object(payload, pp);
                auto list = [&](const char *key) -> RowList {
                    const QJsonValue lv = in.field(po, pp, key);
                    if (!in.ok())
                        return {};
                    Expected<RowList> rl =
                        mj.rowListFromJson(lv, t.tableName, P::key(pp, QLatin1String(key)));
                    if (!rl) {
                        in.setError(rl.error());
                        return {};
                    }
                    return *rl;
                };
                if (name == u"PersistentTable") {
                    in.onlyKeys(po, pp, {"inserts", "deletes"});
                    PersistentTableRows p;
                    p.inserts = list("inserts");
                    p.deletes = list("deletes");
                    t.rows.append(p);
                } else if (name == u"EventTable") {
                    in.onlyKeys(po, pp, {"events"});
                    t.rows.append(EventTableRows{list("events")});
                } else {
                    in.unknownVariant(P::index(rp, j), name, "TableUpdateRows");
                }
            }
            qs.tables.append(t);
        }
        tu.querySets.append(qs);
    }
    return tu;
}

// Args of a reducer/procedure: hex, or a typed object when a schema gives the params.
QByteArray argsFrom(In &in, const QJsonValue &v, const QString &path, const AlgebraicType *params,
                    const ModuleSchema *schema, const QString &what) {
    if (!in.ok())
        return {};
    if (v.isString())
        return in.bytes(v, path);
    if (!v.isObject() && !v.isArray()) {
        in.setError(P::expected(path, "hex bytes or typed arguments", v));
        return {};
    }
    if (!params) {
        in.fail(path, schema ? QStringLiteral("typed arguments need %1 in the schema").arg(what)
                             : QStringLiteral("typed arguments need --schema"));
        return {};
    }
    Expected<Value> val =
        ValueJson::fromJson(v, *params, schema->typespace(), ValueJson::Style::Inspector, path);
    if (!val) {
        in.setError(val.error());
        return {};
    }
    Expected<QByteArray> enc = val->encode(*params, schema->typespace());
    if (!enc) {
        in.setError(enc.error());
        return {};
    }
    return *enc;
}

} // namespace

// ---- to JSON --------------------------------------------------------------------------------

QJsonValue MessageJson::argsToJson(const QByteArray &args, const AlgebraicType *params) const {
    if (!m_schema || !params)
        return hex(args);
    Expected<Value> v = Value::decode(args, *params, m_schema->typespace());
    if (!v)
        return hex(args);
    Expected<QByteArray> again = v->encode(*params, m_schema->typespace());
    if (!again || *again != args)
        return hex(args);
    return ValueJson::toJson(*v, *params, m_schema->typespace(), ValueJson::Style::Inspector);
}

QJsonObject MessageJson::rowListToJson(const RowList &rows, const QString &table) const {
    const AlgebraicType *rowType = m_schema ? m_schema->rowTypeOf(table) : nullptr;
    QString decodeError;
    if (rowType) {
        const Typespace &ts = m_schema->typespace();
        QJsonArray typed;
        QList<QByteArray> encoded;
        for (qsizetype i = 0; i < rows.rowCount(); ++i) {
            const QByteArrayView bytes = rows.row(i);
            Expected<Value> v = Value::decode(bytes, *rowType, ts);
            if (!v) {
                decodeError = QStringLiteral("row %1: %2").arg(i).arg(v.error().toString());
                break;
            }
            typed.append(ValueJson::toJson(*v, *rowType, ts, ValueJson::Style::Inspector));
            encoded.append(bytes.toByteArray());
        }
        if (decodeError.isEmpty()) {
            // Only use the typed form if encode would rebuild exactly these bytes and hint.
            RowList rebuilt;
            if (rows.hint() == RowList::Hint::FixedSize && !encoded.isEmpty())
                rebuilt = RowList::fromFixedSize(quint16(encoded.front().size()), encoded.join());
            else if (rows.hint() == RowList::Hint::RowOffsets)
                rebuilt = RowList::fromRowsWithOffsets(encoded);
            if (rebuilt == rows) {
                QJsonObject o;
                o.insert(u"size_hint", rows.hint() == RowList::Hint::FixedSize
                                           ? QStringLiteral("FixedSize")
                                           : QStringLiteral("RowOffsets"));
                o.insert(u"rows", typed);
                return o;
            }
        }
    }
    QJsonObject o;
    if (rows.hint() == RowList::Hint::FixedSize) {
        o.insert(u"size_hint", variant(QStringLiteral("FixedSize"), int(rows.fixedSize())));
    } else {
        QJsonArray offs;
        for (qsizetype i = 0; i < rows.rowCount(); ++i)
            offs.append(QString::number(rows.offset(i)));
        o.insert(u"size_hint", variant(QStringLiteral("RowOffsets"), offs));
    }
    o.insert(u"rows_data", hex(rows.data()));
    if (!decodeError.isEmpty())
        o.insert(u"decode_error", decodeError);
    return o;
}

QJsonObject MessageJson::toJson(const ClientMessage &m) const {
    QJsonObject o;
    if (const auto *s = std::get_if<Subscribe>(&m)) {
        o.insert(u"request_id", qint64(s->requestId));
        o.insert(u"query_set_id", qint64(s->querySetId));
        o.insert(u"query_strings", QJsonArray::fromStringList(s->queryStrings));
    } else if (const auto *u = std::get_if<Unsubscribe>(&m)) {
        o.insert(u"request_id", qint64(u->requestId));
        o.insert(u"query_set_id", qint64(u->querySetId));
        o.insert(u"flags",
                 variant(u->flags == UnsubscribeFlags::Default ? QStringLiteral("Default")
                                                               : QStringLiteral("SendDroppedRows"),
                         QJsonObject()));
    } else if (const auto *q = std::get_if<OneOffQuery>(&m)) {
        o.insert(u"request_id", qint64(q->requestId));
        o.insert(u"query_string", q->queryString);
    } else if (const auto *c = std::get_if<CallReducer>(&m)) {
        const ReducerDef *r = m_schema ? m_schema->reducer(c->reducer) : nullptr;
        o.insert(u"request_id", qint64(c->requestId));
        o.insert(u"flags", int(c->flags));
        o.insert(u"reducer", c->reducer);
        o.insert(u"args", argsToJson(c->args, r ? &r->params : nullptr));
    } else if (const auto *p = std::get_if<CallProcedure>(&m)) {
        const ProcedureDef *d = m_schema ? m_schema->procedure(p->procedure) : nullptr;
        o.insert(u"request_id", qint64(p->requestId));
        o.insert(u"flags", int(p->flags));
        o.insert(u"procedure", p->procedure);
        o.insert(u"args", argsToJson(p->args, d ? &d->params : nullptr));
    }
    return variant(messageName(m), o);
}

QJsonObject MessageJson::toJson(const ServerMessage &m) const {
    QJsonObject o;
    if (const auto *ic = std::get_if<InitialConnection>(&m)) {
        o.insert(u"identity", idHex(ic->identity.toHex()));
        o.insert(u"connection_id", idHex(ic->connectionId.toHex()));
        o.insert(u"token", ic->token);
    } else if (const auto *sa = std::get_if<SubscribeApplied>(&m)) {
        o.insert(u"request_id", qint64(sa->requestId));
        o.insert(u"query_set_id", qint64(sa->querySetId));
        o.insert(u"rows", queryRowsJson(*this, sa->rows));
    } else if (const auto *ua = std::get_if<UnsubscribeApplied>(&m)) {
        o.insert(u"request_id", qint64(ua->requestId));
        o.insert(u"query_set_id", qint64(ua->querySetId));
        o.insert(u"rows", ua->rows ? QJsonValue(queryRowsJson(*this, *ua->rows)) : QJsonValue());
    } else if (const auto *se = std::get_if<SubscriptionError>(&m)) {
        o.insert(u"request_id", se->requestId ? QJsonValue(qint64(*se->requestId)) : QJsonValue());
        o.insert(u"query_set_id", qint64(se->querySetId));
        o.insert(u"error", se->error);
    } else if (const auto *tu = std::get_if<TransactionUpdate>(&m)) {
        o = transactionUpdateJson(*this, *tu);
    } else if (const auto *oq = std::get_if<OneOffQueryResult>(&m)) {
        o.insert(u"request_id", qint64(oq->requestId));
        if (const auto *rows = std::get_if<QueryRows>(&oq->result))
            o.insert(u"result", variant(QStringLiteral("ok"), queryRowsJson(*this, *rows)));
        else
            o.insert(u"result", variant(QStringLiteral("err"), std::get<QString>(oq->result)));
    } else if (const auto *rr = std::get_if<ReducerResult>(&m)) {
        o.insert(u"request_id", qint64(rr->requestId));
        o.insert(u"timestamp", rr->timestamp.micros());
        QJsonObject result;
        if (const auto *ok = std::get_if<ReducerOk>(&rr->result)) {
            QJsonObject p;
            p.insert(u"ret_value", hex(ok->retValue));
            p.insert(u"transaction_update", transactionUpdateJson(*this, ok->transactionUpdate));
            result = variant(QStringLiteral("Ok"), p);
        } else if (std::holds_alternative<ReducerOkEmpty>(rr->result)) {
            result = variant(QStringLiteral("OkEmpty"), QJsonObject());
        } else if (const auto *err = std::get_if<ReducerErr>(&rr->result)) {
            result = variant(QStringLiteral("Err"), hex(err->payload));
        } else {
            result = variant(QStringLiteral("InternalError"),
                             std::get<ReducerInternalError>(rr->result).message);
        }
        o.insert(u"result", result);
    } else if (const auto *pr = std::get_if<ProcedureResult>(&m)) {
        if (const auto *ret = std::get_if<ProcedureReturned>(&pr->status))
            o.insert(u"status", variant(QStringLiteral("Returned"), hex(ret->value)));
        else
            o.insert(u"status", variant(QStringLiteral("InternalError"),
                                        std::get<ProcedureInternalError>(pr->status).message));
        o.insert(u"timestamp", pr->timestamp.micros());
        o.insert(u"total_host_execution_duration", pr->totalHostExecutionDuration.micros());
        o.insert(u"request_id", qint64(pr->requestId));
    }
    return variant(messageName(m), o);
}

// ---- from JSON ------------------------------------------------------------------------------

Expected<RowList> MessageJson::rowListFromJson(const QJsonValue &json, const QString &table,
                                               const QString &path) const {
    In in;
    const QJsonObject o = in.object(json, path);
    const QString hp = P::key(path, u"size_hint");
    const QJsonValue hint = in.field(o, path, "size_hint");
    if (!in.ok())
        return in.error();

    if (o.contains(u"rows")) { // typed form
        in.onlyKeys(o, path, {"size_hint", "rows"});
        const AlgebraicType *rowType = m_schema ? m_schema->rowTypeOf(table) : nullptr;
        if (!rowType)
            in.fail(P::key(path, u"rows"),
                    m_schema ? QStringLiteral("table \"%1\" is not in the schema").arg(table)
                             : QStringLiteral("typed rows need --schema"));
        const QString hintName = in.string(hint, hp);
        if (in.ok() && hintName != u"FixedSize" && hintName != u"RowOffsets")
            in.fail(hp, QStringLiteral("expected \"FixedSize\" or \"RowOffsets\""));
        const QString rp = P::key(path, u"rows");
        const QJsonArray rows = in.array(o.value(u"rows"), rp);
        if (!in.ok())
            return in.error();
        QList<QByteArray> encoded;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString ep = P::index(rp, i);
            Expected<Value> v = ValueJson::fromJson(rows[i], *rowType, m_schema->typespace(),
                                                    ValueJson::Style::Inspector, ep);
            if (!v)
                return v.error();
            Expected<QByteArray> b = v->encode(*rowType, m_schema->typespace());
            if (!b)
                return b.error();
            encoded.append(*b);
        }
        if (hintName == u"RowOffsets")
            return RowList::fromRowsWithOffsets(encoded);
        if (encoded.isEmpty())
            return P::error(hp,
                            QStringLiteral("FixedSize needs at least one row to know the size"));
        const qsizetype size = encoded.front().size();
        if (size == 0 || size > 0xffff)
            return P::error(hp, QStringLiteral("rows of %1 bytes cannot use FixedSize").arg(size));
        for (qsizetype i = 0; i < encoded.size(); ++i)
            if (encoded[i].size() != size)
                return P::error(P::index(rp, i),
                                QStringLiteral("row is %1 bytes, FixedSize rows are %2")
                                    .arg(encoded[i].size())
                                    .arg(size));
        return RowList::fromFixedSize(quint16(size), encoded.join());
    }

    in.onlyKeys(o, path, {"size_hint", "rows_data", "decode_error"});
    const QByteArray data = in.bytes(in.field(o, path, "rows_data"), P::key(path, u"rows_data"));
    QJsonValue payload;
    QString pp;
    const QString hintName = in.variant(hint, hp, &payload, &pp);
    if (!in.ok())
        return in.error();
    if (hintName == u"FixedSize") {
        const quint16 size = quint16(in.unsignedInt(payload, pp, 0xffff));
        if (!in.ok())
            return in.error();
        if ((size == 0 && !data.isEmpty()) || (size != 0 && data.size() % size != 0))
            return P::error(path, QStringLiteral("%1 data bytes do not fit FixedSize(%2)")
                                      .arg(data.size())
                                      .arg(size));
        return RowList::fromFixedSize(size, data);
    }
    if (hintName != u"RowOffsets")
        return P::error(hp, QStringLiteral("unknown RowSizeHint variant \"%1\"").arg(hintName));
    const QJsonArray offs = in.array(payload, pp);
    QByteArray buffer(offs.size() * 8, Qt::Uninitialized);
    quint64 previous = 0;
    for (qsizetype i = 0; i < offs.size() && in.ok(); ++i) {
        const quint64 off = in.unsignedInt(offs[i], P::index(pp, i), quint64(data.size()));
        if (in.ok() && off < previous)
            in.fail(
                P::index(pp, i),
                QStringLiteral("offset %1 is below the previous offset %2").arg(off).arg(previous));
        previous = off;
        qToLittleEndian(off, buffer.data() + 8 * i);
    }
    if (!in.ok())
        return in.error();
    const qsizetype offsetsSize = buffer.size();
    buffer.append(data);
    return RowList::fromWire(buffer, RowList::Hint::RowOffsets, 0, 0, offs.size(), offsetsSize,
                             data.size());
}

Expected<ClientMessage> MessageJson::clientFromJson(const QJsonValue &json,
                                                    const QString &path) const {
    In in;
    QJsonValue payload;
    QString pp;
    const QString name = in.variant(json, path, &payload, &pp);
    const QJsonObject o = in.object(payload, pp);
    if (!in.ok())
        return in.error();
    auto u32 = [&](const char *key) {
        return quint32(
            in.unsignedInt(in.field(o, pp, key), P::key(pp, QLatin1String(key)), 0xffffffffu));
    };
    auto str = [&](const char *key) {
        return in.string(in.field(o, pp, key), P::key(pp, QLatin1String(key)));
    };
    ClientMessage m;
    if (name == u"Subscribe") {
        in.onlyKeys(o, pp, {"request_id", "query_set_id", "query_strings"});
        Subscribe s;
        s.requestId = u32("request_id");
        s.querySetId = u32("query_set_id");
        const QString qp = P::key(pp, u"query_strings");
        const QJsonArray qs = in.array(in.field(o, pp, "query_strings"), qp);
        for (qsizetype i = 0; i < qs.size() && in.ok(); ++i)
            s.queryStrings << in.string(qs[i], P::index(qp, i));
        m = s;
    } else if (name == u"Unsubscribe") {
        in.onlyKeys(o, pp, {"request_id", "query_set_id", "flags"});
        Unsubscribe u;
        u.requestId = u32("request_id");
        u.querySetId = u32("query_set_id");
        QJsonValue fp;
        QString fpp;
        const QString flags = in.variant(in.field(o, pp, "flags"), P::key(pp, u"flags"), &fp, &fpp);
        in.unit(fp, fpp);
        if (flags == u"Default")
            u.flags = UnsubscribeFlags::Default;
        else if (flags == u"SendDroppedRows")
            u.flags = UnsubscribeFlags::SendDroppedRows;
        else if (in.ok())
            in.unknownVariant(P::key(pp, u"flags"), flags, "UnsubscribeFlags");
        m = u;
    } else if (name == u"OneOffQuery") {
        in.onlyKeys(o, pp, {"request_id", "query_string"});
        OneOffQuery q;
        q.requestId = u32("request_id");
        q.queryString = str("query_string");
        m = q;
    } else if (name == u"CallReducer") {
        in.onlyKeys(o, pp, {"request_id", "flags", "reducer", "args"});
        CallReducer c;
        c.requestId = u32("request_id");
        c.flags = quint8(in.unsignedInt(in.field(o, pp, "flags"), P::key(pp, u"flags"), 0xff));
        c.reducer = str("reducer");
        const ReducerDef *r = m_schema ? m_schema->reducer(c.reducer) : nullptr;
        c.args =
            argsFrom(in, in.field(o, pp, "args"), P::key(pp, u"args"), r ? &r->params : nullptr,
                     m_schema, QStringLiteral("reducer \"%1\"").arg(c.reducer));
        m = c;
    } else if (name == u"CallProcedure") {
        in.onlyKeys(o, pp, {"request_id", "flags", "procedure", "args"});
        CallProcedure c;
        c.requestId = u32("request_id");
        c.flags = quint8(in.unsignedInt(in.field(o, pp, "flags"), P::key(pp, u"flags"), 0xff));
        c.procedure = str("procedure");
        const ProcedureDef *d = m_schema ? m_schema->procedure(c.procedure) : nullptr;
        c.args =
            argsFrom(in, in.field(o, pp, "args"), P::key(pp, u"args"), d ? &d->params : nullptr,
                     m_schema, QStringLiteral("procedure \"%1\"").arg(c.procedure));
        m = c;
    } else {
        in.fail(path, QStringLiteral("unknown client message \"%1\"").arg(name));
    }
    if (!in.ok())
        return in.error();
    return m;
}

Expected<ServerMessage> MessageJson::serverFromJson(const QJsonValue &json,
                                                    const QString &path) const {
    In in;
    QJsonValue payload;
    QString pp;
    const QString name = in.variant(json, path, &payload, &pp);
    const QJsonObject o = in.object(payload, pp);
    if (!in.ok())
        return in.error();
    auto u32 = [&](const char *key) {
        return quint32(
            in.unsignedInt(in.field(o, pp, key), P::key(pp, QLatin1String(key)), 0xffffffffu));
    };
    auto micros = [&](const char *key) {
        return in.micros(in.field(o, pp, key), P::key(pp, QLatin1String(key)));
    };
    auto rows = [&](const QJsonValue &v, const QString &p) {
        return queryRowsFrom(*this, in, v, p);
    };
    ServerMessage m;
    if (name == u"InitialConnection") {
        in.onlyKeys(o, pp, {"identity", "connection_id", "token"});
        InitialConnection ic;
        bool good = true;
        const QString idPath = P::key(pp, u"identity");
        const QString id = in.string(in.field(o, pp, "identity"), idPath);
        if (in.ok()) {
            ic.identity = Identity::fromHex(id, &good);
            if (!good)
                in.fail(idPath, QStringLiteral("expected an identity as 0x + 64 hex digits"));
        }
        const QString cPath = P::key(pp, u"connection_id");
        const QString cid = in.string(in.field(o, pp, "connection_id"), cPath);
        if (in.ok()) {
            ic.connectionId = ConnectionId::fromHex(cid, &good);
            if (!good)
                in.fail(cPath, QStringLiteral("expected a connection id as 0x + 32 hex digits"));
        }
        ic.token = in.string(in.field(o, pp, "token"), P::key(pp, u"token"));
        m = ic;
    } else if (name == u"SubscribeApplied") {
        in.onlyKeys(o, pp, {"request_id", "query_set_id", "rows"});
        SubscribeApplied sa;
        sa.requestId = u32("request_id");
        sa.querySetId = u32("query_set_id");
        sa.rows = rows(in.field(o, pp, "rows"), P::key(pp, u"rows"));
        m = sa;
    } else if (name == u"UnsubscribeApplied") {
        in.onlyKeys(o, pp, {"request_id", "query_set_id", "rows"});
        UnsubscribeApplied ua;
        ua.requestId = u32("request_id");
        ua.querySetId = u32("query_set_id");
        const QJsonValue r = in.field(o, pp, "rows");
        if (in.ok() && !r.isNull())
            ua.rows = rows(r, P::key(pp, u"rows"));
        m = ua;
    } else if (name == u"SubscriptionError") {
        in.onlyKeys(o, pp, {"request_id", "query_set_id", "error"});
        SubscriptionError se;
        const QJsonValue rid = in.field(o, pp, "request_id");
        if (in.ok() && !rid.isNull())
            se.requestId = quint32(in.unsignedInt(rid, P::key(pp, u"request_id"), 0xffffffffu));
        se.querySetId = u32("query_set_id");
        se.error = in.string(in.field(o, pp, "error"), P::key(pp, u"error"));
        m = se;
    } else if (name == u"TransactionUpdate") {
        m = transactionUpdateFrom(*this, in, payload, pp);
    } else if (name == u"OneOffQueryResult") {
        in.onlyKeys(o, pp, {"request_id", "result"});
        OneOffQueryResult r;
        r.requestId = u32("request_id");
        QJsonValue rp;
        QString rpp;
        const QString which =
            in.variant(in.field(o, pp, "result"), P::key(pp, u"result"), &rp, &rpp);
        if (which == u"ok")
            r.result = rows(rp, rpp);
        else if (which == u"err")
            r.result = in.string(rp, rpp);
        else if (in.ok())
            in.unknownVariant(P::key(pp, u"result"), which, "Result");
        m = r;
    } else if (name == u"ReducerResult") {
        in.onlyKeys(o, pp, {"request_id", "timestamp", "result"});
        ReducerResult r;
        r.requestId = u32("request_id");
        r.timestamp = Timestamp::fromMicros(micros("timestamp"));
        QJsonValue rp;
        QString rpp;
        const QString which =
            in.variant(in.field(o, pp, "result"), P::key(pp, u"result"), &rp, &rpp);
        if (which == u"Ok") {
            const QJsonObject ok = in.object(rp, rpp);
            in.onlyKeys(ok, rpp, {"ret_value", "transaction_update"});
            ReducerOk v;
            v.retValue = in.bytes(in.field(ok, rpp, "ret_value"), P::key(rpp, u"ret_value"));
            const QJsonValue tu = in.field(ok, rpp, "transaction_update");
            if (in.ok())
                v.transactionUpdate =
                    transactionUpdateFrom(*this, in, tu, P::key(rpp, u"transaction_update"));
            r.result = v;
        } else if (which == u"OkEmpty") {
            in.unit(rp, rpp);
            r.result = ReducerOkEmpty{};
        } else if (which == u"Err") {
            r.result = ReducerErr{in.bytes(rp, rpp)};
        } else if (which == u"InternalError") {
            r.result = ReducerInternalError{in.string(rp, rpp)};
        } else if (in.ok()) {
            in.unknownVariant(P::key(pp, u"result"), which, "ReducerOutcome");
        }
        m = r;
    } else if (name == u"ProcedureResult") {
        in.onlyKeys(o, pp, {"status", "timestamp", "total_host_execution_duration", "request_id"});
        ProcedureResult r;
        QJsonValue sp;
        QString spp;
        const QString which =
            in.variant(in.field(o, pp, "status"), P::key(pp, u"status"), &sp, &spp);
        if (which == u"Returned")
            r.status = ProcedureReturned{in.bytes(sp, spp)};
        else if (which == u"InternalError")
            r.status = ProcedureInternalError{in.string(sp, spp)};
        else if (in.ok())
            in.unknownVariant(P::key(pp, u"status"), which, "ProcedureStatus");
        r.timestamp = Timestamp::fromMicros(micros("timestamp"));
        r.totalHostExecutionDuration =
            TimeDuration::fromMicros(micros("total_host_execution_duration"));
        r.requestId = u32("request_id");
        m = r;
    } else {
        in.fail(path, QStringLiteral("unknown server message \"%1\"").arg(name));
    }
    if (!in.ok())
        return in.error();
    return m;
}

} // namespace inspect
