// SPDX-License-Identifier: Apache-2.0
// Differential test against the official TypeScript SDK (npm `spacetimedb` 2.10.1): an oracle
// we did not write. See tests/interop/README.md and docs/host.md ("Differential test against
// the official TypeScript SDK").
//
// sdkCorpus: diff-corpus.mjs generates a seeded corpus of v2 server frames (all three
// compressions) and client messages, valid and mutated, and decodes each with the SDK; we
// decode each with our codec (rows with SpacetimeQt::Schema values, typed by the corpus schema)
// and require the same accept/reject and the same canonical rendering of the decoded value.
// ourCorpus: the other way round; our encoder writes the messages, the SDK decodes them.
//
// Where the SDK accepts bytes the Rust server's BSATN rejects, the corpus labels the case
// (`lenient`: trailing, bool, utf8, sum-tag, flags, row-hint, short) and we must reject it.
// One difference is by case kind: frames with bytes after the end of the compressed stream
// (`compressed-trailing`), which Node's decoders may ignore and we reject.
//
// STDB_DIFF_SEED, STDB_DIFF_CASES and STDB_DIFF_OUR_CASES change the seed and the case counts
// (tests/interop/diff-long.sh runs a long version); the defaults are the suite's short run.

#include "runprogram.h"
#include "spacetime/compression.h"
#include "spacetime/protocol/messagecodec.h"
#include "spacetime/schema/algebraictype.h"
#include "spacetime/schema/typespace.h"
#include "spacetime/schema/value.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <map>

#ifndef STDB_INTEROP_DIR
#error "STDB_INTEROP_DIR must name tests/interop"
#endif
#ifndef STDB_NPM_SETUP
#error "STDB_NPM_SETUP must name scripts/npm-setup.sh"
#endif

using namespace stdb;
using stdb::testing::runProgram;
using namespace stdb::protocol;

namespace {

constexpr quint32 kDefaultSeed = 20261206;
constexpr int kDefaultSdkCases = 2500;
constexpr int kDefaultOurCases = 600;

int envInt(const char *name, int fallback) {
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

QString compact(const QJsonValue &v) {
    const QJsonDocument d =
        v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(QJsonArray{v});
    QByteArray s = d.toJson(QJsonDocument::Compact);
    if (!v.isObject())
        s = s.mid(1).chopped(1);
    return QString::fromUtf8(s);
}

// ---- canonical rendering (the C++ twin of canon() in diff-corpus.mjs) -------------------------

QJsonValue dec(qint64 v) {
    return QString::number(v);
}
QJsonValue udec(quint64 v) {
    return QString::number(v);
}
QJsonValue hex(QByteArrayView b) {
    return QString::fromLatin1(b.toByteArray().toHex());
}
QJsonObject sum(int tag, QJsonValue payload = QJsonArray()) {
    return QJsonObject{{QStringLiteral("t"), tag}, {QStringLiteral("v"), payload}};
}

QJsonValue floatCanon(quint64 bits, bool f32) {
    const bool nan = f32 ? ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu))
                         : ((bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull &&
                            (bits & 0xfffffffffffffull));
    if (nan)
        return QStringLiteral("NaN");
    return QStringLiteral("%1").arg(bits, f32 ? 8 : 16, 16, QLatin1Char('0'));
}

QJsonValue canonValue(const Value &v, const AlgebraicType &type, const Typespace &ts) {
    using K = AlgebraicType::Kind;
    const AlgebraicType *t = ts.resolve(type);
    if (!t)
        return QJsonValue::Null;
    switch (t->kind()) {
    case K::Bool:
        return v.toBool();
    case K::I8:
    case K::I16:
    case K::I32:
    case K::I64:
        return dec(v.toInt64());
    case K::U8:
    case K::U16:
    case K::U32:
    case K::U64:
        return udec(v.toUInt64());
    case K::I128:
        return v.toI128().toDecimal();
    case K::U128:
        return v.toU128().toDecimal();
    case K::I256:
        return v.toI256().toDecimal();
    case K::U256:
        return v.toU256().toDecimal();
    case K::F32:
        return floatCanon(v.floatBits(), true);
    case K::F64:
        return floatCanon(v.floatBits(), false);
    case K::String:
        return v.toString();
    case K::Array: {
        if (t->elementType().kind() == K::U8)
            return hex(v.toBytes());
        QJsonArray a;
        for (const Value &e : v.elements())
            a.append(canonValue(e, t->elementType(), ts));
        return a;
    }
    case K::Product: {
        QJsonArray a;
        const QList<TypeMember> &m = t->members();
        for (qsizetype i = 0; i < m.size() && i < v.elements().size(); ++i)
            a.append(canonValue(v.elements()[i], m[i].type, ts));
        return a;
    }
    case K::Sum:
        if (v.tag() >= t->members().size())
            return QJsonValue::Null;
        return sum(v.tag(), canonValue(v.payload(), t->members()[v.tag()].type, ts));
    case K::Ref:
        break;
    }
    return QJsonValue::Null;
}

struct Schema {
    std::map<QString, AlgebraicType> tables;
    Typespace typespace;
};

// A row list: hint plus rows decoded with the table's row type (raw: the data as hex). Rows that
// do not decode make the whole message a reject, as in the SDK.
Expected<QJsonValue> canonRowList(const RowList &l, const QString &table, const Schema &s,
                                  bool raw) {
    QJsonValue hint;
    if (l.hint() == RowList::Hint::FixedSize) {
        hint = sum(0, udec(l.fixedSize()));
    } else {
        QJsonArray offsets;
        for (qsizetype i = 0; i < l.rowCount(); ++i)
            offsets.append(udec(l.offset(i)));
        hint = sum(1, offsets);
    }
    const auto it = s.tables.find(table);
    if (raw || it == s.tables.end())
        return QJsonValue(
            QJsonObject{{QStringLiteral("hint"), hint}, {QStringLiteral("data"), hex(l.data())}});
    QJsonArray rows;
    for (qsizetype i = 0; i < l.rowCount(); ++i) {
        const Expected<Value> row = Value::decode(l.row(i), it->second, s.typespace);
        if (!row)
            return Error(
                row.error().kind(),
                QStringLiteral("table %1 row %2: %3").arg(table).arg(i).arg(row.error().message()),
                row.error().offset());
        rows.append(canonValue(*row, it->second, s.typespace));
    }
    return QJsonValue(QJsonObject{{QStringLiteral("hint"), hint}, {QStringLiteral("rows"), rows}});
}

// Renders a decoded message along the SDK's message types (client_api/types.ts). Throws no
// exceptions: a row that does not decode is recorded in `error`.
class Renderer {
public:
    Renderer(const Schema &s, bool raw)
        : m_schema(s)
        , m_raw(raw) {}

