// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"

#include <QByteArrayView>

#include <optional>

namespace chat {

// A row of the quickstart-chat `message` table read in place: the text is a view into the
// row's bytes (validated UTF-8), nothing is allocated. The same layout the generated
// quickstart_chat::Message decodes (sender: Identity, sent: Timestamp, text: String); a test
// checks the two agree, so a schema change cannot slip past this fast path.
struct MessageRowView {
    stdb::Identity sender;
    stdb::Timestamp sent;
    QByteArrayView text;
};

// nullopt when the bytes are not exactly one message row.
std::optional<MessageRowView> decodeMessageRow(QByteArrayView row);

} // namespace chat
