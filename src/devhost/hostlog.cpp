// SPDX-License-Identifier: Apache-2.0
#include "hostlog.h"

#include <QDateTime>
#include <QTimeZone>

#include <chrono>
#include <cstdio>

namespace host {

Q_LOGGING_CATEGORY(lcHost, "host")
Q_LOGGING_CATEGORY(lcHttp, "host.http")
Q_LOGGING_CATEGORY(lcWs, "host.ws")
Q_LOGGING_CATEGORY(lcDb, "host.db")
Q_LOGGING_CATEGORY(lcModule, "quickstart-chat")

namespace {

const char *levelName(QtMsgType type) {
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return " INFO";
    case QtWarningMsg:
        return " WARN";
    case QtCriticalMsg:
        return "ERROR";
    case QtFatalMsg:
        return "FATAL";
    }
    return "  LOG";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message) {
    // QDateTime has only millisecond precision; take the microseconds from the system clock.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const qint64 us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc());
    const QByteArray stamp = dt.toString(QStringLiteral("yyyy-MM-ddThh:mm:ss")).toLatin1() +
                             QByteArray::number(1000000 + us % 1000000).mid(1).prepend('.') + 'Z';
    const char *category = context.category ? context.category : "default";
    const QByteArray line =
        stamp + ' ' + levelName(type) + ' ' + category + ": " + message.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void installLogHandler() {
    qInstallMessageHandler(handler);
}

} // namespace host
