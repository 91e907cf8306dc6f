// SPDX-License-Identifier: Apache-2.0
// The checked-in fuzz seeds must stay valid input for the current decoder; otherwise the fuzzer
// starts from garbage and covers little. The seeds of the bindings, schema and SQL targets run
// through the fuzzers' own harness (harness.h), so a seed that once crashed stays fixed; their
// seeds named bad_* must be rejected, every other one accepted.

#include "harness.h"

#include "spacetime/protocol/messagecodec.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace stdb;
using namespace stdb::protocol;

class TestFuzzCorpus : public QObject {
    Q_OBJECT

private:
    static QFileInfoList seeds(const char *name) {
        const QDir dir(QStringLiteral(STDB_FUZZ_CORPUS_DIR "/") + QLatin1String(name));
        return dir.entryInfoList(QDir::Files, QDir::Name);
    }
    static QByteArray read(const QFileInfo &fi) {
        QFile f(fi.filePath());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void replay(const char *name, bool (*harness)(QByteArrayView), qsizetype minSeeds) {
        const QFileInfoList files = seeds(name);
        QVERIFY(files.size() >= minSeeds);
        for (const QFileInfo &fi : files) {
            const bool expected = !fi.fileName().startsWith(QLatin1String("bad_"));
            QVERIFY2(harness(read(fi)) == expected,
                     qPrintable(fi.fileName() + (expected ? QStringLiteral(": rejected")
                                                          : QStringLiteral(": accepted"))));
        }
    }

private slots:
    void initTestCase() { fuzz::quietLogging(); }
    void serverFrames() {
        const QFileInfoList files = seeds("server_frame");
        QVERIFY(files.size() >= 10);
        for (const QFileInfo &fi : files) {
            const QByteArray frame = read(fi);
            Error e;
            if (fi.fileName().startsWith(QLatin1String("v3_"))) {
                if (const auto r = decodeServerFrameV3(frame); !r)
                    e = r.error();
            } else if (const auto r = decodeServerFrame(frame); !r) {
                e = r.error();
            }
            QVERIFY2(!e.isError(), qPrintable(fi.fileName() + QStringLiteral(": ") + e.toString()));
        }
    }
    void clientMessages() {
        const QFileInfoList files = seeds("client_message");
        QVERIFY(files.size() >= 5);
        for (const QFileInfo &fi : files) {
            const QByteArray payload = read(fi);
            const auto r = fi.fileName().startsWith(QLatin1String("v3_"))
                               ? decodeClientMessagesV3(payload).hasValue()
                               : decodeClientMessage(payload).hasValue();
            QVERIFY2(r, qPrintable(fi.fileName()));
        }
    }
    void bindingsRows() { replay("bindings_rows", fuzz::bindingsRows, 10); }
    void schemaJson() {
        replay("schema_json", fuzz::schemaJson, 10);
        // quickstart-chat's own schema, from its one home rather than a copy among the seeds.
        for (const char *path : {STDB_QUICKSTART_SCHEMA_V9, STDB_QUICKSTART_SCHEMA_V10}) {
            QFile f(QString::fromUtf8(path));
            QVERIFY2(f.open(QIODevice::ReadOnly), path);
            QVERIFY2(fuzz::schemaJson(f.readAll()), path);
        }
    }
    void hostSql() { replay("host_sql", fuzz::hostSql, 20); }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
