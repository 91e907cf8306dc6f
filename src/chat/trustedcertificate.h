// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/expected.h"

#include <QSslCertificate>
#include <QString>

namespace chat {

// A certificate file the user chose to trust for wss (a self-signed development server): one
// certificate, PEM or DER. Errors are sentences that name the file and what is wrong with it
// (cannot be read, empty, a private key instead of a certificate, no certificate in it, more
// than one certificate).
class TrustedCertificate {
public:
    static stdb::Expected<QSslCertificate> load(const QString &path);
};

} // namespace chat