    Error error;

    QJsonValue rows(const RowList &l, const QString &table) {
        Expected<QJsonValue> r = canonRowList(l, table, m_schema, m_raw);
        if (!r) {
            if (!error.isError())
                error = r.error();
            return QJsonValue::Null;
        }
        return *r;
    }
    QJsonValue queryRows(const QueryRows &q) {
        QJsonArray tables;
        for (const SingleTableRows &t : q.tables)
            tables.append(QJsonArray{t.table, rows(t.rows, t.table)});
        return QJsonArray{tables};
    }
    QJsonValue transactionUpdate(const TransactionUpdate &u) {
        QJsonArray sets;
        for (const QuerySetUpdate &qs : u.querySets) {
            QJsonArray tables;
            for (const TableUpdate &t : qs.tables) {
                QJsonArray list;
                for (const TableUpdateRows &r : t.rows) {
                    if (const auto *p = std::get_if<PersistentTableRows>(&r))
                        list.append(sum(0, QJsonArray{rows(p->inserts, t.tableName),
                                                      rows(p->deletes, t.tableName)}));
                    else
                        list.append(sum(
                            1, QJsonArray{rows(std::get<EventTableRows>(r).events, t.tableName)}));
                }
                tables.append(QJsonArray{t.tableName, list});
            }
            sets.append(QJsonArray{QJsonArray{udec(qs.querySetId)}, tables});
        }
        return QJsonArray{sets};
    }

    QJsonValue server(const ServerMessage &m) {
        QJsonValue v;
        if (const auto *c = std::get_if<InitialConnection>(&m)) {
            v = QJsonArray{QJsonArray{c->identity.value().toDecimal()},
                           QJsonArray{c->connectionId.value().toDecimal()}, c->token};
        } else if (const auto *s = std::get_if<SubscribeApplied>(&m)) {
            v = QJsonArray{udec(s->requestId), QJsonArray{udec(s->querySetId)}, queryRows(s->rows)};
        } else if (const auto *u = std::get_if<UnsubscribeApplied>(&m)) {
            v = QJsonArray{udec(u->requestId), QJsonArray{udec(u->querySetId)},
                           u->rows ? sum(0, queryRows(*u->rows)) : sum(1)};
        } else if (const auto *e = std::get_if<SubscriptionError>(&m)) {
            v = QJsonArray{e->requestId ? sum(0, udec(*e->requestId)) : sum(1),
                           QJsonArray{udec(e->querySetId)}, e->error};
        } else if (const auto *t = std::get_if<TransactionUpdate>(&m)) {
            v = transactionUpdate(*t);
        } else if (const auto *q = std::get_if<OneOffQueryResult>(&m)) {
            v = QJsonArray{udec(q->requestId), q->result.index() == 0
                                                   ? sum(0, queryRows(std::get<0>(q->result)))
                                                   : sum(1, std::get<1>(q->result))};
        } else if (const auto *r = std::get_if<ReducerResult>(&m)) {
            QJsonValue outcome;
            if (const auto *ok = std::get_if<ReducerOk>(&r->result))
                outcome =
                    sum(0, QJsonArray{hex(ok->retValue), transactionUpdate(ok->transactionUpdate)});
            else if (std::holds_alternative<ReducerOkEmpty>(r->result))
                outcome = sum(1);
            else if (const auto *err = std::get_if<ReducerErr>(&r->result))
                outcome = sum(2, hex(err->payload));
            else
                outcome = sum(3, std::get<ReducerInternalError>(r->result).message);
            v = QJsonArray{udec(r->requestId), QJsonArray{dec(r->timestamp.micros())}, outcome};
        } else {
            const auto &p = std::get<ProcedureResult>(m);
            const QJsonValue status = p.status.index() == 0
                                          ? sum(0, hex(std::get<0>(p.status).value))
                                          : sum(1, std::get<1>(p.status).message);
            v = QJsonArray{status, QJsonArray{dec(p.timestamp.micros())},
                           QJsonArray{dec(p.totalHostExecutionDuration.micros())},
                           udec(p.requestId)};
        }
        return sum(int(m.index()), v);
    }

