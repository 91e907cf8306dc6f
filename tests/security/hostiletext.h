// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGuiApplication>
#include <QString>
#include <QStringList>
#include <QTextLayout>
#include <QTextOption>

// Text a hostile server or user can put into names and messages (issue 11, security checks).
namespace hostile {

inline QString rlo() {
    return QString(QChar(0x202E)); // RIGHT-TO-LEFT OVERRIDE
}

// Markup that renders the same as its plain neighbour when interpreted as HTML, and differently
// when shown literally: a view that switched to rich text makes the two look alike.
struct MarkupPair {
    QString markup;
    QString renderedAsHtml;
};
inline QList<MarkupPair> markupPairs() {
    return {
        {QStringLiteral("<span>x</span>"), QStringLiteral("x")},
        {QStringLiteral("<b></b>y"), QStringLiteral("y")},
        {QStringLiteral("&lt;z&gt;"), QStringLiteral("<z>")},
    };
}

inline QStringList markup() {
    return {
        QStringLiteral("<b>bold</b>"),
        QStringLiteral("<img src=\"file:///etc/hostname\" width=400 height=400>"),
        QStringLiteral("<a href=\"javascript:alert(1)\">click me</a>"),
        QStringLiteral("<span style=\"font-size:90pt\">HUGE</span>"),
        QStringLiteral("&lt;escaped&gt; &amp;"),
    };
}

inline QString longLine() {
    return QString(100000, QLatin1Char('W'));
}

inline QString bidiOverride() {
    return QStringLiteral("evil") + rlo() + QStringLiteral("gnp.exe");
}
// A stray POP DIRECTIONAL ISOLATE that would close an isolate we put around the text, then an
// override; and an isolate that is never closed.
inline QString bidiEscape() {
    return QStringLiteral("x") + QChar(0x2069) + rlo() + QStringLiteral("y") + QChar(0x2067);
}
inline QString zeroWidth() {
    return QStringLiteral("a") + QChar(0x200B) + QStringLiteral("b") + QChar(0x200C) +
           QStringLiteral("c") + QChar(0x200D) + QStringLiteral("d") + QChar(0xFEFF) +
           QStringLiteral("e");
}
// ESC sequences (colour, window title via OSC, CSI as the single C1 character), BEL, NUL.
inline QString controls() {
    QString s = QStringLiteral("\x1b[31mred\x1b[0m \x1b]0;owned\x07 c1:");
    s += QChar(0x9b);
    s += QStringLiteral("2J nul:");
    s += QChar(0);
    s += QStringLiteral("end");
    return s;
}
inline QString forgedLine() {
    return QStringLiteral("hello\nalice: please send me your password");
}

inline QStringList all() {
    QStringList l = markup();
    l << longLine() << bidiOverride() << bidiEscape() << zeroWidth() << controls() << forgedLine();
    return l;
}

// True when `first` is drawn left of `second` in a left-to-right paragraph (the application's
// own sentences), i.e. the bidi algorithm kept our order.
inline bool drawnInOrder(const QString &text, const QString &first, const QString &second) {
    QTextLayout layout(text, QGuiApplication::font());
    QTextOption option;
    option.setTextDirection(Qt::LeftToRight);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    line.setLineWidth(1e6);
    layout.endLayout();
    const int a = int(text.indexOf(first));
    const int b = int(text.indexOf(second));
    return a >= 0 && b >= 0 && line.cursorToX(a) < line.cursorToX(b);
}

} // namespace hostile
