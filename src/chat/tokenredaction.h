#pragma once

#include <QString>

namespace chat {

// Tokens are identities: they never reach a log. "eyJhbGciOi…" becomes "<token:8 chars…>".
QString redactToken(const QString &token);

} // namespace chat
