// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpmessage.h"
#include "tokensigner.h"

#include <variant>

namespace host {

class ChatHost;
class Router;

// SpacetimeDB's HTTP API as far as a chat client and the official SDKs use it (PROTOCOL.md §4):
// /v1/ping, /v1/identity…, /v1/database/:name/{schema,call/:reducer,sql,identity}.
class ApiRoutes {
public:
    struct Auth {
        TokenClaims claims;
        QString token;
    };

    // Credentials from `Authorization: Bearer` (preferred) or `?token=`. Without either, a new
    // identity and token are minted if allowed. Failures come back as the response to send:
    // 400 for a malformed Authorization header, 401 for a bad token or none when required.
    static std::variant<Auth, HttpResponse>
    authenticate(const HttpRequest &request, const TokenSigner &tokens, bool mintIfMissing);
    // The spacetime-identity / spacetime-identity-token headers every /v1/database response has.
    static void addIdentityHeaders(HttpResponse &response, const Auth &auth);

    static void registerRoutes(Router &router, ChatHost &host);
};

} // namespace host
