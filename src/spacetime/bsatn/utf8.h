// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QByteArrayView>

namespace stdb {

// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), with an ASCII
// fast path: chat text is mostly ASCII and this runs once per row on every received frame.
STDB_EXPORT bool isValidUtf8(QByteArrayView bytes);

} // namespace stdb