    static QJsonValue client(const ClientMessage &m) {
        QJsonValue v;
        if (const auto *s = std::get_if<Subscribe>(&m)) {
            QJsonArray queries;
            for (const QString &q : s->queryStrings)
                queries.append(q);
            v = QJsonArray{udec(s->requestId), QJsonArray{udec(s->querySetId)}, queries};
        } else if (const auto *u = std::get_if<Unsubscribe>(&m)) {
            v = QJsonArray{udec(u->requestId), QJsonArray{udec(u->querySetId)}, sum(int(u->flags))};
        } else if (const auto *q = std::get_if<OneOffQuery>(&m)) {
            v = QJsonArray{udec(q->requestId), q->queryString};
        } else if (const auto *c = std::get_if<CallReducer>(&m)) {
            v = QJsonArray{udec(c->requestId), udec(c->flags), c->reducer, hex(c->args)};
        } else {
            const auto &p = std::get<CallProcedure>(m);
            v = QJsonArray{udec(p.requestId), udec(p.flags), p.procedure, hex(p.args)};
        }
        return sum(int(m.index()), v);
    }

private:
    const Schema &m_schema;
    bool m_raw;
};

// Our side of one case: accepted with the canonical value (and the raw one), or rejected.
struct Ours {
    bool ok = false;
    QJsonValue value;
    QJsonValue raw;
    QString error;
};

Ours decodeOurs(const QString &dir, const QByteArray &bytes, const Schema &s) {
    Ours o;
    if (dir == QLatin1String("client")) {
        const Expected<ClientMessage> m = decodeClientMessage(bytes);
        if (!m) {
            o.error = m.error().message();
            return o;
        }
        o.ok = true;
        o.value = o.raw = Renderer::client(*m);
        return o;
    }
    const Expected<ServerMessage> m = decodeServerFrame(bytes);
    if (!m) {
        o.error = m.error().message();
        return o;
    }
    Renderer full(s, false);
    o.value = full.server(*m);
    if (full.error.isError()) {
        o.error = full.error.message();
        return o;
    }
    Renderer raw(s, true);
    o.raw = raw.server(*m);
    o.ok = true;
    return o;
}

// ---- comparing -------------------------------------------------------------------------------

struct Tally {
    int cases = 0;
    int bothAccept = 0;
    int bothReject = 0;
    int expectedDifference = 0;
    std::map<QString, int> byLabel; // expected differences by lenient label / case kind
    std::map<QString, int> byKind;
    QSet<QString> acceptedVariants;
    QSet<QString> compressions;
    QStringList failures;
    int failureCount = 0;
};

void fail(Tally &t, const QJsonObject &c, const Ours &ours, const QString &why) {
    ++t.failureCount;
    if (t.failures.size() >= 20)
        return;
    QString hexText = c.value(QLatin1String("hex")).toString();
    if (hexText.size() > 400)
        hexText = hexText.left(400) + QStringLiteral("…");
    t.failures.append(
        QStringLiteral("case %1 (%2 %3, %4, %5): %6\n  bytes: %7\n  sdk:  %8\n  ours: %9")
            .arg(c.value(QLatin1String("id")).toInt())
            .arg(c.value(QLatin1String("dir")).toString(),
                 c.value(QLatin1String("variant")).toString(),
                 c.value(QLatin1String("kind")).toString(),
                 c.value(QLatin1String("compression")).toString(), why, hexText,
                 compact(c.value(QLatin1String("ts"))),
                 ours.ok ? compact(ours.value) : QStringLiteral("reject: ") + ours.error));
}

void compareCase(Tally &t, const QJsonObject &c, const Schema &s) {
    ++t.cases;
    const QString dir = c.value(QLatin1String("dir")).toString();
    const QString kind = c.value(QLatin1String("kind")).toString();
    const QString compression = c.value(QLatin1String("compression")).toString();
    ++t.byKind[dir + u'/' + kind];
    const QByteArray bytes =
        QByteArray::fromHex(c.value(QLatin1String("hex")).toString().toLatin1());
    const QJsonObject ts = c.value(QLatin1String("ts")).toObject();
    const Ours ours = decodeOurs(dir, bytes, s);

    // Known difference by case kind: bytes after the end of a compressed stream. Node's brotli
    // decoder ignores them, its gunzip ignores them when they start with a zero byte (padding);
    // we reject them after either stream.
    if (kind == QLatin1String("compressed-trailing") && ts.value(QLatin1String("ok")).toBool()) {
        if (ours.ok)
            return fail(t, c, ours,
                        QStringLiteral("we accepted bytes after the compressed stream"));
        ++t.expectedDifference;
        ++t.byLabel[QStringLiteral("compressed-trailing (%1)").arg(compression)];
        return;
    }
    if (!ts.value(QLatin1String("ok")).toBool()) {
        if (ours.ok)
            return fail(t, c, ours, QStringLiteral("the SDK rejects, we accept"));
        ++t.bothReject;
        return;
    }
    const QJsonArray lenient = ts.value(QLatin1String("lenient")).toArray();
    if (!lenient.isEmpty()) {
        const QString label = lenient.first().toString();
        if (label == QLatin1String("row-hint")) {
            // The SDK never reads the hint, so it is no oracle for it: we may reject the list,
            // or accept it, and then the message must still be what the SDK read.
            if (ours.ok && ours.raw != ts.value(QLatin1String("raw")))
                return fail(t, c, ours, QStringLiteral("row-hint case decoded differently"));
        } else if (ours.ok) {
            return fail(
                t, c, ours,
                QStringLiteral("the SDK is lenient here (%1), but we accept too").arg(label));
        }
        ++t.expectedDifference;
        ++t.byLabel[label + (ours.ok ? QStringLiteral(" (both accept)") : QString())];
        return;
    }
    if (!ours.ok)
        return fail(t, c, ours, QStringLiteral("the SDK accepts, we reject"));
    if (ours.value != ts.value(QLatin1String("value")))
        return fail(t, c, ours, QStringLiteral("decoded values differ"));
    // For our own encodings: the SDK must also read what we meant to write.
    if (c.contains(QLatin1String("expect")) && c.value(QLatin1String("expect")) != ours.value)
        return fail(t, c, ours, QStringLiteral("our decoder does not read back what we encoded"));
    ++t.bothAccept;
    if (kind == QLatin1String("valid")) {
        t.acceptedVariants.insert(dir + u'/' + c.value(QLatin1String("variant")).toString());
        t.compressions.insert(compression);
    }
}

void report(const Tally &t, const char *what, qint64 ms) {
    qInfo("%s: %d cases in %lld ms: %d both accept (same value), %d both reject, %d expected "
          "differences, %d disagreements",
          what, t.cases, ms, t.bothAccept, t.bothReject, t.expectedDifference, t.failureCount);
    for (const auto &[label, n] : t.byLabel)
        qInfo("  expected difference %s: %d", qPrintable(label), n);
}

// ---- running node ----------------------------------------------------------------------------

// Reads a JSONL corpus: the header object, then every case through `each`.
template <typename Each>
bool readCorpus(const QString &path, QJsonObject *header, Each each, QString *failure) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *failure = path + QStringLiteral(": ") + f.errorString();
        return false;
    }
    bool first = true;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError err;
        const QJsonDocument d = QJsonDocument::fromJson(line, &err);
        if (!d.isObject()) {
            *failure = QStringLiteral("%1: bad line: %2").arg(path, err.errorString());
            return false;
        }
        if (first)
            *header = d.object();
        else
            each(d.object());
        first = false;
    }
    return true;
}

