// SPDX-License-Identifier: Apache-2.0
#pragma once

// Realistic protocol messages shared by the protocol tests and the fuzz corpus generator.

#include "quickstartrows.h" // userRow(), messageRow(): quickstart-chat rows (spec §6.1)
#include "spacetime/protocol/messages.h"

namespace stdb::testing {

// The identity and connection id of spec §1.7 example 4.
Identity exampleIdentity();
ConnectionId exampleConnectionId();
// 2024-01-01T00:00:00Z
Timestamp exampleTimestamp();

// One of every client message, with realistic content.
QList<protocol::ClientMessage> sampleClientMessages();
// Every server message kind, several with both variants of their inner sums.
QList<protocol::ServerMessage> sampleServerMessages();
// A SubscribeApplied with `messages` message rows and `users` user rows.
protocol::ServerMessage largeSubscribeApplied(int messages, int users);

} // namespace stdb::testing
