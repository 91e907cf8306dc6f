// SPDX-License-Identifier: Apache-2.0
#include "chat/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace chat {

bool Translations::install() {
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    // Owned by the application, so they live exactly as long as it.
    auto *qt = new QTranslator(app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto *own = new QTranslator(app);
    if (own->load(QLocale(), QStringLiteral("spacetime-chat"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        return true;
    }
    delete own;
    return false;
}

} // namespace chat
