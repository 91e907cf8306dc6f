// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/connection/reduceroutcome.h"
#include "spacetime/error.h"

#include <QCoreApplication>
#include <QString>

namespace chat {

// The one place where the SDK's typed errors become sentences for people, translated, for every
// front end. The SDK's own messages are English details for logs; here the kind or state picks
// the sentence and the detail is only filled in where it names something (a server, a table).
class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(chat::ErrorText)
public:
    // What went wrong, by kind, with the SDK's detail; empty for Kind::None.
    static QString describe(const stdb::Error &error);
    // Why one of our reducer calls did not commit; empty for Committed. For Err it is the
    // module's own words (the module decides its language).
    static QString reducerFailure(const stdb::ReducerOutcome &outcome);
};

} // namespace chat
