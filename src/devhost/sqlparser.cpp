#include "sqlparser.h"

namespace host::sql {

using stdb::Error;

QString opText(CompareOp op) {
    switch (op) {
    case CompareOp::Eq:
        return QStringLiteral("=");
    case CompareOp::Ne:
        return QStringLiteral("!=");
    case CompareOp::Lt:
        return QStringLiteral("<");
    case CompareOp::Le:
        return QStringLiteral("<=");
    case CompareOp::Gt:
        return QStringLiteral(">");
    case CompareOp::Ge:
        return QStringLiteral(">=");
    }
    return {};
}

namespace {

struct Token {
    enum class Kind { Ident, QuotedIdent, String, Number, Hex, Blob, Symbol, End };
    Kind kind = Kind::End;
    QString text;
    int offset = 0;

    bool isSymbol(QStringView s) const { return kind == Kind::Symbol && text == s; }
    bool isKeyword(QStringView k) const {
        return kind == Kind::Ident && text.compare(k, Qt::CaseInsensitive) == 0;
    }
    bool isKeyword(QLatin1String k) const {
        return kind == Kind::Ident && text.compare(k, Qt::CaseInsensitive) == 0;
    }
    QString describe() const {
        switch (kind) {
        case Kind::End:
            return QStringLiteral("end of query");
        case Kind::String:
            return QStringLiteral("string '%1'").arg(text.left(40));
        case Kind::QuotedIdent:
            return QStringLiteral("\"%1\"").arg(text.left(40));
        default:
            return QStringLiteral("'%1'").arg(text.left(40));
        }
    }
};

Error syntaxError(int offset, const QString &message) {
    return Error(Error::Kind::InvalidArgument,
                 QStringLiteral("SQL syntax error at offset %1: %2").arg(offset).arg(message));
}

bool isIdentStart(QChar c) {
    return c.isLetter() || c == u'_';
}
bool isIdentPart(QChar c) {
    return c.isLetterOrNumber() || c == u'_';
}
bool isHexDigit(QChar c) {
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

stdb::Expected<QList<Token>> tokenize(QStringView sql) {
    QList<Token> out;
    qsizetype i = 0;
    const qsizetype n = sql.size();
    while (i < n) {
        const QChar c = sql[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        // -- line comments, as most SQL dialects allow
        if (c == u'-' && i + 1 < n && sql[i + 1] == u'-') {
            while (i < n && sql[i] != u'\n')
                ++i;
            continue;
        }
        Token t;
        t.offset = int(i);
        if ((c == u'x' || c == u'X') && i + 1 < n && sql[i + 1] == u'\'') {
            qsizetype j = i + 2;
            while (j < n && sql[j] != u'\'')
                ++j;
            if (j >= n)
                return syntaxError(t.offset, QStringLiteral("unterminated X'…' literal"));
            t.kind = Token::Kind::Blob;
            t.text = sql.mid(i + 2, j - i - 2).toString();
            for (QChar h : t.text)
                if (!isHexDigit(h))
                    return syntaxError(t.offset, QStringLiteral("X'…' literal must contain only "
                                                                "hex digits"));
            i = j + 1;
        } else if (isIdentStart(c)) {
            qsizetype j = i + 1;
            while (j < n && isIdentPart(sql[j]))
                ++j;
            t.kind = Token::Kind::Ident;
            t.text = sql.mid(i, j - i).toString();
            i = j;
        } else if (c == u'"' || c == u'`') {
            // "quoted" identifiers; "" inside stands for one quote.
            const QChar q = c;
            QString text;
            qsizetype j = i + 1;
            for (;;) {
                if (j >= n)
                    return syntaxError(t.offset, QStringLiteral("unterminated quoted identifier"));
                if (sql[j] == q) {
                    if (j + 1 < n && sql[j + 1] == q) {
                        text += q;
                        j += 2;
                        continue;
                    }
                    break;
                }
                text += sql[j++];
            }
            if (text.isEmpty())
                return syntaxError(t.offset, QStringLiteral("empty quoted identifier"));
            t.kind = Token::Kind::QuotedIdent;
            t.text = text;
            i = j + 1;
        } else if (c == u'\'') {
            QString text;
            qsizetype j = i + 1;
            for (;;) {
                if (j >= n)
                    return syntaxError(t.offset, QStringLiteral("unterminated string literal"));
                if (sql[j] == u'\'') {
                    if (j + 1 < n && sql[j + 1] == u'\'') {
                        text += u'\'';
                        j += 2;
                        continue;
                    }
                    break;
                }
                text += sql[j++];
            }
            t.kind = Token::Kind::String;
            t.text = text;
            i = j + 1;
        } else if (c == u'0' && i + 1 < n && (sql[i + 1] == u'x' || sql[i + 1] == u'X')) {
            qsizetype j = i + 2;
            while (j < n && isHexDigit(sql[j]))
                ++j;
            if (j == i + 2 || (j < n && isIdentPart(sql[j])))
                return syntaxError(t.offset, QStringLiteral("malformed hex literal"));
            t.kind = Token::Kind::Hex;
            t.text = sql.mid(i + 2, j - i - 2).toString();
            i = j;
        } else if (c.isDigit()) {
            qsizetype j = i;
            while (j < n && sql[j].isDigit())
                ++j;
            if (j < n && sql[j] == u'.') {
                ++j;
                while (j < n && sql[j].isDigit())
                    ++j;
            }
            if (j < n && (sql[j] == u'e' || sql[j] == u'E')) {
                ++j;
                if (j < n && (sql[j] == u'+' || sql[j] == u'-'))
                    ++j;
                while (j < n && sql[j].isDigit())
                    ++j;
            }
            if (j < n && isIdentPart(sql[j]))
                return syntaxError(t.offset, QStringLiteral("malformed number"));
            t.kind = Token::Kind::Number;
            t.text = sql.mid(i, j - i).toString();
            i = j;
        } else {
            static const QStringView twoChar[] = {u"!=", u"<>", u"<=", u">="};
            bool matched = false;
            for (QStringView s : twoChar) {
                if (sql.mid(i).startsWith(s)) {
                    t.kind = Token::Kind::Symbol;
                    t.text = s.toString();
                    i += 2;
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                if (QStringView(u"=<>(),.*;-+").contains(c)) {
                    t.kind = Token::Kind::Symbol;
                    t.text = QString(c);
                    ++i;
                } else {
                    return syntaxError(t.offset,
                                       QStringLiteral("unexpected character '%1'").arg(c));
                }
            }
        }
        out.append(t);
    }
    Token end;
    end.offset = int(n);
    out.append(end);
    return out;
}

// Words that mean a feature this host does not have; naming them gives a clear error
// instead of "expected end of query".
const char *const kUnsupported[] = {"JOIN",  "INNER", "LEFT",   "RIGHT",   "CROSS", "ORDER",
                                    "GROUP", "LIMIT", "OFFSET", "HAVING",  "UNION", "NOT",
                                    "IN",    "LIKE",  "IS",     "BETWEEN", "COUNT", "DISTINCT"};
const char *const kReserved[] = {"SELECT", "FROM", "WHERE", "AND", "OR", "AS", "TRUE", "FALSE"};

bool isUnsupportedWord(const Token &t) {
    for (const char *w : kUnsupported)
        if (t.isKeyword(QLatin1String(w)))
            return true;
    return false;
}
bool isReservedWord(const Token &t) {
    for (const char *w : kReserved)
        if (t.isKeyword(QLatin1String(w)))
            return true;
    return isUnsupportedWord(t);
}

class ParserImpl {
public:
    explicit ParserImpl(QList<Token> tokens)
        : m_tokens(std::move(tokens)) {}

    stdb::Expected<SelectStatement> statement() {
        const Token &first = peek();
        if (!first.isKeyword(u"SELECT")) {
            if (first.kind == Token::Kind::Ident)
                return fail(first, QStringLiteral("only SELECT queries are supported by this "
                                                  "host (found %1)")
                                       .arg(first.text.toUpper()));
            return fail(first, QStringLiteral("expected SELECT, found %1").arg(first.describe()));
        }
        next();
        SelectStatement st;
        // Projection: * or qualifier.*
        if (peek().isSymbol(u"*")) {
            next();
        } else if (isName(peek()) && peekAt(1).isSymbol(u".") && peekAt(2).isSymbol(u"*")) {
            st.projection = next().text;
            next();
            next();
        } else {
            return fail(peek(), QStringLiteral("only SELECT * or SELECT table.* is supported, "
                                               "found %1")
                                    .arg(peek().describe()));
        }
        if (!peek().isKeyword(u"FROM"))
            return fail(peek(), QStringLiteral("expected FROM, found %1").arg(peek().describe()));
        next();
        st.tableOffset = peek().offset;
        if (peek().isSymbol(u"*")) {
            next();
            st.allTables = true;
            if (!st.projection.isEmpty())
                return fail(peek(), QStringLiteral("SELECT t.* FROM * is not valid"));
        } else if (isName(peek())) {
            st.table = next().text;
            if (peek().isKeyword(u"AS")) {
                next();
                if (!isName(peek()))
                    return fail(peek(), QStringLiteral("expected an alias after AS, found %1")
                                            .arg(peek().describe()));
                st.alias = next().text;
            } else if (isName(peek())) {
                st.alias = next().text;
            }
        } else {
            return fail(peek(), QStringLiteral("expected a table name after FROM, found %1")
                                    .arg(peek().describe()));
        }
        if (peek().isKeyword(u"WHERE")) {
            if (st.allTables)
                return fail(peek(), QStringLiteral("SELECT * FROM * cannot have a WHERE clause"));
            next();
            auto e = orExpr(0);
            if (!e)
                return e.error();
            st.where = *e;
        }
        const Token &t = peek();
        if (t.kind != Token::Kind::End && !t.isSymbol(u";")) {
            if (isUnsupportedWord(t))
                return fail(
                    t, QStringLiteral("%1 is not supported by this host").arg(t.text.toUpper()));
            if (t.isSymbol(u","))
                return fail(t, QStringLiteral("selecting from several tables is not supported "
                                              "by this host"));
            return fail(t, QStringLiteral("unexpected %1").arg(t.describe()));
        }
        return st;
    }

    bool atEnd() const { return peek().kind == Token::Kind::End; }
    bool acceptSemicolon() {
        if (!peek().isSymbol(u";"))
            return false;
        next();
        return true;
    }
    const Token &peek() const { return peekAt(0); }

private:
    using ExprPtr = std::shared_ptr<const Expr>;

    const Token &peekAt(qsizetype k) const {
        return m_tokens[qMin(m_pos + k, m_tokens.size() - 1)];
    }
    const Token &next() {
        const Token &t = m_tokens[m_pos];
        if (m_pos < m_tokens.size() - 1)
            ++m_pos;
        return t;
    }
    static bool isName(const Token &t) {
        return t.kind == Token::Kind::QuotedIdent ||
               (t.kind == Token::Kind::Ident && !isReservedWord(t));
    }
    static Error fail(const Token &t, const QString &message) {
        return syntaxError(t.offset, message);
    }
    stdb::Expected<ExprPtr> countNode(ExprPtr e) {
        if (++m_nodes > Parser::kMaxNodes)
            return fail(
                peek(),
                QStringLiteral("query too complex (more than %1 terms)").arg(Parser::kMaxNodes));
        return e;
    }

    stdb::Expected<ExprPtr> orExpr(int depth) {
        auto left = andExpr(depth);
        if (!left)
            return left;
        ExprPtr acc = *left;
        while (peek().isKeyword(u"OR")) {
            next();
            auto right = andExpr(depth);
            if (!right)
                return right;
            auto e = std::make_shared<Expr>();
            e->kind = Expr::Kind::Or;
            e->left = acc;
            e->right = *right;
            auto counted = countNode(e);
            if (!counted)
                return counted;
            acc = e;
        }
        return acc;
    }

    stdb::Expected<ExprPtr> andExpr(int depth) {
        auto left = primary(depth);
        if (!left)
            return left;
        ExprPtr acc = *left;
        while (peek().isKeyword(u"AND")) {
            next();
            auto right = primary(depth);
            if (!right)
                return right;
            auto e = std::make_shared<Expr>();
            e->kind = Expr::Kind::And;
            e->left = acc;
            e->right = *right;
            auto counted = countNode(e);
            if (!counted)
                return counted;
            acc = e;
        }
        return acc;
    }

    stdb::Expected<ExprPtr> primary(int depth) {
        if (peek().isSymbol(u"(")) {
            if (depth >= Parser::kMaxDepth)
                return fail(
                    peek(),
                    QStringLiteral("parentheses nested deeper than %1").arg(Parser::kMaxDepth));
            next();
            auto inner = orExpr(depth + 1);
            if (!inner)
                return inner;
            if (!peek().isSymbol(u")"))
                return fail(peek(),
                            QStringLiteral("expected ')', found %1").arg(peek().describe()));
            next();
            return inner;
        }
        auto lhs = operand();
        if (!lhs)
            return lhs.error();
        auto e = std::make_shared<Expr>();
        e->lhs = *lhs;
        const Token &t = peek();
        CompareOp op;
        if (t.isSymbol(u"="))
            op = CompareOp::Eq;
        else if (t.isSymbol(u"!=") || t.isSymbol(u"<>"))
            op = CompareOp::Ne;
        else if (t.isSymbol(u"<"))
            op = CompareOp::Lt;
        else if (t.isSymbol(u"<="))
            op = CompareOp::Le;
        else if (t.isSymbol(u">"))
            op = CompareOp::Gt;
        else if (t.isSymbol(u">="))
            op = CompareOp::Ge;
        else {
            if (isUnsupportedWord(t))
                return fail(
                    t, QStringLiteral("%1 is not supported by this host").arg(t.text.toUpper()));
            e->kind = Expr::Kind::Operand; // a bare boolean column or literal
            return countNode(e);
        }
        next();
        auto rhs = operand();
        if (!rhs)
            return rhs.error();
        e->kind = Expr::Kind::Compare;
        e->op = op;
        e->rhs = *rhs;
        return countNode(e);
    }

    stdb::Expected<Operand> operand() {
        const Token t = peek();
        Literal lit;
        lit.offset = t.offset;
        switch (t.kind) {
        case Token::Kind::String:
            next();
            lit.kind = Literal::Kind::String;
            lit.text = t.text;
            return Operand(lit);
        case Token::Kind::Hex:
            next();
            lit.kind = Literal::Kind::Hex;
            lit.text = t.text;
            return Operand(lit);
        case Token::Kind::Blob:
            next();
            lit.kind = Literal::Kind::Blob;
            lit.text = t.text;
            return Operand(lit);
        case Token::Kind::Number:
            next();
            lit.kind = t.text.contains(u'.') || t.text.contains(u'e') || t.text.contains(u'E')
                           ? Literal::Kind::Float
                           : Literal::Kind::Integer;
            lit.text = t.text;
            return Operand(lit);
        case Token::Kind::Symbol:
            if (t.isSymbol(u"-") || t.isSymbol(u"+")) {
                next();
                const Token num = peek();
                if (num.kind != Token::Kind::Number)
                    return fail(num, QStringLiteral("expected a number after '%1'").arg(t.text));
                next();
                lit.kind =
                    num.text.contains(u'.') || num.text.contains(u'e') || num.text.contains(u'E')
                        ? Literal::Kind::Float
                        : Literal::Kind::Integer;
                lit.text = (t.text == u"-" ? QStringLiteral("-") : QString()) + num.text;
                return Operand(lit);
            }
            break;
        case Token::Kind::Ident:
            if (t.isKeyword(u"TRUE") || t.isKeyword(u"FALSE")) {
                next();
                lit.kind = Literal::Kind::Bool;
                lit.boolValue = t.isKeyword(u"TRUE");
                lit.text = t.text.toUpper();
                return Operand(lit);
            }
            if (t.isKeyword(u"NULL"))
                return fail(t, QStringLiteral("NULL is not supported by this host; Option "
                                              "columns compare by their inner value"));
            [[fallthrough]];
        case Token::Kind::QuotedIdent: {
            if (!isName(t))
                return fail(
                    t, QStringLiteral("expected a column or a value, found %1").arg(t.describe()));
            next();
            ColumnRef ref;
            ref.offset = t.offset;
            if (peek().isSymbol(u".")) {
                next();
                if (!isName(peek()))
                    return fail(peek(),
                                QStringLiteral("expected a column name after '%1.'").arg(t.text));
                ref.qualifier = t.text;
                ref.column = next().text;
            } else {
                ref.column = t.text;
            }
            return Operand(ref);
        }
        default:
            break;
        }
        return fail(t, QStringLiteral("expected a column or a value, found %1").arg(t.describe()));
    }

    QList<Token> m_tokens;
    qsizetype m_pos = 0;
    int m_nodes = 0;
};

} // namespace

stdb::Expected<SelectStatement> Parser::parseSelect(QStringView sql) {
    auto script = parseScript(sql);
    if (!script)
        return script.error();
    if (script->size() != 1)
        return syntaxError(
            0, QStringLiteral("expected exactly one statement, found %1").arg(script->size()));
    return script->front();
}

stdb::Expected<QList<SelectStatement>> Parser::parseScript(QStringView sql) {
    if (sql.size() > kMaxLength)
        return syntaxError(0, QStringLiteral("query longer than %1 characters").arg(kMaxLength));
    auto tokens = tokenize(sql);
    if (!tokens)
        return tokens.error();
    ParserImpl p(std::move(*tokens));
    QList<SelectStatement> out;
    while (!p.atEnd()) {
        if (p.acceptSemicolon())
            continue; // empty statement
        auto st = p.statement();
        if (!st)
            return st.error();
        out.append(*st);
        if (!p.atEnd() && !p.acceptSemicolon())
            return syntaxError(p.peek().offset, QStringLiteral("expected ';' between statements"));
    }
    if (out.isEmpty())
        return syntaxError(0, QStringLiteral("empty query"));
    return out;
}

} // namespace host::sql