// ---- our own corpus (our encoder, the SDK decodes) -----------------------------------------

class Generator {
public:
    Generator(quint32 seed, const Schema &s)
        : m_rng(seed)
        , m_schema(s) {
        for (const auto &[name, type] : s.tables)
            m_tableNames.append(name);
    }

    int below(int n) { return int(m_rng.bounded(quint32(n))); }
    bool chance(int percent) { return below(100) < percent; }
    quint64 bits64() { return m_rng.generate64(); }
    QByteArray bytes(int n) {
        QByteArray b(n, Qt::Uninitialized);
        for (char &c : b)
            c = char(below(256));
        return b;
    }
    QString string() {
        static const QStringList pool = {QString(),
                                         QStringLiteral("a"),
                                         QStringLiteral("hello"),
                                         QStringLiteral("Grüße"),
                                         QStringLiteral("漢字"),
                                         QStringLiteral("🙂 emoji"),
                                         QStringLiteral("tab\tnl\n"),
                                         QStringLiteral("x").repeated(40),
                                         QString(QChar(0)) + QStringLiteral("nul")};
        return pool[below(int(pool.size()))];
    }
    quint32 u32() { return chance(20) ? quint32(below(2)) : quint32(m_rng.generate()); }

    template <typename Big>
    Big big() {
        Big v;
        for (auto &b : v.littleEndian())
            b = quint8(below(256));
        if (chance(30))
            v = chance(50) ? Big::max() : Big::min();
        return v;
    }

