// SPDX-License-Identifier: Apache-2.0
#include "chat/untrustedtext.h"

namespace chat {

namespace {
constexpr char16_t kFirstStrongIsolate = 0x2068;
constexpr char16_t kPopDirectionalIsolate = 0x2069;

// Characters the bidi algorithm treats as paragraph or segment separators, and line breaks.
bool isBreak(char16_t u) {
    return u == u'\n' || u == u'\r' || u == u'\t' || u == 0x0b || u == 0x0c || u == 0x1c ||
           u == 0x1d || u == 0x1e || u == 0x1f || u == 0x85 || u == 0x2028 || u == 0x2029;
}

bool isControl(char16_t u) {
    return u < 0x20 || (u >= 0x7f && u < 0xa0);
}
} // namespace

bool UntrustedText::isBidiControl(char32_t c) {
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

QString UntrustedText::isolate(const QString &text) {
    QString out;
    out.reserve(text.size() + 2);
    out.append(QChar(kFirstStrongIsolate));
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (isBidiControl(u))
            continue;
        if (isBreak(u))
            out.append(QLatin1Char(' '));
        else if (isControl(u))
            out.append(QChar(QChar::ReplacementCharacter));
        else
            out.append(c);
    }
    out.append(QChar(kPopDirectionalIsolate));
    return out;
}

} // namespace chat
