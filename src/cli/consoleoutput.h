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
    // One line on standard error (failures, warnings).
    virtual void err(const QString &line) = 0;
};

// Writes UTF-8 lines to two file descriptors, flushing each line at once so a script reading
// a pipe sees every line as it happens. When a descriptor is a terminal, control characters
// from the network (escape sequences could repaint or retitle the terminal) are shown as
// U+FFFD; pipes and files get the exact text, as the official client prints it.
class FdOutput : public ConsoleOutput {
public:
    explicit FdOutput(int outFd = 1, int errFd = 2);
    void out(const QString &line) override;
    void err(const QString &line) override;

    // Replaces C0/C1 control characters other than tab and newline (and DEL) with U+FFFD.
    static QString neutralizeControls(const QString &text);

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
