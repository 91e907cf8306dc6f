// SPDX-License-Identifier: Apache-2.0
#include "colorscheme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace {
QPalette darkPalette() {
    QPalette p;
    const QColor window(37, 39, 43);
    const QColor base(29, 31, 34);
    const QColor text(225, 227, 230);
    const QColor disabled(125, 128, 133);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(48, 51, 56));
    p.setColor(QPalette::ToolTipBase, QColor(50, 53, 58));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(140, 144, 150));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(50, 53, 58));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, QColor(70, 73, 78));
    p.setColor(QPalette::Midlight, QColor(60, 63, 68));
    p.setColor(QPalette::Mid, QColor(85, 88, 94));
    p.setColor(QPalette::Dark, QColor(20, 21, 24));
    p.setColor(QPalette::Shadow, QColor(10, 10, 12));
    p.setColor(QPalette::Highlight, QColor(64, 128, 220));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    p.setColor(QPalette::LinkVisited, QColor(170, 140, 255));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}
} // namespace

void applyColorScheme(QApplication &app, const QString &scheme) {
    if (scheme.isEmpty() || scheme == QLatin1String("system"))
        return;
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (scheme == QLatin1String("dark"))
        app.setPalette(darkPalette());
    else
        app.setPalette(app.style()->standardPalette());
}
