// SPDX-License-Identifier: Apache-2.0
#include "chat/trustedcertificate.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace chat {

namespace {
// Larger files are not a single certificate; do not read them into memory.
constexpr qint64 kMaxFileSize = 1024 * 1024;

stdb::Error problem(const QString &text) {
    return stdb::Error(stdb::Error::Kind::InvalidArgument, text);
}
} // namespace

stdb::Expected<QSslCertificate> TrustedCertificate::load(const QString &path) {
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("chat::TrustedCertificate", text);
    };
    if (path.trimmed().isEmpty())
        return problem(tr("No certificate file was given."));
    const QFileInfo info(path);
    if (info.isDir())
        return problem(tr("The trusted certificate %1 is a directory, not a file.").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return problem(
            tr("The trusted certificate %1 cannot be read: %2").arg(path, file.errorString()));
    if (file.size() > kMaxFileSize)
        return problem(tr("The trusted certificate %1 is too large to be a certificate (%2 bytes).")
                           .arg(path)
                           .arg(file.size()));
    const QByteArray bytes = file.readAll();
    if (bytes.trimmed().isEmpty())
        return problem(tr("The trusted certificate %1 is empty.").arg(path));

    QList<QSslCertificate> certificates = QSslCertificate::fromData(bytes, QSsl::Pem);
    if (certificates.isEmpty()) {
        if (bytes.contains("PRIVATE KEY-----"))
            return problem(tr("%1 holds a private key, not a certificate. Choose the server's "
                              "certificate (the .pem or .crt file), never its key.")
                               .arg(path));
        certificates = QSslCertificate::fromData(bytes, QSsl::Der);
    }
    certificates.removeIf([](const QSslCertificate &c) { return c.isNull(); });
    if (certificates.isEmpty())
        return problem(
            tr("%1 does not contain a certificate (expected PEM \"-----BEGIN CERTIFICATE-----\" "
               "or DER).")
                .arg(path));
    if (certificates.size() > 1)
        return problem(tr("%1 contains %2 certificates; give a file with exactly one: the "
                          "server's self-signed certificate.")
                           .arg(path)
                           .arg(certificates.size()));
    return certificates.constFirst();
}

} // namespace chat
