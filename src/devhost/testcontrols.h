// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace host {

class ChatHost;
class Router;

// Fault injection for tests, under /_test/ (only with --test-controls, only from loopback):
//   POST /_test/drop-all            abort every WebSocket connection, no close frame
//   POST /_test/close?code=N        close every WebSocket with code N (&reason=text)
//   POST /_test/send-raw            send the body as one raw frame to every client
//                                   (hex text, or raw bytes with application/octet-stream;
//                                   ?text=1 sends a text frame)
//   POST /_test/delay?ms=N          delay every outgoing frame by N ms (0 = off)
//   GET  /_test/counters            connections, frames, transactions, … as JSON
//   POST /_test/counters/reset      zero the counters
//   GET  /_test/clients             the connected clients
class TestControls {
public:
    static void registerRoutes(Router &router, ChatHost &host);
};

} // namespace host
