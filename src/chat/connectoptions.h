// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/profile.h"

#include <QCommandLineOption>
#include <QCoreApplication>
#include <QSslCertificate>
#include <QString>

class QCommandLineParser;

namespace chat {

// The command-line options every front end shares: which server, database and profile, how to
// keep the identity (keychain or file, Rust quickstart import, anonymous) and which certificate
// to trust. A front end adds these to its QCommandLineParser next to its own options, parses,
// then read()s them. The front ends word and check them a little differently (the Widgets app
// falls back to the profile used last, the console client speaks like the official quickstart
// client's documentation and checks the URL up front), so the front end names itself.
class ConnectOptions {
    Q_DECLARE_TR_FUNCTIONS(chat::ConnectOptions)
public:
    enum class Frontend { Widgets, Quick, Console };

    explicit ConnectOptions(Frontend frontend);

    // Declares --server, --database, --profile, --insecure-token-file,
    // --import-rust-credentials, --rust-credentials, --anonymous and --trust-certificate.
    void addTo(QCommandLineParser &parser) const;
    // Reads and checks them after the parser has parsed; false with error() set for a bad
    // value or combination.
    bool read(const QCommandLineParser &parser);
    QString error() const { return m_error; }

    // Widgets: empty when not given (the app falls back to the profile's or the default).
    // Console: "maincloud" already expanded.
    QString server() const { return m_server; }
    QString database() const { return m_database; }
    QString profileName() const { return m_profileName; }
    bool insecureTokenFile() const { return m_insecureTokenFile; }
    bool anonymous() const { return m_anonymous; }
    // --import-rust-credentials, or --rust-credentials (which implies it).
    bool importRustCredentials() const { return m_importRustCredentials; }
    QString rustCredentialsPath() const { return m_rustCredentialsPath; } // empty: not given
    // --trust-certificate: the certificate (null when not given) and its file (the Widgets app
    // stores it in the profile, so there it is made absolute).
    QSslCertificate trustedCertificate() const { return m_trustedCertificate; }
    QString trustedCertificateFile() const { return m_trustedCertificateFile; }
    // Server, database, name and trusted certificate file together (Quick and Console).
    Profile profile() const;

private:
    Frontend m_frontend;
    QCommandLineOption m_serverOption;
    QCommandLineOption m_databaseOption;
    QCommandLineOption m_profileOption;
    QCommandLineOption m_insecureOption;
    QCommandLineOption m_importRustOption;
    QCommandLineOption m_rustPathOption;
    QCommandLineOption m_anonymousOption;
    QCommandLineOption m_trustOption;

    QString m_error;
    QString m_server;
    QString m_database;
    QString m_profileName;
    bool m_insecureTokenFile = false;
    bool m_anonymous = false;
    bool m_importRustCredentials = false;
    QString m_rustCredentialsPath;
    QSslCertificate m_trustedCertificate;
    QString m_trustedCertificateFile;
};

} // namespace chat
