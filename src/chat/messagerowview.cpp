// SPDX-License-Identifier: Apache-2.0
#include "chat/messagerowview.h"

#include "spacetime/bsatn/bsatnreader.h"

namespace chat {

std::optional<MessageRowView> decodeMessageRow(QByteArrayView row) {
    stdb::BsatnReader r(row);
    MessageRowView m;
    m.sender = r.readIdentity();
    m.sent = r.readTimestamp();
    m.text = r.readStringUtf8();
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return m;
}

} // namespace chat
