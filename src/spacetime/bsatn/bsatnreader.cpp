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

} // namespace stdb