    Value value(const AlgebraicType &type, int depth = 0) {
        using K = AlgebraicType::Kind;
        switch (type.kind()) {
        case K::Bool:
            return Value::boolean(chance(50));
        case K::I8:
            return Value::i8(qint8(bits64()));
        case K::U8:
            return Value::u8(quint8(bits64()));
        case K::I16:
            return Value::i16(qint16(bits64()));
        case K::U16:
            return Value::u16(quint16(bits64()));
        case K::I32:
            return Value::i32(qint32(bits64()));
        case K::U32:
            return Value::u32(quint32(bits64()));
        case K::I64:
            return Value::i64(qint64(bits64()));
        case K::U64:
            return Value::u64(bits64());
        case K::I128:
            return Value::i128(big<I128>());
        case K::U128:
            return Value::u128(big<U128>());
        case K::I256:
            return Value::i256(big<I256>());
        case K::U256:
            return Value::u256(big<U256>());
        case K::F32: {
            const quint32 b = quint32(bits64());
            float f;
            std::memcpy(&f, &b, 4);
            return Value::f32(f);
        }
        case K::F64: {
            const quint64 b = bits64();
            double d;
            std::memcpy(&d, &b, 8);
            return Value::f64(d);
        }
        case K::String:
            return Value::string(string());
        case K::Array: {
            if (type.elementType().kind() == K::U8)
                return Value::bytes(bytes(below(9)));
            QList<Value> e;
            for (int i = depth > 3 ? 0 : below(4); i > 0; --i)
                e.append(value(type.elementType(), depth + 1));
            return Value::array(e);
        }
        case K::Product: {
            QList<Value> f;
            for (const TypeMember &m : type.members())
                f.append(value(m.type, depth + 1));
            return Value::product(f);
        }
        case K::Sum: {
            const int tag = below(int(type.members().size()));
            return Value::sum(quint8(tag), value(type.members()[tag].type, depth + 1));
        }
        case K::Ref:
            break;
        }
        return {};
    }

    QString table() {
        return chance(10) ? QStringLiteral("not_in_schema")
                          : m_tableNames[below(int(m_tableNames.size()))];
    }

    RowList rowList(const QString &table) {
        const auto it = m_schema.tables.find(table);
        if (it == m_schema.tables.end()) {
            QList<QByteArray> rows;
            for (int i = below(4); i > 0; --i)
                rows.append(bytes(below(5)));
            return RowList::fromRowsWithOffsets(rows);
        }
        QList<QByteArray> rows;
        for (int i = below(4); i > 0; --i) {
            const Expected<QByteArray> row =
                value(it->second).encode(it->second, m_schema.typespace);
            Q_ASSERT(row);
            rows.append(*row);
        }
        return chance(50) ? RowList::fromRows(rows) : RowList::fromRowsWithOffsets(rows);
    }

    QueryRows queryRows() {
        QueryRows q;
        for (int i = below(4); i > 0; --i) {
            const QString t = table();
            q.tables.append({t, rowList(t)});
        }
        return q;
    }

    TransactionUpdate transactionUpdate() {
        TransactionUpdate u;
        for (int i = below(3); i > 0; --i) {
            QuerySetUpdate qs;
            qs.querySetId = u32();
            for (int j = below(3); j > 0; --j) {
                TableUpdate t;
                t.tableName = table();
                for (int k = 1 + below(2); k > 0; --k) {
                    if (chance(70))
                        t.rows.append(
                            PersistentTableRows{rowList(t.tableName), rowList(t.tableName)});
                    else
                        t.rows.append(EventTableRows{rowList(t.tableName)});
                }
                qs.tables.append(t);
            }
            u.querySets.append(qs);
        }
        return u;
    }

    ServerMessage server() {
        switch (below(8)) {
        case 0:
            return InitialConnection{Identity(big<U256>()), ConnectionId(big<U128>()), string()};
        case 1:
            return SubscribeApplied{u32(), u32(), queryRows()};
        case 2: {
            UnsubscribeApplied m{u32(), u32(), std::nullopt};
            if (chance(50))
                m.rows = queryRows();
            return m;
        }
        case 3: {
            SubscriptionError m;
            if (chance(50))
                m.requestId = u32();
            m.querySetId = u32();
            m.error = string();
            return m;
        }
        case 4:
            return transactionUpdate();
        case 5: {
            OneOffQueryResult m;
            m.requestId = u32();
            if (chance(50))
                m.result = queryRows();
            else
                m.result = string();
            return m;
        }
        case 6: {
            ReducerResult m;
            m.requestId = u32();
            m.timestamp = Timestamp::fromMicros(qint64(bits64()));
            switch (below(4)) {
            case 0:
                m.result = ReducerOk{bytes(below(6)), transactionUpdate()};
                break;
            case 1:
                m.result = ReducerOkEmpty{};
                break;
            case 2:
                m.result = ReducerErr{bytes(below(10))};
                break;
            default:
                m.result = ReducerInternalError{string()};
                break;
            }
            return m;
        }
        default: {
            ProcedureResult m;
            if (chance(50))
                m.status = ProcedureReturned{bytes(below(10))};
            else
                m.status = ProcedureInternalError{string()};
            m.timestamp = Timestamp::fromMicros(qint64(bits64()));
            m.totalHostExecutionDuration = TimeDuration::fromMicros(qint64(bits64()));
            m.requestId = u32();
            return m;
        }
        }
    }

