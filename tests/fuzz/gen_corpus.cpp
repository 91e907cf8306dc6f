// Writes the fuzz seed corpus from our own encoder: real messages, as frames without and with
// compression (server) and as plain payloads (client), v2 single messages and v3 batches.
//   stdb-fuzz-corpus OUTPUT_DIR   (creates OUTPUT_DIR/server_frame and OUTPUT_DIR/client_message)

#include "../spacetime/samplemessages.h"

#include "spacetime/protocol/messagecodec.h"

#include <QDir>
#include <QFile>
#include <QTextStream>

using namespace stdb;
using namespace stdb::protocol;

namespace {

bool write(const QString &dir, const QString &name, const QByteArray &bytes) {
    QFile f(dir + u'/' + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        QTextStream(stderr) << "cannot write " << f.fileName() << '\n';
        return false;
    }
    return true;
}

QString slug(qsizetype i, const QString &name) {
    return QStringLiteral("%1_%2").arg(i, 2, 10, QLatin1Char('0')).arg(name.toLower());
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        QTextStream(stderr) << "usage: " << argv[0] << " OUTPUT_DIR\n";
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const QString server = out + QStringLiteral("/server_frame");
    const QString client = out + QStringLiteral("/client_message");
    if (!QDir().mkpath(server) || !QDir().mkpath(client))
        return 1;

    bool ok = true;
    const QList<ServerMessage> messages = testing::sampleServerMessages();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray body = encodeServerMessage(messages[i]);
        const QString base = slug(i, messageName(messages[i]));
        ok &= write(server, base + QStringLiteral("_none"),
                    encodeServerFrame(body, Compression::None));
        // Threshold 0 so small messages get compressed seeds too.
        if (i % 3 == 0) {
            ok &= write(server, base + QStringLiteral("_gzip"),
                        encodeServerFrame(body, Compression::Gzip, 0));
            ok &= write(server, base + QStringLiteral("_brotli"),
                        encodeServerFrame(body, Compression::Brotli, 0));
        }
    }
    // v3 batches: everything in one body, and a small pair.
    QByteArray all;
    for (const ServerMessage &m : messages)
        all += encodeServerMessage(m);
    ok &= write(server, QStringLiteral("v3_all_none"), encodeServerFrame(all, Compression::None));
    ok &=
        write(server, QStringLiteral("v3_all_gzip"), encodeServerFrame(all, Compression::Gzip, 0));
    ok &= write(server, QStringLiteral("v3_all_brotli"),
                encodeServerFrame(all, Compression::Brotli, 0));
    const QByteArray pair = encodeServerMessage(messages[5]) + encodeServerMessage(messages[13]);
    ok &= write(server, QStringLiteral("v3_pair_none"), encodeServerFrame(pair, Compression::None));
    // A bigger initial subscription, above the compression threshold as the server sends it.
    const QByteArray big = encodeServerMessage(testing::largeSubscribeApplied(60, 20));
    ok &= write(server, QStringLiteral("large_subscribe_applied_gzip"),
                encodeServerFrame(big, Compression::Gzip));
    ok &= write(server, QStringLiteral("large_subscribe_applied_brotli"),
                encodeServerFrame(big, Compression::Brotli));

    const QList<ClientMessage> requests = testing::sampleClientMessages();
    for (qsizetype i = 0; i < requests.size(); ++i)
        ok &= write(client, slug(i, messageName(requests[i])), encodeClientMessage(requests[i]));
    ok &= write(client, QStringLiteral("v3_all"), encodeClientMessagesV3(requests));
    return ok ? 0 : 1;
}
