// SPDX-License-Identifier: Apache-2.0
#include "chat/rustcredentials.h"

#include "spacetime/bsatn/bsatnreader.h"

#include <QDir>
#include <QFile>

namespace chat {

QString RustCredentials::defaultPath(const QString &database) {
    return QDir::homePath() + QStringLiteral("/.spacetimedb_client_credentials/") + database;
}

stdb::Expected<QString> RustCredentials::read(const QString &path) {
    using stdb::Error;
    QFile f(path);
    if (!f.exists())
        return Error(Error::Kind::InvalidArgument,
                     QObject::tr("No Rust quickstart credentials at %1").arg(path));
    // A token file is a few hundred bytes; refuse anything absurd before reading it.
    if (f.size() > 64 * 1024)
        return Error(
            Error::Kind::Decode,
            QObject::tr("%1 is not a credentials file (%2 bytes)").arg(path).arg(f.size()));
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Kind::InvalidArgument,
                     QObject::tr("Cannot read %1: %2").arg(path, f.errorString()));
    const QByteArray bytes = f.readAll();
    stdb::BsatnReader r(bytes);
    const QString token = r.readString();
    r.expectEnd("the credentials product");
    if (!r.ok())
        return Error(
            Error::Kind::Decode,
            QObject::tr("%1 is not a valid credentials file: %2").arg(path, r.error().toString()));
    if (token.trimmed().isEmpty())
        return Error(Error::Kind::Decode, QObject::tr("%1 contains an empty token").arg(path));
    return token;
}

} // namespace chat
