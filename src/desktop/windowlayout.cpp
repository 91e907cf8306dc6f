// SPDX-License-Identifier: Apache-2.0
#include "desktop/windowlayout.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QUrl>
#include <QWindow>

namespace desktop {

QString WindowLayout::key(const QString &profileName) {
    return QStringLiteral("layout/") + QString::fromLatin1(QUrl::toPercentEncoding(profileName)) +
           QLatin1Char('/');
}

QRect WindowLayout::visiblePlacement(const QRect &frame, const QList<QRect> &available,
                                     const QRect &fallback) {
    QRect target;
    qint64 best = 0;
    for (const QRect &screen : available) {
        const QRect common = screen.intersected(frame);
        const qint64 area = qint64(common.width()) * common.height();
        if (area > best) {
            best = area;
            target = screen;
        }
    }
    // A strip of 100 x 40 (enough of the title bar to grab it) is the least that counts.
    if (!target.isNull()) {
        const QRect common = target.intersected(frame);
        if (common.width() >= qMin(frame.width(), 100) &&
            common.height() >= qMin(frame.height(), 40))
            return frame;
    }
    if (target.isNull())
        target = fallback;
    if (target.isEmpty())
        return frame;
    QRect placed(QPoint(), frame.size().boundedTo(target.size()));
    placed.moveCenter(target.center());
    return placed;
}

void WindowLayout::saveWindow(const QString &profileName, const QWindow *window,
                              const QByteArray &splitState) {
    QSettings s;
    const QString k = key(profileName);
    s.setValue(k + QLatin1String("quickGeometry"), window->geometry());
    s.setValue(k + QLatin1String("quickSplit"), splitState);
}

QByteArray WindowLayout::restoreWindow(const QString &profileName, QWindow *window) {
    QSettings s;
    const QString k = key(profileName);
    const QRect saved = s.value(k + QLatin1String("quickGeometry")).toRect();
    if (saved.isValid()) {
        QList<QRect> available;
        for (const QScreen *screen : QGuiApplication::screens())
            available.append(screen->availableGeometry());
        const QScreen *primary = QGuiApplication::primaryScreen();
        window->setGeometry(
            visiblePlacement(saved, available, primary ? primary->availableGeometry() : QRect()));
    }
    return s.value(k + QLatin1String("quickSplit")).toByteArray();
}

} // namespace desktop
