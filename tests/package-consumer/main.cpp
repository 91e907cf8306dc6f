// SPDX-License-Identifier: Apache-2.0
// Uses the installed SDK the way an application would: BSATN, a DbConnection built (not
// connected: no server here) with its signals, and the schema library.
#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/schema/moduleschema.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    bool ok = false;
    const stdb::Identity id = stdb::Identity::fromHex(
        u"c200000000000000000000000000000000000000000000000000000000000001", &ok);
    if (!ok)
        return 1;

    stdb::BsatnWriter writer;
    writer.writeIdentity(id);
    writer.writeString(u"hello from a package consumer");

    stdb::BsatnReader reader(writer.buffer());
    const stdb::Identity back = reader.readIdentity();
    const QString text = reader.readString();
    if (!reader.ok() || back != id || text != u"hello from a package consumer")
        return 1;

    // A QObject class of the library: its meta-object (and so its signals) must be exported.
    auto conn = stdb::DbConnectionBuilder()
                    .withUri(QStringLiteral("http://127.0.0.1:1"))
                    .withDatabaseName(QStringLiteral("quickstart-chat"))
                    .build();
    if (!conn)
        return 2;
    const bool hasSignal =
        (*conn)->metaObject()->indexOfSignal("stateChanged(stdb::DbConnection::State)") >= 0;
    QObject::connect(*conn, &stdb::DbConnection::stateChanged, &app, [] {});
    delete *conn;
    if (!hasSignal)
        return 3;

    // The schema library (SpacetimeQt::Schema).
    const auto schema = stdb::ModuleSchema::fromJson(
        R"({"typespace":{"types":[]},"tables":[],"reducers":[],"types":[],"misc_exports":[],"row_level_security":[]})");
    if (!schema) {
        std::printf("schema: %s\n", qPrintable(schema.error().toString()));
        return 4;
    }

    std::printf("ok %s %s\n", qPrintable(back.toShortHex()), qPrintable(text));
    return 0;
}
