// SPDX-License-Identifier: Apache-2.0
#include "chat/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace chat {

namespace {
QPointer<QTranslator> g_qt;
QPointer<QTranslator> g_own;

void remove(QPointer<QTranslator> &translator) {
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator;
}
} // namespace

bool Translations::install() {
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    remove(g_qt);
    remove(g_own);
    // Owned by the application, so they live exactly as long as it.
    auto *qt = new QTranslator(app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qt = qt;
    } else {
        delete qt;
    }
    auto *own = new QTranslator(app);
    if (own->load(QLocale(), QStringLiteral("spacetime-chat"), QStringLiteral("_"),
                  QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        g_own = own;
        return true;
    }
    delete own;
    return false;
}

} // namespace chat