    ClientMessage client() {
        switch (below(5)) {
        case 0: {
            Subscribe m{u32(), u32(), {}};
            for (int i = below(4); i > 0; --i)
                m.queryStrings.append(string());
            return m;
        }
        case 1:
            return Unsubscribe{u32(), u32(),
                               chance(50) ? UnsubscribeFlags::Default
                                          : UnsubscribeFlags::SendDroppedRows};
        case 2:
            return OneOffQuery{u32(), string()};
        case 3:
            return CallReducer{u32(), 0, string(), bytes(below(12))};
        default:
            return CallProcedure{u32(), 0, string(), bytes(below(12))};
        }
    }

    // A body-level mutation (truncate, bit flip, trailing bytes); empty kind when none fits.
    QString mutate(QByteArray &body) {
        switch (below(3)) {
        case 0:
            body.truncate(below(int(body.size())));
            return QStringLiteral("truncate");
        case 1:
            for (int i = 1 + below(3); i > 0; --i)
                body[below(int(body.size()))] ^= char(1 << below(8));
            return QStringLiteral("bitflip");
        default:
            body.append(bytes(1 + below(8)));
            return QStringLiteral("trailing");
        }
    }

private:
    QRandomGenerator m_rng;
    const Schema &m_schema;
    QStringList m_tableNames;
};

// Every kind of column the schema must contain (the sdk-test-like coverage the task asks for).
void collectKinds(const AlgebraicType &t, QSet<QString> &seen) {
    using K = AlgebraicType::Kind;
    switch (t.special()) {
    case AlgebraicType::Special::Identity:
        seen.insert(QStringLiteral("Identity"));
        break;
    case AlgebraicType::Special::ConnectionId:
        seen.insert(QStringLiteral("ConnectionId"));
        break;
    case AlgebraicType::Special::Timestamp:
        seen.insert(QStringLiteral("Timestamp"));
        break;
    case AlgebraicType::Special::TimeDuration:
        seen.insert(QStringLiteral("TimeDuration"));
        break;
    case AlgebraicType::Special::Uuid:
        seen.insert(QStringLiteral("Uuid"));
        break;
    case AlgebraicType::Special::ScheduleAt:
        seen.insert(QStringLiteral("ScheduleAt"));
        break;
    case AlgebraicType::Special::Option:
        seen.insert(QStringLiteral("Option"));
        break;
    case AlgebraicType::Special::Result:
        seen.insert(QStringLiteral("Result"));
        break;
    default:
        if (t.isPlainEnum())
            seen.insert(QStringLiteral("PlainEnum"));
        else if (t.isSum())
            seen.insert(QStringLiteral("Sum"));
        else if (t.isProduct() && !t.members().isEmpty())
            seen.insert(QStringLiteral("Product"));
        else if (t.isUnit())
            seen.insert(QStringLiteral("Unit"));
        break;
    }
    if (t.kind() == K::Array) {
        seen.insert(t.elementType().kind() == K::U8 ? QStringLiteral("Bytes")
                                                    : QStringLiteral("Array"));
        if (t.elementType().kind() == K::Array)
            seen.insert(QStringLiteral("NestedArray"));
        collectKinds(t.elementType(), seen);
    } else if (t.isPrimitive()) {
        seen.insert(AlgebraicType::kindName(t.kind()));
    }
    for (const TypeMember &m : t.members())
        collectKinds(m.type, seen);
}

} // namespace

class TestTsDiff : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void schemaCoversEveryColumnKind();
    void sdkCorpus();
    void ourCorpus();

private:
    bool runNode(const QStringList &args, int timeoutMs, QString *failure);

    QString m_interopDir;
    QString m_node;
    QTemporaryDir m_tmp;
    quint32 m_seed = kDefaultSeed;
    int m_sdkCases = kDefaultSdkCases;
    int m_ourCases = kDefaultOurCases;
    Schema m_schema;
    QString m_sdkCorpus;
};

bool TestTsDiff::runNode(const QStringList &args, int timeoutMs, QString *failure) {
    QByteArray err;
    if (!runProgram(m_node, args, m_interopDir, timeoutMs, &err, failure))
        return false;
    for (const QByteArray &line : err.split('\n'))
        if (!line.isEmpty())
            qInfo("%s", line.constData());
    return true;
}

