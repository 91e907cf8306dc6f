// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QRect>
#include <QString>

class QWindow;

namespace desktop {

// A window's layout per profile, shared by both front ends: where its settings live, and a
// place on the screens that exist now for a geometry saved on screens that may be gone (a
// second monitor unplugged).
class WindowLayout {
public:
    // The settings group of a profile's layout, "layout/<name>/". Profile names are free
    // text: percent-encoded, they cannot make a nested settings path.
    static QString key(const QString &profileName);

    // Where a window with this frame can be grabbed: unchanged when at least 100 x 40 of it
    // (all of it, if smaller) lies on one screen's free area; else fitted into, and centred on,
    // the free area of the screen it overlaps most, or `fallback` (the primary screen's).
    static QRect visiblePlacement(const QRect &frame, const QList<QRect> &available,
                                  const QRect &fallback);

    // The Qt Quick client's window: its geometry and the split view's state for a profile.
    static void saveWindow(const QString &profileName, const QWindow *window,
                           const QByteArray &splitState);
    // Restores the geometry (placed with visiblePlacement on the current screens); returns
    // the split view's saved state, empty when none was saved.
    static QByteArray restoreWindow(const QString &profileName, QWindow *window);
};

} // namespace desktop
