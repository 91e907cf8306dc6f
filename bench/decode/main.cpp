// SPDX-License-Identifier: Apache-2.0
// spacetime-bench: micro-benchmarks that print figures (never timed unit tests).
//   spacetime-bench <command> [options]      spacetime-bench --help

#include "benchcommand.h"

#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>

namespace stdb::bench {

namespace {
QList<BenchCommand> &registry() {
    static QList<BenchCommand> commands; // function-local: safe from static init order
    return commands;
}
} // namespace

const QList<BenchCommand> &benchCommands() {
    return registry();
}

BenchCommandRegistration::BenchCommandRegistration(BenchCommand command) {
    registry().append(std::move(command));
}

} // namespace stdb::bench

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    using stdb::bench::benchCommands;
    QStringList args = app.arguments().mid(1);
    QTextStream out(stdout);

    QList<stdb::bench::BenchCommand> commands = benchCommands();
    std::sort(commands.begin(), commands.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    auto usage = [&](QTextStream &s) {
        s << "usage: spacetime-bench <command> [options]\n\ncommands:\n";
        for (const auto &c : commands)
            s << "  " << c.name.leftJustified(10) << ' ' << c.summary << '\n';
        s << "\n`spacetime-bench <command> --help` describes a command's options.\n";
    };

    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h") {
        usage(out);
        return args.isEmpty() ? 2 : 0;
    }
    const QString name = args.takeFirst();
    for (const auto &c : commands)
        if (c.name == name)
            return c.run(args);
    QTextStream err(stderr);
    err << "spacetime-bench: unknown command '" << name << "'\n\n";
    usage(err);
    return 2;
}
