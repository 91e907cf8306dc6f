// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a client WebSocket payload (what a local host receives), as v2 and v3.
// Anything decoded must re-encode to exactly the input bytes.

#include "spacetime/protocol/messagecodec.h"

#include <cstdint>
#include <cstdlib>

using namespace stdb;
using namespace stdb::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArrayView payload(reinterpret_cast<const char *>(data), qsizetype(size));

    const Expected<ClientMessage> v2 = decodeClientMessage(payload);
    if (v2 && (encodeClientMessage(*v2) != payload || messageName(*v2).isEmpty()))
        std::abort();

    const Expected<QList<ClientMessage>> v3 = decodeClientMessagesV3(payload);
    if (v3 && encodeClientMessagesV3(*v3) != payload)
        std::abort();
    if (bool(v2) != (v3 && v3->size() == 1))
        std::abort();
    return 0;
}
