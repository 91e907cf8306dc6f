// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/exactjson.h"

#include <QJsonParseError>

namespace stdb {

namespace {

bool isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool fitsInt64(QByteArrayView token) {
    bool ok = false;
    (void)token.toLongLong(&ok);
    return ok;
}

bool isIntegerToken(QByteArrayView token) {
    qsizetype i = token.startsWith('-') ? 1 : 0;
    if (i >= token.size())
        return false;
    for (; i < token.size(); ++i)
        if (token[i] < '0' || token[i] > '9')
            return false;
    return true;
}

} // namespace

QByteArray ExactJson::quoteBigIntegers(QByteArrayView text) {
    QByteArray out;
    out.reserve(text.size() + 16);
    bool inString = false;
    for (qsizetype i = 0; i < text.size();) {
        const char c = text[i];
        if (inString) {
            out.append(c);
            if (c == '\\' && i + 1 < text.size()) {
                out.append(text[i + 1]);
                i += 2;
                continue;
            }
            if (c == '"')
                inString = false;
            ++i;
            continue;
        }
        if (c == '"') {
            inString = true;
            out.append(c);
            ++i;
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            qsizetype j = i;
            while (j < text.size() && isNumberChar(text[j]))
                ++j;
            const QByteArrayView token = text.sliced(i, j - i);
            if (isIntegerToken(token) && !fitsInt64(token)) {
                out.append('"');
                out.append(token.data(), token.size());
                out.append('"');
            } else {
                out.append(token.data(), token.size());
            }
            i = j;
            continue;
        }
        out.append(c);
        ++i;
    }
    return out;
}

Expected<QJsonDocument> ExactJson::parse(QByteArrayView text) {
    // The text must be JSON before the rewrite: quoting would turn a big integer where JSON
    // allows none (an object key, digits with a leading zero) into a valid string (a finding of
    // fuzz_schema_json). Errors then also name the position in the text the user wrote.
    QJsonParseError original;
    (void)QJsonDocument::fromJson(text.toByteArray(), &original);
    QJsonParseError err = original;
    if (original.error == QJsonParseError::NoError) {
        const QJsonDocument doc = QJsonDocument::fromJson(quoteBigIntegers(text), &err);
        if (err.error == QJsonParseError::NoError)
            return doc;
    }
    return Error(Error::Kind::InvalidArgument, QStringLiteral("invalid JSON: %1 (at character %2)")
                                                   .arg(err.errorString())
                                                   .arg(err.offset));
}

} // namespace stdb
