// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPalette>
#include <QString>

#include <optional>

namespace desktop {

// --color-scheme of every front end. Light and dark are palettes of ours (both front ends use
// the Fusion style with them); System keeps whatever the platform theme gives, which follows
// the desktop's dark mode. How a palette reaches the widgets or the Qt Quick controls is the
// front end's business.
class ColorScheme {
public:
    enum class Scheme { System, Light, Dark };

    // "light", "dark" or "system", in any case and with surrounding blanks; empty is System.
    // Anything else: nullopt (the caller says which option or variable was wrong).
    static std::optional<Scheme> fromName(const QString &name);
    // The palette of the scheme; nullopt for System.
    static std::optional<QPalette> palette(Scheme scheme);
    // Roles paired with the name QML's palette type gives them ("window", "windowText", …),
    // for front ends that set a palette role by role.
    static const QList<std::pair<QPalette::ColorRole, const char *>> &roleNames();
};

} // namespace desktop
