// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry point; the work is fuzz::schemaJson() in harness_schema_json.cpp, which
// tst_fuzzcorpus also runs on the checked-in seeds.

#include "harness.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)fuzz::schemaJson(QByteArrayView(data, qsizetype(size)));
    return 0;
}