void TestTsDiff::initTestCase() {
    m_interopDir = QStringLiteral(STDB_INTEROP_DIR);
    m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (m_node.isEmpty())
        QFAIL("node (Node.js >= 18) is not in PATH. This test needs it to run the official "
              "TypeScript SDK; install nodejs and npm (CI does, via scripts/install-deps.sh).");
    if (QStandardPaths::findExecutable(QStringLiteral("npm")).isEmpty())
        QFAIL("npm is not in PATH. This test installs the pinned spacetimedb package with it.");
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    if (bash.isEmpty())
        QFAIL("bash is not in PATH (needed for scripts/npm-setup.sh)");
    QVERIFY(m_tmp.isValid());

    m_seed = quint32(envInt("STDB_DIFF_SEED", int(kDefaultSeed)));
    m_sdkCases = envInt("STDB_DIFF_CASES", kDefaultSdkCases);
    m_ourCases = envInt("STDB_DIFF_OUR_CASES", kDefaultOurCases);
    qInfo("seed %u, %d SDK-encoded cases, %d of ours (STDB_DIFF_SEED, STDB_DIFF_CASES, "
          "STDB_DIFF_OUR_CASES)",
          m_seed, m_sdkCases, m_ourCases);

    QByteArray err;
    QString failure;
    if (!runProgram(bash, {QStringLiteral(STDB_NPM_SETUP), QStringLiteral("tests/interop")},
                    m_interopDir + QStringLiteral("/../.."), 300000, &err, &failure))
        QFAIL(qPrintable(QStringLiteral("scripts/npm-setup.sh: ") + failure));

    m_sdkCorpus = m_tmp.filePath(QStringLiteral("sdk-corpus.jsonl"));
    // A long run (100k+ cases) takes minutes; the short one seconds.
    const int timeoutMs = 120000 + m_sdkCases * 20;
    if (!runNode({QDir(m_interopDir).filePath(QStringLiteral("diff-corpus.mjs")),
                  QStringLiteral("generate"), QStringLiteral("--seed"), QString::number(m_seed),
                  QStringLiteral("--count"), QString::number(m_sdkCases), m_sdkCorpus},
                 timeoutMs, &failure))
        QFAIL(qPrintable(failure));

    // The schema (row types of the sdk-test-like tables) from the corpus header.
    QFile f(m_sdkCorpus);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
    const QJsonObject header = QJsonDocument::fromJson(f.readLine()).object();
    QCOMPARE(header.value(QLatin1String("sdkVersion")).toString(), QStringLiteral("2.10.1"));
    const QJsonObject tables = header.value(QLatin1String("tables")).toObject();
    QVERIFY(tables.size() >= 5);
    for (auto it = tables.begin(); it != tables.end(); ++it) {
        const Expected<AlgebraicType> t =
            AlgebraicType::fromJson(it.value(), QStringLiteral("tables.") + it.key());
        QVERIFY2(t, qPrintable(t ? QString() : t.error().message()));
        m_schema.tables.emplace(it.key(), *t);
    }
}

void TestTsDiff::schemaCoversEveryColumnKind() {
    QSet<QString> seen;
    for (const auto &[name, type] : m_schema.tables)
        collectKinds(type, seen);
    const QStringList wanted = {QStringLiteral("Bool"),         QStringLiteral("I8"),
                                QStringLiteral("U8"),           QStringLiteral("I16"),
                                QStringLiteral("U16"),          QStringLiteral("I32"),
                                QStringLiteral("U32"),          QStringLiteral("I64"),
                                QStringLiteral("U64"),          QStringLiteral("I128"),
                                QStringLiteral("U128"),         QStringLiteral("I256"),
                                QStringLiteral("U256"),         QStringLiteral("F32"),
                                QStringLiteral("F64"),          QStringLiteral("String"),
                                QStringLiteral("Bytes"),        QStringLiteral("Array"),
                                QStringLiteral("NestedArray"),  QStringLiteral("Option"),
                                QStringLiteral("Result"),       QStringLiteral("PlainEnum"),
                                QStringLiteral("Sum"),          QStringLiteral("Product"),
                                QStringLiteral("Unit"),         QStringLiteral("Identity"),
                                QStringLiteral("ConnectionId"), QStringLiteral("Timestamp"),
                                QStringLiteral("TimeDuration"), QStringLiteral("Uuid"),
                                QStringLiteral("ScheduleAt")};
    for (const QString &k : wanted)
        QVERIFY2(seen.contains(k), qPrintable(QStringLiteral("no column of kind %1").arg(k)));
}

