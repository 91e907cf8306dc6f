// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

// Certificates for one test run, made by the openssl command (as tests/security does).
class TestCertificates {
public:
    // A self-signed certificate for `host` (an IP address when `ip`), valid for two days.
    static bool selfSigned(const QString &dir, const QString &base, const QString &host, bool ip,
                           QString *certFile, QString *keyFile);
    // A self-signed certificate for 127.0.0.1 that expired in 2020.
    static bool expired(const QString &dir, const QString &base, QString *certFile,
                        QString *keyFile);
    // A certificate for 127.0.0.1 issued by a new certificate authority (nobody trusts it).
    static bool fromUnknownAuthority(const QString &dir, const QString &base, QString *certFile,
                                     QString *keyFile);
    static QSslCertificate loadCertificate(const QString &file);
    static QSslKey loadKey(const QString &file);
};
