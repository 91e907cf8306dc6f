// SPDX-License-Identifier: Apache-2.0
#include "profilestore.h"

#include <QSettings>

namespace {
const QString kGroup = QStringLiteral("profiles");
}

QStringList ProfileStore::names() const {
    QSettings s;
    s.beginGroup(kGroup);
    QStringList names = s.childGroups();
    names.sort(Qt::CaseInsensitive);
    return names;
}

QList<chat::Profile> ProfileStore::profiles() const {
    QList<chat::Profile> out;
    for (const QString &name : names())
        if (auto p = profile(name))
            out.append(*p);
    return out;
}

std::optional<chat::Profile> ProfileStore::profile(const QString &name) const {
    if (!chat::Profile::isValidName(name))
        return std::nullopt;
    QSettings s;
    s.beginGroup(kGroup);
    if (!s.childGroups().contains(name))
        return std::nullopt;
    s.beginGroup(name);
    chat::Profile p(
        s.value(QStringLiteral("server"), QString::fromLatin1(chat::Profile::kDefaultServer))
            .toString(),
        s.value(QStringLiteral("database"), QString::fromLatin1(chat::Profile::kDefaultDatabase))
            .toString(),
        name);
    p.setTrustedCertificateFile(s.value(QStringLiteral("trustedCertificate")).toString());
    return p;
}

void ProfileStore::save(const chat::Profile &profile) {
    QSettings s;
    s.beginGroup(kGroup);
    s.beginGroup(profile.name());
    s.setValue(QStringLiteral("server"), profile.serverUrl());
    s.setValue(QStringLiteral("database"), profile.database());
    if (profile.trustedCertificateFile().isEmpty())
        s.remove(QStringLiteral("trustedCertificate"));
    else
        s.setValue(QStringLiteral("trustedCertificate"), profile.trustedCertificateFile());
    s.endGroup();
    s.endGroup();
    QStringList recent = recentServers();
    recent.removeAll(profile.serverUrl());
    recent.prepend(profile.serverUrl());
    s.setValue(QStringLiteral("recentServers"), recent.mid(0, 10));
}

void ProfileStore::remove(const QString &name) {
    QSettings s;
    s.beginGroup(kGroup);
    s.remove(name);
}

QString ProfileStore::lastProfileName() const {
    return QSettings().value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastProfileName(const QString &name) {
    QSettings().setValue(QStringLiteral("lastProfile"), name);
}

chat::Profile ProfileStore::lastProfile() const {
    if (auto p = profile(lastProfileName()))
        return *p;
    return {};
}

QStringList ProfileStore::recentServers() const {
    return QSettings().value(QStringLiteral("recentServers")).toStringList();
}
