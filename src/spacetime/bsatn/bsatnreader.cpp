// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/bsatnreader.h"

namespace stdb {

bool BsatnReader::expectEnd(const char *what) {
    if (ok() && m_pos != m_data.size())
        fail(QStringLiteral("%1 trailing bytes after %2")
                 .arg(m_data.size() - m_pos)
                 .arg(QLatin1String(what)));
    return ok();
}

void BsatnReader::readStringInto(QString &out) {
    const qsizetype start = m_pos;
    const quint32 len = readU32();
    if (!ok()) {
        out.clear();
        return;
    }
    if (qsizetype(len) > m_data.size() - m_pos) {
        failAt(start, QStringLiteral("string length %1 exceeds the %2 bytes left")
                          .arg(len)
                          .arg(m_data.size() - m_pos));
        out.clear();
        return;
    }
    // Validated and decoded in one pass (readStringUtf8 + QString::fromUtf8 walk it twice).
    if (!utf8ToString(m_data.sliced(m_pos, len), out)) {
        failAt(m_pos, QStringLiteral("string is not valid UTF-8"));
        return;
    }
    m_pos += len;
}

void BsatnReader::failShort(qsizetype n, const char *what) {
    if (!ok())
        return;
    failAt(m_pos, QStringLiteral("unexpected end of input reading %1 (need %2 bytes, %3 left)")
                      .arg(QLatin1String(what))
                      .arg(n)
                      .arg(m_data.size() - m_pos));
}

} // namespace stdb
