// SPDX-License-Identifier: Apache-2.0
#include "harness.h"

#include <QLoggingCategory>

#include <cstdio>
#include <cstdlib>

namespace fuzz {

void fail(const char *file, int line, const char *cond, const char *what) {
    std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s (%s)\n", file, line, what, cond);
    std::fflush(stderr);
    std::abort();
}

void quietLogging() {
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false\n"
                                                    "*.warning=false"));
}

} // namespace fuzz
