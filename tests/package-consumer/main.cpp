// Uses the installed SDK: BSATN round trip of an identity and a string.
#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/bsatn/identity.h"

#include <cstdio>

int main() {
    bool ok = false;
    const stdb::Identity id = stdb::Identity::fromHex(
        u"c200000000000000000000000000000000000000000000000000000000000001", &ok);
    if (!ok)
        return 1;

    stdb::BsatnWriter writer;
    writer.writeIdentity(id);
    writer.writeString(u"hello from a package consumer");

    stdb::BsatnReader reader(writer.buffer());
    const stdb::Identity back = reader.readIdentity();
    const QString text = reader.readString();
    if (!reader.ok() || back != id || text != u"hello from a package consumer")
        return 1;
    std::printf("ok %s %s\n", qPrintable(back.toShortHex()), qPrintable(text));
    return 0;
}
