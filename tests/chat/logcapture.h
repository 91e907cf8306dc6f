// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>
#include <QMutex>
#include <QStringList>

// Captures every log line (all categories, debug included) so tests can prove that no secret
// ever reaches a log.
class LogCapture {
public:
    LogCapture() {
        s_self = this;
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        m_previous = qInstallMessageHandler(&LogCapture::handler);
    }
    ~LogCapture() {
        qInstallMessageHandler(m_previous);
        s_self = nullptr;
    }
    QStringList lines() const {
        QMutexLocker lock(&m_mutex);
        return m_lines;
    }
    bool contains(const QString &needle) const {
        for (const QString &l : lines())
            if (l.contains(needle))
                return true;
        return false;
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg) {
        if (s_self) {
            QMutexLocker lock(&s_self->m_mutex);
            s_self->m_lines.append(msg);
        }
        if (s_self && s_self->m_previous)
            s_self->m_previous(type, ctx, msg);
    }

    inline static LogCapture *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
};
