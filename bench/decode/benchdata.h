// SPDX-License-Identifier: Apache-2.0
#pragma once

// Realistic quickstart-chat data (spec §6.1) for the benchmarks, and column-by-column row
// validation the way a client decodes rows from the cache.

#include "spacetime/protocol/messages.h"

namespace stdb::bench {

// `message` rows: sender Identity, sent Timestamp, text String (~40 bytes, mostly ASCII).
// Rows number [first, first + count): the same row for the same number in every call.
QList<QByteArray> quickstartMessageRows(int count, int first = 0);
// `user` rows: identity, name Option<String>, online bool.
QList<QByteArray> quickstartUserRows(int count);
// The initial subscription of the chat: all messages and all users.
protocol::SubscribeApplied quickstartSubscribeApplied(int messages, int users);

// Decode every column of one row (UTF-8 validated); false if the row is malformed.
// `sink` accumulates a little of each value so the work cannot be optimised away.
bool validateMessageRow(QByteArrayView row, quint64 &sink);
bool validateUserRow(QByteArrayView row, quint64 &sink);

} // namespace stdb::bench
