// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace cli {

// Where the console client's lines go. The real one writes to file descriptors 1 and 2; tests
// can collect lines instead.
class ConsoleOutput {
public:
    virtual ~ConsoleOutput() = default;
    // One line on standard output (the chat transcript). No newline in `line` needed.
    virtual void out(const QString &line) = 0;
    // One transcript line that carries text from the network (names, messages). The same as
    // out() by default; a terminal shows line breaks inside it as marked continuation lines
    // (FdOutput) so that a message cannot forge a line that looks like someone else's.
    virtual void outUntrusted(const QString &line) { out(line); }
    // One line on standard error (failures, warnings).
    virtual void err(const QString &line) = 0;
};

// Writes UTF-8 lines to two file descriptors, flushing each line at once so a script reading
// a pipe sees every line as it happens. When a descriptor is a terminal, control characters
// (escape sequences could repaint or retitle the terminal) and explicit bidi controls (a
// U+202E could run a line backwards in terminals that do bidi) are shown as U+FFFD, and line
// breaks inside an outUntrusted() line continue on a new line marked "  ↳ "; pipes and files
// get the exact text, as the official client prints it.
class FdOutput : public ConsoleOutput {
public:
    explicit FdOutput(int outFd = 1, int errFd = 2);
    void out(const QString &line) override;
    void err(const QString &line) override;
    void outUntrusted(const QString &line) override;

    // Replaces C0/C1 control characters other than tab and newline (and DEL) and the explicit
    // bidi controls U+202A–U+202E, U+2066–U+2069 with U+FFFD.
    static QString neutralizeControls(const QString &text);
    // neutralizeControls(), and every line break followed by the continuation mark "  ↳ ".
    static QString forTerminal(const QString &untrustedLine);

private:
    static void writeLine(int fd, bool tty, const QString &line);
    int m_outFd;
    int m_errFd;
    bool m_outTty;
    bool m_errTty;
};

// Rust's Debug formatting of a string, as the official client uses for "Failed to send
// message {:?}": quoted, with \" \\ \n \r \t \0 escaped and other control characters as
// \u{hex}.
QString rustDebugQuoted(const QString &text);

} // namespace cli
