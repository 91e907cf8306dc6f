// SPDX-License-Identifier: Apache-2.0
#pragma once

// Cold-start measurement for bench/startup.sh (docs/PERFORMANCE.md). Only active when the
// environment variable SPACETIME_CHAT_STARTUP_TRACE is set; then it prints two lines on standard
// error, each with the wall-clock time in milliseconds since the Unix epoch:
//
//   startup: window-painted <ms>            the message view's first paint (the window is up)
//   startup: messages-painted <ms> <rows>   its first paint that shows messages
//
// The script compares them with the moment it started the process, so dynamic loading and
// everything before main() are included.

#include <QAbstractItemView>
#include <QDateTime>
#include <QEvent>
#include <QObject>
#include <QPointer>

#include <cstdio>

class StartupTrace : public QObject {
public:
    // Watches `view`'s viewport; deletes itself after the second line.
    static void installIfRequested(QAbstractItemView *view) {
        if (view && qEnvironmentVariableIsSet("SPACETIME_CHAT_STARTUP_TRACE"))
            view->viewport()->installEventFilter(new StartupTrace(view));
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override {
        if (event->type() != QEvent::Paint || !m_view)
            return false;
        const int rows = m_view->model() ? m_view->model()->rowCount() : 0;
        if (!m_windowPainted) {
            m_windowPainted = true;
            print("window-painted", -1);
        }
        if (rows > 0) {
            print("messages-painted", rows);
            watched->removeEventFilter(this);
            deleteLater();
        }
        return false;
    }

private:
    explicit StartupTrace(QAbstractItemView *view)
        : QObject(view)
        , m_view(view) {}

    static void print(const char *what, int rows) {
        const long long now = QDateTime::currentMSecsSinceEpoch();
        if (rows < 0)
            std::fprintf(stderr, "startup: %s %lld\n", what, now);
        else
            std::fprintf(stderr, "startup: %s %lld %d\n", what, now, rows);
        std::fflush(stderr);
    }

    QPointer<QAbstractItemView> m_view;
    bool m_windowPainted = false;
};
