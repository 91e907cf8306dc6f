// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChar>

namespace stdb {

// The value of one hexadecimal digit (either case), or -1 for anything else. Shared by the
// parsers of hex text (Uuid, the schema library's JSON values).
constexpr int hexDigitValue(QChar c) {
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

} // namespace stdb
