// SPDX-License-Identifier: Apache-2.0
#include "desktop/colorscheme.h"

namespace desktop {

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

// A light palette of our own rather than the platform's, so "light" looks the same on a
// desktop that is in dark mode.
QPalette lightPalette() {
    QPalette p;
    const QColor text(28, 30, 33);
    const QColor disabled(150, 152, 156);
    p.setColor(QPalette::Window, QColor(239, 240, 242));
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(246, 247, 249));
    p.setColor(QPalette::ToolTipBase, QColor(255, 255, 225));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(118, 122, 128));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(233, 234, 237));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(226, 227, 230));
    p.setColor(QPalette::Mid, QColor(184, 186, 191));
    p.setColor(QPalette::Dark, QColor(160, 162, 167));
    p.setColor(QPalette::Shadow, QColor(110, 112, 117));
    p.setColor(QPalette::Highlight, QColor(48, 120, 210));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(25, 95, 200));
    p.setColor(QPalette::LinkVisited, QColor(115, 65, 185));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, QColor(239, 240, 242));
    return p;
}
} // namespace

std::optional<ColorScheme::Scheme> ColorScheme::fromName(const QString &name) {
    const QString n = name.trimmed().toLower();
    if (n.isEmpty() || n == QLatin1String("system"))
        return Scheme::System;
    if (n == QLatin1String("light"))
        return Scheme::Light;
    if (n == QLatin1String("dark"))
        return Scheme::Dark;
    return std::nullopt;
}

std::optional<QPalette> ColorScheme::palette(Scheme scheme) {
    switch (scheme) {
    case Scheme::System:
        return std::nullopt;
    case Scheme::Light:
        return lightPalette();
    case Scheme::Dark:
        return darkPalette();
    }
    return std::nullopt;
}

const QList<std::pair<QPalette::ColorRole, const char *>> &ColorScheme::roleNames() {
    static const QList<std::pair<QPalette::ColorRole, const char *>> names{
        {QPalette::Window, "window"},
        {QPalette::WindowText, "windowText"},
        {QPalette::Base, "base"},
        {QPalette::AlternateBase, "alternateBase"},
        {QPalette::ToolTipBase, "toolTipBase"},
        {QPalette::ToolTipText, "toolTipText"},
        {QPalette::PlaceholderText, "placeholderText"},
        {QPalette::Text, "text"},
        {QPalette::Button, "button"},
        {QPalette::ButtonText, "buttonText"},
        {QPalette::BrightText, "brightText"},
        {QPalette::Light, "light"},
        {QPalette::Midlight, "midlight"},
        {QPalette::Mid, "mid"},
        {QPalette::Dark, "dark"},
        {QPalette::Shadow, "shadow"},
        {QPalette::Highlight, "highlight"},
        {QPalette::HighlightedText, "highlightedText"},
        {QPalette::Link, "link"},
        {QPalette::LinkVisited, "linkVisited"},
    };
    return names;
}

} // namespace desktop
