// SPDX-License-Identifier: Apache-2.0
#include "testcertificates.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QProcess>

// ---- certificates ---------------------------------------------------------------------------

namespace {
bool openssl(const QStringList &args, const QString &workingDir = {}) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(QStringLiteral(OPENSSL_EXECUTABLE), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << "openssl" << args << "failed:" << p.readAll();
        return false;
    }
    return true;
}
} // namespace

bool TestCertificates::selfSigned(const QString &dir, const QString &base, const QString &host,
                                  bool ip, QString *certFile, QString *keyFile) {
    *certFile = QDir(dir).filePath(base + QStringLiteral(".pem"));
    *keyFile = QDir(dir).filePath(base + QStringLiteral("-key.pem"));
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    *keyFile, QStringLiteral("-out"), *certFile, QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + host,
                    QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=%1:%2")
                        .arg(ip ? QStringLiteral("IP") : QStringLiteral("DNS"), host)}) &&
           QFile::exists(*certFile);
}

bool TestCertificates::expired(const QString &dir, const QString &base, QString *certFile,
                               QString *keyFile) {
    // `openssl req` only makes certificates valid from now on; `openssl ca` takes dates.
    const QDir d(dir);
    const QString work = d.filePath(base + QStringLiteral("-ca"));
    if (!QDir().mkpath(work))
        return false;
    QFile(QDir(work).filePath(QStringLiteral("index.txt"))).open(QIODevice::WriteOnly);
    QFile serial(QDir(work).filePath(QStringLiteral("serial")));
    if (!serial.open(QIODevice::WriteOnly) || serial.write("01\n") != 3)
        return false;
    serial.close();
    QFile config(QDir(work).filePath(QStringLiteral("ca.cnf")));
    if (!config.open(QIODevice::WriteOnly))
        return false;
    config.write("[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndatabase = index.txt\n"
                 "new_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\n"
                 "copy_extensions = copy\n[ any ]\ncommonName = supplied\n");
    config.close();
    *certFile = d.filePath(base + QStringLiteral(".pem"));
    *keyFile = d.filePath(base + QStringLiteral("-key.pem"));
    const QString csr = QDir(work).filePath(QStringLiteral("request.csr"));
    return openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    *keyFile, QStringLiteral("-out"), csr, QStringLiteral("-subj"),
                    QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                    QStringLiteral("subjectAltName=IP:127.0.0.1")}) &&
           openssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
                    config.fileName(), QStringLiteral("-selfsign"), QStringLiteral("-keyfile"),
                    *keyFile, QStringLiteral("-in"), csr, QStringLiteral("-out"), *certFile,
                    QStringLiteral("-notext"), QStringLiteral("-startdate"),
                    QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                    QStringLiteral("20200102000000Z")},
                   work) &&
           QFile::exists(*certFile);
}

bool TestCertificates::fromUnknownAuthority(const QString &dir, const QString &base,
                                            QString *certFile, QString *keyFile) {
    const QDir d(dir);
    QString caCert, caKey;
    if (!selfSigned(dir, base + QStringLiteral("-authority"), QStringLiteral("Test Authority"),
                    false, &caCert, &caKey))
        return false;
    *certFile = d.filePath(base + QStringLiteral(".pem"));
    *keyFile = d.filePath(base + QStringLiteral("-key.pem"));
    const QString csr = d.filePath(base + QStringLiteral(".csr"));
    const QString ext = d.filePath(base + QStringLiteral(".ext"));
    QFile extFile(ext);
    if (!extFile.open(QIODevice::WriteOnly))
        return false;
    extFile.write("subjectAltName=IP:127.0.0.1\n");
    extFile.close();
    return openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    *keyFile, QStringLiteral("-out"), csr, QStringLiteral("-subj"),
                    QStringLiteral("/CN=127.0.0.1")}) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                    QStringLiteral("-CA"), caCert, QStringLiteral("-CAkey"), caKey,
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-extfile"), ext, QStringLiteral("-out"), *certFile}) &&
           QFile::exists(*certFile);
}

QSslCertificate TestCertificates::loadCertificate(const QString &file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return QSslCertificate();
    return QSslCertificate(&f, QSsl::Pem);
}

QSslKey TestCertificates::loadKey(const QString &file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return QSslKey();
    return QSslKey(&f, QSsl::Rsa, QSsl::Pem);
}
