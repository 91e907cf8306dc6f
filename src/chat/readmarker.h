// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"
#include "spacetime/connection/clock.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

class QSettings;

namespace chat {

class MessageModel;

// Where the user stopped reading: the last message read (its `sent` and sender), kept per
// profile so it survives a restart, and what follows from it: the first unread message (the
// "New messages" line the views draw, MessageModel::FirstUnreadRole) and how many messages of
// others are unread (the tray and the window title show that number). Our own messages are
// never unread.
//
// The position moves when the user has seen the newest message for a moment: the front end
// says whether the window is attended (visible, active) and whether the newest message is on
// screen; after seenDelay() of both, everything up to the message that was newest when that
// began is read. The delay runs on an injectable clock, so tests move time themselves.
class ReadMarker : public QObject {
    Q_OBJECT
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(int firstUnreadRow READ firstUnreadRow NOTIFY firstUnreadRowChanged)
    Q_PROPERTY(bool attended READ isAttended WRITE setAttended NOTIFY attendedChanged)
    Q_PROPERTY(
        bool newestVisible READ isNewestVisible WRITE setNewestVisible NOTIFY newestVisibleChanged)
public:
    static constexpr std::chrono::milliseconds kSeenDelay{1500};

    // The last message read. Its sender says which message it was; `sent` orders it.
    struct Position {
        qint64 sentUs = 0;
        stdb::Identity sender;
        bool operator==(const Position &) const = default;
    };

    // `clock` null = the real clock.
    explicit ReadMarker(MessageModel *model, stdb::Clock *clock = nullptr,
                        QObject *parent = nullptr);
    ~ReadMarker() override;

    // Where the position is kept: an INI file (the profile's settings) under `key` (which
    // server and database it belongs to), or ":memory:" for not at all. Loads it now.
    void setStorage(const QString &path, const QString &key);
    QString storagePath() const { return m_path; }
    // The clock the seen delay runs on (tests).
    void setClock(stdb::Clock *clock);

    std::optional<Position> position() const { return m_position; }
    int unreadCount() const { return m_unread; }
    int firstUnreadRow() const { return m_firstUnreadRow; }
    bool isAttended() const { return m_attended; }
    bool isNewestVisible() const { return m_newestVisible; }

public Q_SLOTS:
    // The window is visible and active (or not).
    void setAttended(bool attended);
    // The newest message is on screen (the view is at its bottom, nothing filtered out).
    void setNewestVisible(bool visible);
    // Everything is read: the newest confirmed message becomes the position (not while the
    // newest are unloaded, MessageModel::newerUnloaded()).
    void markAllRead();
    // The first snapshot is in: a profile without a position starts with everything read
    // (not a week of history as unread). Nothing happens when a position is known. With
    // nothing loaded, the position goes just before `windowStartUs`, the lower bound of the
    // subscribed history: the server found no message at or after it by its own timestamps,
    // so every one there from now on is new, whatever the skew between our clock and the
    // server's (older pages loaded later are read).
    void startIfUnset(qint64 windowStartUs);

Q_SIGNALS:
    void unreadCountChanged(int count);
    void firstUnreadRowChanged(int row);
    void attendedChanged(bool attended);
    void newestVisibleChanged(bool visible);
    void positionChanged();

private:
    void setPosition(const Position &p);
    void onUnreadChanged();
    void evaluate();
    void onSeen();
    void save();

    QPointer<MessageModel> m_model;
    stdb::Clock *m_clock = nullptr;
    std::unique_ptr<stdb::Clock::Timer> m_timer;
    std::unique_ptr<QSettings> m_settings;
    QString m_path = QStringLiteral(":memory:");
    QString m_key;
    std::optional<Position> m_position;
    std::optional<Position> m_candidate; // the newest message when seeing began
    int m_unread = 0;
    int m_firstUnreadRow = -1;
    bool m_attended = false;
    bool m_newestVisible = false;
    bool m_saveFailureReported = false;
};

} // namespace chat
