// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

namespace desktop {

// One desktop notification. Title and body are plain text; a backend that speaks markup
// escapes them itself.
struct Notification {
    quint64 id = 0;       // chosen by the caller; comes back in Notifier::activated
    QString title;        // e.g. the sender's name
    QString body;         // the message, already shortened
    bool mention = false; // someone wrote our name
};

// Shows desktop notifications. The front ends only talk to this interface (through
// MessageNotifier), so tests can put a recording fake in its place.
class Notifier : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~Notifier() override = default;

    virtual void notify(const Notification &notification) = 0;
    // A short name for logs and the About box ("freedesktop", "tray").
    virtual QString backendName() const = 0;

    // The longest body we show; longer text is cut with an ellipsis. shorten() also makes it
    // one line and shows control characters as U+FFFD.
    static constexpr int kMaxBody = 200;
    static QString shorten(const QString &text);

Q_SIGNALS:
    // The user clicked the notification with this id.
    void activated(quint64 id);
};

} // namespace desktop
