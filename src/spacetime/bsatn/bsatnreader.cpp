// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/bsatnreader.h"

namespace stdb {

bool BsatnReader::expectEnd(const char *what)
{
    if (ok() && m_pos != m_data.size())
        fail(QStringLiteral("%1 trailing bytes after %2")
                 .arg(m_data.size() - m_pos)
                 .arg(QLatin1String(what)));
    return ok();
}

void BsatnReader::failShort(qsizetype n, const char *what)
{
    if (!ok())
        return;
    failAt(m_pos, QStringLiteral("unexpected end of input reading %1 (need %2 bytes, %3 left)")
                      .arg(QLatin1String(what))
                      .arg(n)
                      .arg(m_data.size() - m_pos));
}

} // namespace stdb
