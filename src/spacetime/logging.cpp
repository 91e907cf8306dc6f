// SPDX-License-Identifier: Apache-2.0
#include "spacetime/logging_p.h"

namespace stdb {

Q_LOGGING_CATEGORY(lcConnection, "stdb.connection")
Q_LOGGING_CATEGORY(lcFrames, "stdb.connection.frames")

} // namespace stdb
