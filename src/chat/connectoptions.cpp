// SPDX-License-Identifier: Apache-2.0
#include "connectoptions.h"

#include "chat/trustedcertificate.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QUrl>

namespace chat {

namespace {
using Frontend = ConnectOptions::Frontend;

// The text for each front end: the Widgets app's, the Qt Quick client's and the console client's.
QString pick(Frontend frontend, const QString &widgets, const QString &quick,
             const QString &console) {
    switch (frontend) {
    case Frontend::Widgets:
        return widgets;
    case Frontend::Quick:
        return quick;
    case Frontend::Console:
        break;
    }
    return console;
}

// The same text for both graphical front ends, another for the console client.
QString pick(Frontend frontend, const QString &gui, const QString &console) {
    return frontend == Frontend::Console ? console : gui;
}

// The Widgets app has no defaults on the command line: it falls back to the last profile.
QString defaultValue(Frontend frontend, const char *value) {
    return frontend == Frontend::Widgets ? QString() : QString::fromLatin1(value);
}
} // namespace

ConnectOptions::ConnectOptions(Frontend frontend)
    : m_frontend(frontend)
    , m_serverOption(QStringLiteral("server"),
                     pick(frontend,
                          tr("Server URL (default http://127.0.0.1:3000; \"maincloud\" for "
                             "https://maincloud.spacetimedb.com)."),
                          tr("SpacetimeDB server URL, or \"maincloud\" (default: %1).")
                              .arg(QLatin1String(Profile::kDefaultServer))),
                     QStringLiteral("url"), defaultValue(frontend, Profile::kDefaultServer))
    , m_databaseOption(QStringLiteral("database"),
                       pick(frontend, tr("Database name (default quickstart-chat)."),
                            tr("Database name or identity (default: %1).")
                                .arg(QLatin1String(Profile::kDefaultDatabase))),
                       QStringLiteral("name"), defaultValue(frontend, Profile::kDefaultDatabase))
    , m_profileOption(
          QStringLiteral("profile"),
          pick(frontend,
               tr("Profile to use; each profile has its own identity and settings (default: the "
                  "last one used)."),
               tr("Profile to use; each profile has its own identity (default: default)."),
               tr("Profile: each profile has its own identity (default: %1).")
                   .arg(QLatin1String(Profile::kDefaultName))),
          QStringLiteral("name"), defaultValue(frontend, Profile::kDefaultName))
    , m_insecureOption(
          QStringLiteral("insecure-token-file"),
          pick(frontend,
               tr("Keep the identity token in an unencrypted file (mode 0600) in the profile's "
                  "data directory instead of the keychain."),
               tr("Keep the token in a plain file (mode 0600) in the profile's data directory "
                  "instead of the OS keychain. The file is not encrypted.")))
    , m_importRustOption(
          QStringLiteral("import-rust-credentials"),
          pick(frontend,
               tr("Continue as the identity of the official Rust quickstart "
                  "(~/.spacetimedb_client_credentials/<database>)."),
               tr("If this profile has no identity yet, continue as the identity of the "
                  "official Rust quickstart client (~/.spacetimedb_client_credentials/"
                  "<database>).")))
    , m_rustPathOption(QStringLiteral("rust-credentials"),
                       pick(frontend, tr("Import the identity from this Rust credentials file."),
                            tr("Import the identity from this Rust credentials file (implies "
                               "--import-rust-credentials).")),
                       QStringLiteral("file"))
    , m_anonymousOption(
          QStringLiteral("anonymous"),
          pick(frontend, tr("Use a throw-away identity that is never stored."),
               tr("Connect with a throw-away identity; nothing is loaded or stored.")))
    , m_trustOption(
          QStringLiteral("trust-certificate"),
          pick(frontend,
               tr("Trust this certificate file (PEM or DER) for a wss server with a self-signed "
                  "certificate; saved in the profile."),
               tr("Trust this certificate file (PEM or DER) for a wss server with a self-signed "
                  "certificate, in addition to the system's certificate authorities."),
               tr("Trust this certificate (a PEM or DER file) for a wss server with a "
                  "self-signed certificate, in addition to the system's certificate "
                  "authorities. Verification stays on.")),
          QStringLiteral("file")) {}

void ConnectOptions::addTo(QCommandLineParser &parser) const {
    parser.addOptions({m_serverOption, m_databaseOption, m_profileOption, m_insecureOption,
                       m_importRustOption, m_rustPathOption, m_anonymousOption, m_trustOption});
}

bool ConnectOptions::read(const QCommandLineParser &parser) {
    m_error.clear();
    const bool console = m_frontend == Frontend::Console;
    m_insecureTokenFile = parser.isSet(m_insecureOption);
    m_anonymous = parser.isSet(m_anonymousOption);
    m_rustCredentialsPath = parser.value(m_rustPathOption);
    m_importRustCredentials = parser.isSet(m_importRustOption) || parser.isSet(m_rustPathOption);

    // The console client takes the profile name exactly as typed.
    m_profileName =
        console ? parser.value(m_profileOption) : parser.value(m_profileOption).trimmed();
    if ((m_frontend != Frontend::Widgets || !m_profileName.isEmpty()) &&
        !Profile::isValidName(m_profileName)) {
        m_error = console ? tr("Not a valid profile name: \"%1\" (letters, digits, '-', '_' and "
                               "'.', at most 64 characters).")
                                .arg(m_profileName)
                          : tr("Invalid profile name \"%1\": use letters, digits, '.', '-' and "
                               "'_'.")
                                .arg(m_profileName);
        return false;
    }

    m_server = parser.value(m_serverOption).trimmed();
    m_database = parser.value(m_databaseOption).trimmed();
    if (console) {
        m_server = Profile::expandServerShortcut(m_server);
        if (m_server.isEmpty() || !QUrl(m_server).isValid()) {
            m_error = tr("Not a valid server URL: %1").arg(parser.value(m_serverOption));
            return false;
        }
        if (m_database.isEmpty()) {
            m_error = tr("The database name must not be empty.");
            return false;
        }
    } else if (m_frontend == Frontend::Quick && (m_server.isEmpty() || m_database.isEmpty())) {
        m_error = tr("--server and --database must not be empty.");
        return false;
    }

    if (console && m_anonymous && (m_importRustCredentials || m_insecureTokenFile)) {
        m_error = tr("--anonymous stores no identity; it cannot be combined with "
                     "--import-rust-credentials or --insecure-token-file.");
        return false;
    }
    if (m_anonymous && m_importRustCredentials) {
        m_error = tr("--anonymous and --import-rust-credentials exclude each other.");
        return false;
    }

    m_trustedCertificate = QSslCertificate();
    m_trustedCertificateFile.clear();
    if (parser.isSet(m_trustOption)) {
        const QString file = parser.value(m_trustOption);
        const auto certificate = TrustedCertificate::load(file);
        if (!certificate) {
            m_error = console ? tr("--trust-certificate: %1").arg(certificate.error().message())
                              : certificate.error().message();
            return false;
        }
        m_trustedCertificate = *certificate;
        m_trustedCertificateFile =
            m_frontend == Frontend::Widgets ? QFileInfo(file).absoluteFilePath() : file;
    }
    return true;
}

Profile ConnectOptions::profile() const {
    Profile result(m_server, m_database, m_profileName);
    if (!m_trustedCertificateFile.isEmpty())
        result.setTrustedCertificateFile(m_trustedCertificateFile);
    return result;
}

} // namespace chat
