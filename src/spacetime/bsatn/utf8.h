// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QByteArrayView>

QT_BEGIN_NAMESPACE
class QString;
QT_END_NAMESPACE

namespace stdb {

// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), with an ASCII
// fast path: chat text is mostly ASCII and this runs once per row on every received frame.
STDB_EXPORT bool isValidUtf8(QByteArrayView bytes);

// Validates `bytes` as isValidUtf8() does and decodes them into `out` in the same pass. `out`'s
// buffer is reused when it alone owns one of about the right size, so decoding row after row
// into one string allocates nothing. On invalid input `out` is cleared and false returned.
STDB_EXPORT bool utf8ToString(QByteArrayView bytes, QString &out);

} // namespace stdb
