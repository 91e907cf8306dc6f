// SPDX-License-Identifier: Apache-2.0
// spacetime-chat-cli: the official Rust quickstart-chat client's behaviour on our SDK.
// Everything but the process plumbing lives in the spacetimechatcli library (testable).

#include "cliconfig.h"
#include "consoleoutput.h"
#include "linereader.h"
#include "quickstartconsole.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <fcntl.h>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <io.h>
#include <windows.h>
#else
#include <csignal>
#include <unistd.h>
#endif

namespace {

// Standard input, output and error as the rest of the program expects them.
void prepareStandardStreams() {
#ifdef Q_OS_WIN
    // Not connected (started from a GUI program, or with a handle closed)? Put NUL there, so
    // reads see end of input and writes go nowhere instead of hitting an invalid descriptor.
    for (int fd = 0; fd <= 2; ++fd) {
        const auto handle = ::_get_osfhandle(fd); // -2: a standard stream without a handle
        if (handle == -1 || handle == -2) {
            const int null = ::_open("NUL", fd == 0 ? _O_RDONLY : _O_WRONLY);
            if (null >= 0 && null != fd) {
                ::_dup2(null, fd);
                ::_close(null);
            }
        }
    }
    // Lines end in "\n" and are UTF-8, as on other systems and as the Rust client writes them
    // (no "\r\n" translation); the console shows UTF-8 once its output code page says so.
    ::_setmode(1, _O_BINARY);
    ::_setmode(2, _O_BINARY);
#else
    // Started with stdin/stdout/stderr closed (`<&-`)? Put /dev/null there before anything
    // else opens a descriptor that would land on 0, 1 or 2 and be read or written by mistake.
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) < 0) {
            const int null = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (null >= 0 && null != fd) {
                ::dup2(null, fd);
                ::close(null);
            }
        }
    }
    // A reader that went away (`| head`) must not kill us mid-call; writes just fail.
    std::signal(SIGPIPE, SIG_IGN);
#endif
}

#ifdef Q_OS_WIN
// Switches the console to UTF-8 output for the lifetime of the process and back afterwards
// (the code page belongs to the console, which outlives us).
struct Utf8Console {
    UINT previous = ::GetConsoleOutputCP();
    Utf8Console() {
        if (previous != 0)
            ::SetConsoleOutputCP(CP_UTF8);
    }
    ~Utf8Console() {
        if (previous != 0)
            ::SetConsoleOutputCP(previous);
    }
    Utf8Console(const Utf8Console &) = delete;
    Utf8Console &operator=(const Utf8Console &) = delete;
};
#endif

} // namespace

int main(int argc, char *argv[]) {
    prepareStandardStreams();
#ifdef Q_OS_WIN
    const Utf8Console utf8Console;
#endif

    QCoreApplication app(argc, argv);
    // Shared with the other front ends: profiles live under the same data directory.
    QCoreApplication::setOrganizationName(QStringLiteral("spacetime-chat"));
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    // Standard output is the transcript and standard error carries the failure lines the
    // official client prints; library chatter stays out unless QT_LOGGING_RULES asks for it.
    // Everything these categories warn about reaches the user through the client's signals.
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n"
                                                    "*.info=false\n"
                                                    "stdb.connection.warning=false\n"
                                                    "chat.*.warning=false\n"));

    cli::FdOutput output;
    const cli::ParseResult parsed = cli::parseCommandLine(QCoreApplication::arguments());
    switch (parsed.action) {
    case cli::ParseResult::Action::ExitOk:
        output.out(parsed.text.endsWith(QLatin1Char('\n')) ? parsed.text.chopped(1) : parsed.text);
        return 0;
    case cli::ParseResult::Action::ExitError:
        output.err(parsed.text);
        return 2;
    case cli::ParseResult::Action::Run:
        break;
    }

    cli::QuickstartConsole console(parsed.config, &output);
    cli::LineReader input(0);
    QObject::connect(&input, &cli::LineReader::lineRead, &console,
                     &cli::QuickstartConsole::handleLine);
    QObject::connect(&input, &cli::LineReader::finished, &console,
                     &cli::QuickstartConsole::endOfInput);
    QObject::connect(&console, &cli::QuickstartConsole::finished, &app, [&input](int code) {
        input.stop();
        QCoreApplication::exit(code);
    });
    console.start();
    input.start();
    return app.exec();
}
