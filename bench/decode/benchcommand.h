// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

#include <functional>

namespace stdb::bench {

// One `spacetime-bench <name> …` subcommand. Each lives in its own .cpp file and registers
// itself with a static BenchCommandRegistration, so adding one touches no other file.
struct BenchCommand {
    QString name;
    QString summary;                             // one line for the usage text
    std::function<int(const QStringList &)> run; // arguments after the subcommand name
};

const QList<BenchCommand> &benchCommands();

struct BenchCommandRegistration {
    explicit BenchCommandRegistration(BenchCommand command);
};

} // namespace stdb::bench
