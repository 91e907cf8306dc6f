// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QString>

namespace chat {

// The label of a calendar day above its messages, the same in every front end: "Today",
// "Yesterday", else the date in the locale's long format ("Monday, 23 November 2026").
class DayLabel {
    Q_DECLARE_TR_FUNCTIONS(chat::DayLabel)
public:
    static QString text(QDate day, QDate today = QDate::currentDate());
};

} // namespace chat
