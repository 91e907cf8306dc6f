// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the newer fuzz targets do with one input, shared by the libFuzzer entry points
// (fuzz_*.cpp, clang fuzz build) and tst_fuzzcorpus (normal build), which replays the
// checked-in seeds through exactly the same code.
//
// Each function returns whether the input was accepted (decoded, parsed, compiled); a rejected
// input is fine. A broken invariant prints what broke and aborts, so the fuzzer reports it.

#include <QByteArrayView>

namespace fuzz {

// Rows of the generated quickstart-chat bindings through the connection's path: a v3 server
// message body, decoded by FrameDecoder, applied to a ClientCache configured by UserTable and
// MessageTable, every row change decoded by the bindings. Input: [flags][v3 body].
bool bindingsRows(QByteArrayView input);

// Schema JSON through ModuleSchema::fromJson and the bindings generator (model + emitters).
bool schemaJson(QByteArrayView input);

// SQL text through the host's parser and the query compiler against quickstart-chat's catalog
// (plus a table with every column type), evaluated on sample rows.
bool hostSql(QByteArrayView input);

// Silences Qt's logging (decoders warn about every bad row, which only slows the fuzzer).
void quietLogging();

} // namespace fuzz

// Aborts with a message: the fuzzer's crash report then says which invariant broke.
#define FUZZ_CHECK(cond, what)                                                                     \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::fuzz::fail(__FILE__, __LINE__, #cond, what);                                         \
    } while (false)

namespace fuzz {
[[noreturn]] void fail(const char *file, int line, const char *cond, const char *what);
} // namespace fuzz
