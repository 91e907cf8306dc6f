// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/expected.h"

#include <QString>

namespace chat {

// The official Rust quickstart keeps its token in
// ~/.spacetimedb_client_credentials/<database>: the BSATN of a product { token: String }.
// Reading it lets a user continue as the identity they already have there.
class RustCredentials {
public:
    static QString defaultPath(const QString &database = QStringLiteral("quickstart-chat"));
    // The token, or an error saying what is wrong with the file (missing, unreadable,
    // malformed at byte N, empty token).
    static stdb::Expected<QString> read(const QString &path);
};

} // namespace chat
