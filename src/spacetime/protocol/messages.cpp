// SPDX-License-Identifier: Apache-2.0
#include "spacetime/protocol/messages.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/utf8.h"

namespace stdb::protocol {

QString ReducerErr::message() const {
    // Every current server sends a BSATN String; anything else still deserves readable text.
    BsatnReader r(payload);
    const QByteArrayView text = r.readStringUtf8();
    if (r.ok() && r.atEnd())
        return QString::fromUtf8(text);
    if (isValidUtf8(payload))
        return QString::fromUtf8(payload);
    return QStringLiteral("<%1-byte error payload: %2>")
        .arg(payload.size())
        .arg(QString::fromLatin1(payload.left(64).toHex(' ')));
}

QString messageName(const ClientMessage &m) {
    static const char *const names[] = {"Subscribe", "Unsubscribe", "OneOffQuery", "CallReducer",
                                        "CallProcedure"};
    static_assert(std::size(names) == std::variant_size_v<ClientMessage>);
    return QString::fromLatin1(names[m.index()]);
}

QString messageName(const ServerMessage &m) {
    static const char *const names[] = {
        "InitialConnection", "SubscribeApplied",  "UnsubscribeApplied", "SubscriptionError",
        "TransactionUpdate", "OneOffQueryResult", "ReducerResult",      "ProcedureResult"};
    static_assert(std::size(names) == std::variant_size_v<ServerMessage>);
    return QString::fromLatin1(names[m.index()]);
}

} // namespace stdb::protocol
