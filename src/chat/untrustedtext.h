// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace chat {

// Text from the network (names, messages, the server's error texts) is never markup: every
// view shows it as plain text. Inside a sentence or a single line of ours ("%1 mentioned you",
// the window title, "Not delivered: %1. Right-click…") it must also not be able to reorder
// what surrounds it: a U+202E RIGHT-TO-LEFT OVERRIDE in a name would otherwise run backwards
// over the rest of the line, and a stray U+2069 could close an isolate early.
class UntrustedText {
public:
    // True for the explicit bidi formatting characters U+202A–U+202E (embeddings, overrides,
    // pop) and U+2066–U+2069 (isolates, pop isolate).
    static bool isBidiControl(char32_t c);

    // `text` prepared for embedding in one line of our own text: wrapped in FIRST STRONG
    // ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069) so that the Unicode bidi algorithm
    // lays it out on its own; explicit bidi controls inside are removed (they could pop the
    // isolate or outlive it), line and paragraph breaks and tabs become spaces and other
    // C0/C1 control characters become U+FFFD. Letters, zero-width characters and marks are
    // kept as they are.
    static QString isolate(const QString &text);
};

} // namespace chat
