// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/connection/connectfailure.h"
#include "spacetime/connection/connectionoptions.h"

#include <QCoreApplication>
#include <QString>

namespace chat {

// The sentence a person reads when connecting failed, chosen by the failure's kind (never by
// the SDK's English message) and translated (context "chat::ConnectProblem"). Every front end
// shows it: ChatClient::lastError() and connectionProblem() carry it.
class ConnectProblem {
    Q_DECLARE_TR_FUNCTIONS(chat::ConnectProblem)
public:
    // `options`: the connection's (server address as shown, database name, token or not).
    static QString describe(const stdb::ConnectFailure &failure,
                            const stdb::ConnectionOptions &options);
    // One certificate problem as a clause ("it is self-signed and not trusted").
    static QString describe(stdb::ConnectFailure::CertificateProblem problem,
                            const stdb::ConnectFailure &failure);
};

} // namespace chat
