// SPDX-License-Identifier: Apache-2.0
#include "clilog.h"

Q_LOGGING_CATEGORY(lcConsole, "cli")
Q_LOGGING_CATEGORY(lcLineReader, "cli.input")