void TestTsDiff::sdkCorpus() {
    Tally t;
    QJsonObject header;
    QString failure;
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(readCorpus(
                 m_sdkCorpus, &header, [&](const QJsonObject &c) { compareCase(t, c, m_schema); },
                 &failure),
             qPrintable(failure));
    report(t, "SDK-encoded corpus", clock.elapsed());
    QCOMPARE(t.cases, m_sdkCases);
    if (t.failureCount)
        QFAIL(qPrintable(QStringLiteral("%1 disagreement(s) with the TypeScript SDK (seed %2):\n%3")
                             .arg(t.failureCount)
                             .arg(m_seed)
                             .arg(t.failures.join(u'\n'))));

    // Coverage: every message variant decoded by both, every compression, every mutation.
    // (A run smaller than the suite's may miss some; only the counts above are checked then.)
    if (m_sdkCases < kDefaultSdkCases)
        return;
    static const char *const server[] = {
        "InitialConnection", "SubscribeApplied",  "UnsubscribeApplied", "SubscriptionError",
        "TransactionUpdate", "OneOffQueryResult", "ReducerResult",      "ProcedureResult"};
    static const char *const client[] = {"Subscribe", "Unsubscribe", "OneOffQuery", "CallReducer",
                                         "CallProcedure"};
    for (const char *v : server)
        QVERIFY2(t.acceptedVariants.contains(QStringLiteral("server/") + QLatin1String(v)), v);
    for (const char *v : client)
        QVERIFY2(t.acceptedVariants.contains(QStringLiteral("client/") + QLatin1String(v)), v);
    for (const char *c : {"none", "gzip", "brotli"})
        QVERIFY2(t.compressions.contains(QLatin1String(c)), c);
    static const char *const kinds[] = {"server/valid",
                                        "server/truncate",
                                        "server/bitflip",
                                        "server/trailing",
                                        "server/byte-set",
                                        "server/bad-tag",
                                        "server/variant-swap",
                                        "server/bad-length",
                                        "server/bad-compression-tag",
                                        "server/compression-mismatch",
                                        "server/empty-frame",
                                        "server/corrupt-gzip",
                                        "server/corrupt-brotli",
                                        "server/truncate-compressed",
                                        "server/compressed-trailing",
                                        "client/valid",
                                        "client/truncate",
                                        "client/bitflip",
                                        "client/trailing",
                                        "client/bad-tag",
                                        "client/bad-length",
                                        "server/bad-bool",
                                        "server/bad-utf8",
                                        "server/bad-hint",
                                        "client/bad-utf8",
                                        "client/bad-flags"};
    for (const char *k : kinds)
        QVERIFY2(t.byKind.count(QLatin1String(k)), k);
    // Every known difference of the SDK's own code shows up, so the rules for them are
    // exercised (compressed-trailing depends on Node's decoders, so it is not required here).
    for (const char *label : {"bool", "utf8", "sum-tag", "flags", "trailing", "row-hint"})
        QVERIFY2(t.byLabel.count(QLatin1String(label)), label);
    QVERIFY2(t.bothAccept > m_sdkCases / 3, "too few cases both sides decode");
    QVERIFY2(t.bothReject > m_sdkCases / 10, "too few cases both sides reject");
}

void TestTsDiff::ourCorpus() {
    Generator gen(m_seed ^ 0x5eedu, m_schema);
    const QString in = m_tmp.filePath(QStringLiteral("our-corpus.jsonl"));
    const QString out = m_tmp.filePath(QStringLiteral("our-corpus-decoded.jsonl"));
    {
        QFile f(in);
        QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(f.errorString()));
        static const Compression compressions[] = {Compression::None, Compression::Gzip,
                                                   Compression::Brotli};
        for (int id = 0; id < m_ourCases; ++id) {
            QJsonObject c{{QStringLiteral("id"), id}};
            QByteArray body;
            QJsonValue expect;
            Compression compression = Compression::None;
            if (gen.chance(70)) {
                const ServerMessage m = gen.server();
                Renderer r(m_schema, false);
                expect = r.server(m);
                QVERIFY2(!r.error.isError(), qPrintable(r.error.message()));
                body = encodeServerMessage(m);
                c.insert(QStringLiteral("dir"), QStringLiteral("server"));
                c.insert(QStringLiteral("variant"), messageName(m));
                compression = compressions[gen.below(3)];
            } else {
                const ClientMessage m = gen.client();
                expect = Renderer::client(m);
                body = encodeClientMessage(m);
                c.insert(QStringLiteral("dir"), QStringLiteral("client"));
                c.insert(QStringLiteral("variant"), messageName(m));
            }
            QString kind = QStringLiteral("valid");
            if (gen.chance(30) && !body.isEmpty())
                kind = gen.mutate(body);
            else
                c.insert(QStringLiteral("expect"), expect);
            const QByteArray bytes = c.value(QLatin1String("dir")) == QLatin1String("server")
                                         ? encodeServerFrame(body, compression, 0)
                                         : body;
            c.insert(QStringLiteral("kind"), kind);
            c.insert(QStringLiteral("compression"), compressionName(compression));
            c.insert(QStringLiteral("hex"), QString::fromLatin1(bytes.toHex()));
            f.write(QJsonDocument(c).toJson(QJsonDocument::Compact) + '\n');
        }
    }
    QString failure;
    if (!runNode({QDir(m_interopDir).filePath(QStringLiteral("diff-corpus.mjs")),
                  QStringLiteral("decode"), in, out},
                 120000 + m_ourCases * 20, &failure))
        QFAIL(qPrintable(failure));

    Tally t;
    QJsonObject header;
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(
        readCorpus(
            out, &header, [&](const QJsonObject &c) { compareCase(t, c, m_schema); }, &failure),
        qPrintable(failure));
    report(t, "our corpus", clock.elapsed());
    QCOMPARE(t.cases, m_ourCases);
    if (t.failureCount)
        QFAIL(qPrintable(QStringLiteral("%1 disagreement(s) with the TypeScript SDK on our "
                                        "encodings (seed %2):\n%3")
                             .arg(t.failureCount)
                             .arg(m_seed)
                             .arg(t.failures.join(u'\n'))));
    QVERIFY2(t.bothAccept > m_ourCases / 2, "too few of our encodings decoded by both");
}

QTEST_GUILESS_MAIN(TestTsDiff)
#include "tst_tsdiff.moc"
