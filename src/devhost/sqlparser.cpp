// SPDX-License-Identifier: Apache-2.0
#include "sqlparser.h"

#include <QHash>
#include <QStringList>

namespace host::sql {

using stdb::Error;

QString opText(CompareOp op) {
    switch (op) {
    case CompareOp::Eq:
        return QStringLiteral("=");
    case CompareOp::Ne:
        return QStringLiteral("<>");
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

Error sqlError(const QString &message) {
    return Error(Error::Kind::InvalidArgument, message);
}

// ---- tokens (what sqlparser's tokenizer makes of the text) ---------------------------------

struct Token {
    enum class Kind { Word, QuotedWord, Number, String, Hex, Symbol, End };
    Kind kind = Kind::End;
    QString text;
    int offset = 0;

    bool is(QStringView symbol) const { return kind == Kind::Symbol && text == symbol; }
    bool isKeyword(QLatin1String k) const {
        return kind == Kind::Word && text.compare(k, Qt::CaseInsensitive) == 0;
    }
    // sqlparser's Display of a token, used in "found: …".
    QString display() const {
        switch (kind) {
        case Kind::End:
            return QStringLiteral("EOF");
        case Kind::String:
            return u'\'' + text + u'\'';
        case Kind::Hex:
            return QStringLiteral("X'%1'").arg(text);
        case Kind::QuotedWord:
            return u'"' + text + u'"';
        default:
            return text;
        }
    }
};

bool isIdentStart(QChar c) {
    return c.isLetter() || c == u'_';
}
bool isIdentPart(QChar c) {
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}
bool isHexDigit(QChar c) {
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

QString location(QStringView sql, int offset) {
    int line = 1, column = 1;
    for (int i = 0; i < offset && i < sql.size(); ++i) {
        if (sql[i] == u'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral(" at Line: %1, Column %2").arg(line).arg(column);
}

stdb::Expected<QList<Token>> tokenize(QStringView sql) {
    QList<Token> out;
    qsizetype i = 0;
    const qsizetype n = sql.size();
    auto unterminated = [&](const char *what, qsizetype at) {
        return sqlError(QStringLiteral("sql parser error: Unterminated %1%2")
                            .arg(QLatin1String(what), location(sql, int(at))));
    };
    // '…' with '' standing for one quote; returns the end (after the closing quote) or -1.
    auto quoted = [&](qsizetype start, QChar q, QString *text) -> qsizetype {
        qsizetype j = start + 1;
        for (;;) {
            if (j >= n)
                return -1;
            if (sql[j] == q) {
                if (j + 1 < n && sql[j + 1] == q) {
                    *text += q;
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            *text += sql[j++];
        }
    };
    while (i < n) {
        const QChar c = sql[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == u'-' && i + 1 < n && sql[i + 1] == u'-') {
            while (i < n && sql[i] != u'\n')
                ++i;
            continue;
        }
        if (c == u'/' && i + 1 < n && sql[i + 1] == u'*') {
            const qsizetype end = sql.indexOf(u"*/", i + 2);
            if (end < 0)
                return unterminated("multi-line comment", i);
            i = end + 2;
            continue;
        }
        Token t;
        t.offset = int(i);
        if ((c == u'x' || c == u'X') && i + 1 < n && sql[i + 1] == u'\'') {
            // X'…': the contents are checked only where a type reads them, as on the server.
            QString text;
            const qsizetype end = quoted(i + 1, u'\'', &text);
            if (end < 0)
                return unterminated("string literal", i);
            t.kind = Token::Kind::Hex;
            t.text = text;
            i = end;
        } else if (isIdentStart(c)) {
            qsizetype j = i + 1;
            while (j < n && isIdentPart(sql[j]))
                ++j;
            t.kind = Token::Kind::Word;
            t.text = sql.mid(i, j - i).toString();
            i = j;
        } else if (c == u'"') {
            QString text;
            const qsizetype end = quoted(i, u'"', &text);
            if (end < 0)
                return sqlError(
                    QStringLiteral("sql parser error: Expected close delimiter '\"' before EOF.%1")
                        .arg(location(sql, int(i))));
            t.kind = Token::Kind::QuotedWord;
            t.text = text;
            i = end;
        } else if (c == u'\'') {
            QString text;
            const qsizetype end = quoted(i, u'\'', &text);
            if (end < 0)
                return unterminated("string literal", i);
            t.kind = Token::Kind::String;
            t.text = text;
            i = end;
        } else if (c.isDigit() || (c == u'.' && i + 1 < n && sql[i + 1].isDigit())) {
            qsizetype j = i;
            while (j < n && sql[j].isDigit())
                ++j;
            // Only a lower-case 0x starts a hex literal; "0X1" is the number 0 and a word.
            if (j == i + 1 && c == u'0' && j < n && sql[j] == u'x') {
                qsizetype k = j + 1;
                while (k < n && isHexDigit(sql[k]))
                    ++k;
                t.kind = Token::Kind::Hex;
                t.text = sql.mid(j + 1, k - j - 1).toString();
                i = k;
                out.append(t);
                continue;
            }
            if (j < n && sql[j] == u'.') {
                ++j;
                while (j < n && sql[j].isDigit())
                    ++j;
            }
            if (j < n && (sql[j] == u'e' || sql[j] == u'E')) {
                qsizetype k = j + 1;
                if (k < n && (sql[k] == u'+' || sql[k] == u'-'))
                    ++k;
                if (k < n && sql[k].isDigit()) {
                    while (k < n && sql[k].isDigit())
                        ++k;
                    j = k;
                }
            }
            t.kind = Token::Kind::Number;
            t.text = sql.mid(i, j - i).toString();
            i = j;
        } else {
            static const QStringView multi[] = {u"<=>", u"!=", u"<>", u"<=",
                                                u">=",  u"==", u"||", u"::"};
            t.kind = Token::Kind::Symbol;
            t.text = QString(c);
            for (QStringView s : multi) {
                if (sql.mid(i).startsWith(s)) {
                    t.text = s.toString();
                    break;
                }
            }
            i += t.text.size();
        }
        out.append(t);
    }
    Token end;
    end.offset = int(n);
    out.append(end);
    return out;
}

// ---- the generic tree (what sqlparser builds before SpacetimeDB looks at it) ---------------

struct Raw;
using RawPtr = std::shared_ptr<const Raw>;

struct Raw {
    enum class Kind {
        Ident,       // parts.size() == 1
        Compound,    // a.b[.c]
        Number,      // text
        String,      // text
        Hex,         // text
        Bool,        // boolValue
        Null,        // NULL
        Placeholder, // text ":name"
        Unary,       // op, left
        Binary,      // op, left, right
        Nested,      // left
        Other,       // anything SpacetimeDB rejects as an expression (functions, IS, IN, …)
    };
    Kind kind = Kind::Other;
    QStringList parts;
    QString text;
    QString op;
    bool boolValue = false;
    RawPtr left, right;
    int begin = 0, end = 0;
};

// Words sqlparser will not take as an alias after a table or a column.
bool reservedForAlias(const Token &t) {
    static const char *const words[] = {
        "SELECT",  "FROM",       "WHERE",   "GROUP",  "HAVING",    "ORDER",   "LIMIT",
        "OFFSET",  "FETCH",      "UNION",   "EXCEPT", "INTERSECT", "ON",      "JOIN",
        "INNER",   "CROSS",      "FULL",    "LEFT",   "RIGHT",     "NATURAL", "USING",
        "OUTER",   "SET",        "WITH",    "WINDOW", "QUALIFY",   "INTO",    "SORT",
        "CLUSTER", "DISTRIBUTE", "LATERAL", "TOP",    "VIEW",      "EXPLAIN", "ANALYZE",
        "END",     "PIVOT",      "UNPIVOT", "VALUES", "RETURNING"};
    if (t.kind != Token::Kind::Word)
        return false;
    for (const char *w : words)
        if (t.isKeyword(QLatin1String(w)))
            return true;
    return false;
}

// Keywords the PostgreSQL dialect reads as niladic functions: `user.x` is then not a column.
bool isNiladicFunction(const Token &t) {
    return t.isKeyword(QLatin1String("USER")) || t.isKeyword(QLatin1String("CURRENT_USER")) ||
           t.isKeyword(QLatin1String("SESSION_USER")) ||
           t.isKeyword(QLatin1String("CURRENT_CATALOG")) ||
           t.isKeyword(QLatin1String("CURRENT_ROLE"));
}

class RawParser {
public:
    RawParser(QStringView sql, QList<Token> tokens)
        : m_sql(sql)
        , m_tokens(std::move(tokens)) {}

    const Token &peek(qsizetype k = 0) const {
        return m_tokens[qMin(m_pos + k, m_tokens.size() - 1)];
    }
    const Token &next() {
        const Token &t = m_tokens[m_pos];
        if (m_pos < m_tokens.size() - 1)
            ++m_pos;
        return t;
    }
    bool accept(QStringView symbol) {
        if (!peek().is(symbol))
            return false;
        next();
        return true;
    }
    bool acceptKeyword(const char *k) {
        if (!peek().isKeyword(QLatin1String(k)))
            return false;
        next();
        return true;
    }
    // Syntax errors (what sqlparser itself reports) end parsing at once; SpacetimeDB's own
    // refusals come after the whole text parsed (see StatementParser::run).
    Error expected(const QString &what, const Token &found) const {
        m_syntaxError = true;
        return sqlError(QStringLiteral("sql parser error: Expected %1, found: %2%3")
                            .arg(what, found.display(), location(m_sql, found.offset)));
    }
    Error nestingError() const {
        m_syntaxError = true;
        return sqlError(QStringLiteral("sql parser error: recursion limit exceeded"));
    }
    QString span(int begin, int end) const {
        return m_sql.mid(begin, qMax(0, end - begin)).trimmed().toString();
    }
    int lastEnd() const {
        if (m_pos == 0)
            return 0;
        const Token &t = m_tokens[m_pos - 1];
        // Tokens do not record their length; the next token's start (minus blanks) will do.
        int end = peek().offset;
        while (end > t.offset && m_sql[end - 1].isSpace())
            --end;
        return end;
    }

    // sqlparser's nesting budget: statement, query and every sub-expression take one level.
    struct Guard {
        RawParser *p;
        bool ok;
        explicit Guard(RawParser *parser)
            : p(parser)
            , ok(++parser->m_depth <= Parser::kMaxNesting) {}
        ~Guard() { --p->m_depth; }
    };

    stdb::Expected<RawPtr> expr() { return subexpr(0); }

    stdb::Expected<RawPtr> subexpr(int precedence) {
        Guard guard(this);
        if (!guard.ok)
            return nestingError();
        auto lhs = prefix();
        if (!lhs)
            return lhs;
        RawPtr acc = *lhs;
        for (;;) {
            const int nextPrecedence = infixPrecedence();
            if (precedence >= nextPrecedence)
                break;
            auto e = infix(acc, nextPrecedence);
            if (!e)
                return e;
            acc = *e;
        }
        return acc;
    }

    int m_depth = 0;
    mutable bool m_syntaxError = false;

    // After a statement SpacetimeDB refused early: its remaining tokens, up to the next `;`.
    void skipStatementRest() {
        int level = 0;
        while (peek().kind != Token::Kind::End) {
            if (level == 0 && peek().is(u";"))
                return;
            if (peek().is(u"("))
                ++level;
            else if (peek().is(u")") && level > 0)
                --level;
            next();
        }
    }
    bool atStatementEnd() const { return peek().kind == Token::Kind::End || peek().is(u";"); }

private:
    int infixPrecedence() const {
        const Token &t = peek();
        if (t.isKeyword(QLatin1String("OR")))
            return 5;
        if (t.isKeyword(QLatin1String("AND")))
            return 10;
        if (t.isKeyword(QLatin1String("NOT"))) {
            const Token &u = peek(1);
            if (u.isKeyword(QLatin1String("IN")) || u.isKeyword(QLatin1String("BETWEEN")) ||
                u.isKeyword(QLatin1String("LIKE")) || u.isKeyword(QLatin1String("ILIKE")))
                return 20;
            return 0;
        }
        if (t.isKeyword(QLatin1String("IS")))
            return 17;
        if (t.isKeyword(QLatin1String("IN")) || t.isKeyword(QLatin1String("BETWEEN")) ||
            t.isKeyword(QLatin1String("LIKE")) || t.isKeyword(QLatin1String("ILIKE")))
            return 20;
        if (t.kind != Token::Kind::Symbol)
            return 0;
        if (t.text == u"=" || t.text == u"==" || t.text == u"!=" || t.text == u"<>" ||
            t.text == u"<" || t.text == u"<=" || t.text == u">" || t.text == u">=" ||
            t.text == u"<=>")
            return 20;
        if (t.text == u"||")
            return 21;
        if (t.text == u"+" || t.text == u"-")
            return 30;
        if (t.text == u"*" || t.text == u"/" || t.text == u"%")
            return 40;
        if (t.text == u"::")
            return 50;
        return 0;
    }

    stdb::Expected<RawPtr> infix(const RawPtr &lhs, int precedence) {
        const Token op = next();
        auto node = std::make_shared<Raw>();
        node->begin = lhs->begin;
        if (op.isKeyword(QLatin1String("OR")) || op.isKeyword(QLatin1String("AND")) ||
            op.kind == Token::Kind::Symbol) {
            if (op.is(u"::")) {
                // a cast: the type name is a word (or more); SpacetimeDB rejects it anyway
                if (peek().kind != Token::Kind::Word)
                    return expected(QStringLiteral("a data type name"), peek());
                next();
                node->kind = Raw::Kind::Other;
                node->end = lastEnd();
                return RawPtr(node);
            }
            auto rhs = subexpr(precedence);
            if (!rhs)
                return rhs;
            node->kind = Raw::Kind::Binary;
            node->op = op.text.toUpper();
            if (node->op == u"==")
                node->op = QStringLiteral("=");
            if (node->op == u"!=")
                node->op = QStringLiteral("<>");
            node->left = lhs;
            node->right = *rhs;
            node->end = (*rhs)->end;
            return RawPtr(node);
        }
        // IS [NOT] NULL/TRUE/FALSE, [NOT] IN (…), [NOT] BETWEEN a AND b, [NOT] LIKE p
        node->kind = Raw::Kind::Other;
        if (op.isKeyword(QLatin1String("IS"))) {
            acceptKeyword("NOT");
            if (!acceptKeyword("NULL") && !acceptKeyword("TRUE") && !acceptKeyword("FALSE") &&
                !acceptKeyword("UNKNOWN"))
                return expected(QStringLiteral("[NOT] NULL or TRUE|FALSE or [NOT] DISTINCT FROM "
                                               "after IS"),
                                peek());
            node->end = lastEnd();
            return RawPtr(node);
        }
        const Token kw = op.isKeyword(QLatin1String("NOT")) ? next() : op;
        if (kw.isKeyword(QLatin1String("IN"))) {
            if (!accept(u"("))
                return expected(QStringLiteral("("), peek());
            if (!accept(u")")) {
                for (;;) {
                    auto item = expr();
                    if (!item)
                        return item;
                    if (accept(u","))
                        continue;
                    if (!accept(u")"))
                        return expected(QStringLiteral(")"), peek());
                    break;
                }
            }
        } else if (kw.isKeyword(QLatin1String("BETWEEN"))) {
            auto low = subexpr(20);
            if (!low)
                return low;
            if (!acceptKeyword("AND"))
                return expected(QStringLiteral("AND"), peek());
            auto high = subexpr(20);
            if (!high)
                return high;
        } else {
            auto pattern = subexpr(20);
            if (!pattern)
                return pattern;
        }
        node->end = lastEnd();
        return RawPtr(node);
    }

    stdb::Expected<RawPtr> prefix() {
        const Token t = peek();
        auto node = std::make_shared<Raw>();
        node->begin = t.offset;
        switch (t.kind) {
        case Token::Kind::Number:
            next();
            node->kind = Raw::Kind::Number;
            node->text = t.text;
            break;
        case Token::Kind::String:
            next();
            node->kind = Raw::Kind::String;
            node->text = t.text;
            break;
        case Token::Kind::Hex:
            next();
            node->kind = Raw::Kind::Hex;
            node->text = t.text;
            break;
        case Token::Kind::Word:
            if (t.isKeyword(QLatin1String("TRUE")) || t.isKeyword(QLatin1String("FALSE"))) {
                next();
                node->kind = Raw::Kind::Bool;
                node->boolValue = t.isKeyword(QLatin1String("TRUE"));
                break;
            }
            if (t.isKeyword(QLatin1String("NULL"))) {
                next();
                node->kind = Raw::Kind::Null;
                break;
            }
            if (t.isKeyword(QLatin1String("NOT"))) {
                next();
                auto inner = subexpr(15);
                if (!inner)
                    return inner;
                node->kind = Raw::Kind::Other;
                break;
            }
            if (isNiladicFunction(t)) {
                next();
                node->kind = Raw::Kind::Other; // a function call, never a column
                break;
            }
            [[fallthrough]];
        case Token::Kind::QuotedWord: {
            next();
            node->parts.append(t.text);
            if (peek().is(u"(")) {
                auto call = skipParenthesized();
                if (call)
                    return *call;
                node->kind = Raw::Kind::Other;
                break;
            }
            while (peek().is(u".")) {
                next();
                const Token &part = peek();
                if (part.kind != Token::Kind::Word && part.kind != Token::Kind::QuotedWord)
                    return expected(QStringLiteral("an identifier or a '*' after '.'"), part);
                node->parts.append(next().text);
            }
            node->kind = node->parts.size() == 1 ? Raw::Kind::Ident : Raw::Kind::Compound;
            break;
        }
        case Token::Kind::Symbol:
            if (t.is(u"(")) {
                next();
                if (peek().isKeyword(QLatin1String("SELECT")))
                    return expected(QStringLiteral("an expression:"), peek());
                auto inner = expr();
                if (!inner)
                    return inner;
                if (!accept(u")"))
                    return expected(QStringLiteral(")"), peek());
                node->kind = Raw::Kind::Nested;
                node->left = *inner;
                break;
            }
            if (t.is(u"-") || t.is(u"+")) {
                next();
                auto inner = subexpr(30);
                if (!inner)
                    return inner;
                node->kind = Raw::Kind::Unary;
                node->op = t.text;
                node->left = *inner;
                break;
            }
            if (t.is(u":")) {
                next();
                const Token &name = peek();
                if (name.kind != Token::Kind::Word && name.kind != Token::Kind::QuotedWord)
                    return expected(QStringLiteral("identifier"), name);
                node->kind = Raw::Kind::Placeholder;
                node->text = u':' + next().text;
                break;
            }
            return expected(QStringLiteral("an expression:"), t);
        case Token::Kind::End:
            return expected(QStringLiteral("an expression:"), t);
        }
        node->end = lastEnd();
        return RawPtr(node);
    }

    // A function call's argument list; an error if it is not closed.
    std::optional<Error> skipParenthesized() {
        int level = 0;
        do {
            const Token &t = next();
            if (t.kind == Token::Kind::End)
                return expected(QStringLiteral(")"), t);
            if (t.is(u"("))
                ++level;
            else if (t.is(u")"))
                --level;
        } while (level > 0);
        return std::nullopt;
    }

public:
    QStringView m_sql;
    QList<Token> m_tokens;
    qsizetype m_pos = 0;
};

// ---- SpacetimeDB's layer: from the generic tree to its own -------------------------------

Error unsupported(const QString &what, const QString &text) {
    return sqlError(QStringLiteral("Unsupported %1: %2").arg(what, text));
}

stdb::Expected<ExprPtr> lowerExpr(const RawParser &p, const RawPtr &raw, int depth);

std::optional<Error> lowerLiteral(const RawParser &p, const RawPtr &raw, Expr &out,
                                  const QString &what) {
    out.kind = Expr::Kind::Literal;
    switch (raw->kind) {
    case Raw::Kind::Number:
        out.literal = Expr::LiteralKind::Number;
        out.text = raw->text;
        return std::nullopt;
    case Raw::Kind::String:
        out.literal = Expr::LiteralKind::String;
        out.text = raw->text;
        return std::nullopt;
    case Raw::Kind::Hex:
        out.literal = Expr::LiteralKind::Hex;
        out.text = raw->text;
        return std::nullopt;
    case Raw::Kind::Bool:
        out.literal = Expr::LiteralKind::Bool;
        out.boolValue = raw->boolValue;
        return std::nullopt;
    case Raw::Kind::Null:
        return unsupported(QStringLiteral("literal expression"), QStringLiteral("NULL"));
    case Raw::Kind::Placeholder:
        return unsupported(QStringLiteral("literal expression"), raw->text);
    case Raw::Kind::Unary:
        if (raw->left->kind == Raw::Kind::Number) {
            out.literal = Expr::LiteralKind::Number;
            out.text = raw->op + raw->left->text;
            return std::nullopt;
        }
        break;
    default:
        break;
    }
    return unsupported(what, p.span(raw->begin, raw->end));
}

stdb::Expected<ExprPtr> lowerExpr(const RawParser &p, const RawPtr &raw, int depth) {
    if (depth > Parser::kMaxExprDepth)
        return sqlError(QStringLiteral("Recursion limit exceeded, `sql-parser::parse_expr`"));
    auto e = std::make_shared<Expr>();
    switch (raw->kind) {
    case Raw::Kind::Nested:
        return lowerExpr(p, raw->left, depth + 1);
    case Raw::Kind::Placeholder:
        if (raw->text == u":sender") {
            e->kind = Expr::Kind::Sender;
            return ExprPtr(e);
        }
        break;
    case Raw::Kind::Ident:
        e->kind = Expr::Kind::Field;
        e->column = raw->parts.front();
        return ExprPtr(e);
    case Raw::Kind::Compound:
        e->kind = Expr::Kind::Field;
        e->column = raw->parts.back();
        e->table = raw->parts.mid(0, raw->parts.size() - 1).join(u'.');
        return ExprPtr(e);
    case Raw::Kind::Binary: {
        if (raw->op == u"AND" || raw->op == u"OR") {
            auto l = lowerExpr(p, raw->left, depth + 1);
            if (!l)
                return l;
            auto r = lowerExpr(p, raw->right, depth + 1);
            if (!r)
                return r;
            e->kind = raw->op == u"AND" ? Expr::Kind::And : Expr::Kind::Or;
            e->left = *l;
            e->right = *r;
            return ExprPtr(e);
        }
        auto l = lowerExpr(p, raw->left, depth + 1);
        if (!l)
            return l;
        auto r = lowerExpr(p, raw->right, depth + 1);
        if (!r)
            return r;
        static const QHash<QString, CompareOp> ops{
            {QStringLiteral("="), CompareOp::Eq}, {QStringLiteral("<>"), CompareOp::Ne},
            {QStringLiteral("<"), CompareOp::Lt}, {QStringLiteral("<="), CompareOp::Le},
            {QStringLiteral(">"), CompareOp::Gt}, {QStringLiteral(">="), CompareOp::Ge}};
        const auto it = ops.constFind(raw->op);
        if (it == ops.cend())
            return sqlError(QStringLiteral("Unsupported binary operator: %1").arg(raw->op));
        e->kind = Expr::Kind::Compare;
        e->op = *it;
        e->left = *l;
        e->right = *r;
        return ExprPtr(e);
    }
    default:
        break;
    }
    if (std::optional<Error> error = lowerLiteral(p, raw, *e, QStringLiteral("expression")))
        return *error;
    return ExprPtr(e);
}

bool hasUnqualified(const ExprPtr &e) {
    if (!e)
        return false;
    switch (e->kind) {
    case Expr::Kind::Field:
        return e->table.isEmpty();
    case Expr::Kind::Compare:
    case Expr::Kind::And:
    case Expr::Kind::Or:
        return hasUnqualified(e->left) || hasUnqualified(e->right);
    default:
        return false;
    }
}

ExprPtr qualify(const ExprPtr &e, const QString &alias) {
    if (!e)
        return e;
    switch (e->kind) {
    case Expr::Kind::Field:
        if (e->table.isEmpty()) {
            auto copy = std::make_shared<Expr>(*e);
            copy->table = alias;
            return copy;
        }
        return e;
    case Expr::Kind::Compare:
    case Expr::Kind::And:
    case Expr::Kind::Or: {
        auto copy = std::make_shared<Expr>(*e);
        copy->left = qualify(e->left, alias);
        copy->right = qualify(e->right, alias);
        return copy;
    }
    default:
        return e;
    }
}

enum class Language { Sql, Subscription };

class StatementParser {
public:
    StatementParser(QStringView sql, QList<Token> tokens, Language language)
        : m_p(sql, std::move(tokens))
        , m_language(language) {}

    // parse_sql / parse_subscription: sqlparser reads every statement first (a syntax error
    // anywhere wins), then SpacetimeDB counts them, then looks at the only one.
    stdb::Expected<Statement> run() {
        QList<Statement> statements;
        std::optional<Error> refused; // SpacetimeDB's verdict on the first statement
        int count = 0;
        bool expectDelimiter = false;
        for (;;) {
            while (m_p.accept(u";"))
                expectDelimiter = false;
            if (m_p.peek().kind == Token::Kind::End)
                break;
            if (expectDelimiter)
                return m_p.expected(QStringLiteral("end of statement"), m_p.peek());
            m_p.m_syntaxError = false;
            auto st = statement();
            ++count;
            expectDelimiter = true;
            if (st) {
                statements.append(std::move(*st));
                continue;
            }
            if (m_p.m_syntaxError)
                return st.error();
            if (!refused && count == 1)
                refused = st.error();
            m_p.skipStatementRest();
        }
        if (count > 1)
            return sqlError(QStringLiteral("Multiple SQL statements are not supported"));
        if (count == 0)
            return sqlError(QStringLiteral("Empty SQL query"));
        if (refused)
            return *refused;
        return statements.front();
    }

private:
    // The text of the statement being parsed, for "Unsupported: …".
    QString statementText() const {
        int end = int(m_p.m_sql.size());
        for (qsizetype i = m_p.m_pos; i < m_p.m_tokens.size(); ++i)
            if (m_p.m_tokens[i].is(u";")) {
                end = m_p.m_tokens[i].offset;
                break;
            }
        return m_p.span(m_start, end);
    }
    Error unsupportedStatement() const {
        return sqlError(QStringLiteral("Unsupported: %1").arg(statementText()));
    }

    stdb::Expected<Statement> statement() {
        RawParser::Guard guard(&m_p);
        if (!guard.ok)
            return m_p.nestingError();
        m_start = m_p.peek().offset;
        const Token &t = m_p.peek();
        if (t.isKeyword(QLatin1String("SELECT")) || t.is(u"(") ||
            t.isKeyword(QLatin1String("WITH"))) {
            auto s = query();
            if (!s)
                return s.error();
            return Statement(*s);
        }
        if (m_language == Language::Subscription) {
            if (t.kind == Token::Kind::Word && isStatementKeyword(t))
                return skipStatement(sqlError(QStringLiteral("Unsupported: Non-SELECT queries")));
            return m_p.expected(QStringLiteral("an SQL statement"), t);
        }
        if (t.isKeyword(QLatin1String("INSERT")))
            return insert();
        if (t.isKeyword(QLatin1String("UPDATE")))
            return update();
        if (t.isKeyword(QLatin1String("DELETE")))
            return remove();
        if (t.kind == Token::Kind::Word && isStatementKeyword(t))
            return skipStatement(unsupportedStatement());
        return m_p.expected(QStringLiteral("an SQL statement"), t);
    }

    static bool isStatementKeyword(const Token &t) {
        static const char *const words[] = {
            "INSERT",   "UPDATE",  "DELETE",     "CREATE",   "DROP",    "ALTER",
            "TRUNCATE", "SET",     "SHOW",       "EXPLAIN",  "COPY",    "GRANT",
            "REVOKE",   "BEGIN",   "COMMIT",     "ROLLBACK", "START",   "DECLARE",
            "PREPARE",  "EXECUTE", "DEALLOCATE", "MERGE",    "ANALYZE", "VALUES"};
        for (const char *w : words)
            if (t.isKeyword(QLatin1String(w)))
                return true;
        return false;
    }

    // Statements the host does not model: the real parser accepts their syntax and SpacetimeDB
    // then refuses them (SET and SHOW of system variables included: the host has none).
    static stdb::Expected<Statement> skipStatement(Error error) { return error; }

    stdb::Expected<Select> query() {
        RawParser::Guard guard(&m_p);
        if (!guard.ok)
            return m_p.nestingError();
        const Token &t = m_p.peek();
        if (!t.isKeyword(QLatin1String("SELECT")))
            return unsupportedQuery();
        m_p.next();
        if (m_p.peek().isKeyword(QLatin1String("DISTINCT")) ||
            m_p.peek().isKeyword(QLatin1String("TOP")))
            return unsupportedQuery();
        m_p.acceptKeyword("ALL");
        // Projection items, in sqlparser's shape.
        struct Item {
            enum class Kind { Wildcard, Qualified, Expr } kind;
            QStringList qualifier;
            RawPtr expr;
            std::optional<QString> alias;
        };
        QList<Item> items;
        for (;;) {
            Item item{Item::Kind::Expr, {}, nullptr, std::nullopt};
            if (m_p.accept(u"*")) {
                item.kind = Item::Kind::Wildcard;
            } else if ((m_p.peek().kind == Token::Kind::Word ||
                        m_p.peek().kind == Token::Kind::QuotedWord) &&
                       qualifiedWildcardAhead()) {
                item.kind = Item::Kind::Qualified;
                while (!m_p.peek().is(u"*")) {
                    item.qualifier.append(m_p.next().text);
                    m_p.next(); // '.'
                }
                m_p.next(); // '*'
            } else {
                if (m_p.peek().isKeyword(QLatin1String("FROM")))
                    return m_p.expected(QStringLiteral("an expression:"), m_p.peek());
                auto e = m_p.expr();
                if (!e)
                    return e.error();
                item.expr = *e;
                auto alias = optionalAlias();
                if (!alias)
                    return alias.error();
                item.alias = *alias;
            }
            items.append(item);
            if (!m_p.accept(u","))
                break;
        }
        Select st;
        bool hasFrom = false;
        RawPtr where;
        std::optional<Error> fromError;
        if (m_p.acceptKeyword("FROM")) {
            hasFrom = true;
            auto from = parseFrom(st);
            if (!from)
                return from.error();
            fromError = *from;
        }
        if (m_p.acceptKeyword("WHERE")) {
            auto e = m_p.expr();
            if (!e)
                return e.error();
            where = *e;
        }
        if (m_p.peek().isKeyword(QLatin1String("GROUP")) ||
            m_p.peek().isKeyword(QLatin1String("HAVING")) ||
            m_p.peek().isKeyword(QLatin1String("ORDER")) ||
            m_p.peek().isKeyword(QLatin1String("OFFSET")) ||
            m_p.peek().isKeyword(QLatin1String("FETCH")) ||
            m_p.peek().isKeyword(QLatin1String("UNION")) ||
            m_p.peek().isKeyword(QLatin1String("EXCEPT")) ||
            m_p.peek().isKeyword(QLatin1String("INTERSECT")))
            return unsupportedQuery();
        if (m_p.acceptKeyword("LIMIT")) {
            const Token &n = m_p.peek();
            if (m_language == Language::Subscription || n.kind != Token::Kind::Number) {
                // Parse the operand so that a malformed one is a syntax error, as on the server.
                auto e = m_p.expr();
                if (!e)
                    return e.error();
                return unsupportedQuery();
            }
            st.limit = m_p.next().text;
        }
        if (m_p.peek().isKeyword(QLatin1String("OFFSET")) ||
            m_p.peek().isKeyword(QLatin1String("FETCH")))
            return unsupportedQuery();
        if (!m_p.atStatementEnd())
            return m_p.expected(QStringLiteral("end of statement"), m_p.peek());

        // SpacetimeDB's checks, in its order: projection, FROM, WHERE for /sql; FROM, WHERE,
        // projection for subscriptions.
        auto projection = [&]() -> std::optional<Error> {
            if (items.size() == 1) {
                const Item &only = items.front();
                if (only.kind == Item::Kind::Wildcard) {
                    st.projection.kind = Projection::Kind::Star;
                    return std::nullopt;
                }
                if (only.kind == Item::Kind::Qualified) {
                    st.projection.kind = Projection::Kind::QualifiedStar;
                    st.projection.qualifier = only.qualifier.join(u'.');
                    return std::nullopt;
                }
                if (isFunction(only.expr)) {
                    if (!only.alias)
                        return sqlError(
                            QStringLiteral("Aggregate expressions must have column aliases"));
                    if (!isCountStar(only.expr))
                        return unsupported(QStringLiteral("aggregate function"),
                                           m_p.span(only.expr->begin, only.expr->end));
                    st.projection.kind = Projection::Kind::Count;
                    st.projection.countAlias = *only.alias;
                    return std::nullopt;
                }
            }
            st.projection.kind = Projection::Kind::Columns;
            for (const Item &item : items) {
                if (item.kind != Item::Kind::Expr)
                    return sqlError(QStringLiteral("Mixed wildcard projections are not supported"));
                const RawPtr &e = item.expr;
                ProjectItem pi;
                if (e->kind == Raw::Kind::Ident) {
                    pi.column = e->parts.front();
                } else if (e->kind == Raw::Kind::Compound) {
                    pi.column = e->parts.back();
                    pi.table = e->parts.mid(0, e->parts.size() - 1).join(u'.');
                } else {
                    return unsupported(QStringLiteral("projection expression"),
                                       m_p.span(e->begin, e->end));
                }
                pi.name = item.alias ? *item.alias : pi.column;
                st.projection.items.append(pi);
            }
            return std::nullopt;
        };
        auto fromAndWhere = [&]() -> std::optional<Error> {
            if (!hasFrom)
                return sqlError(QStringLiteral("A FROM clause is required"));
            if (fromError)
                return fromError;
            if (where) {
                auto e = lowerExpr(m_p, where, 0);
                if (!e)
                    return e.error();
                st.where = *e;
            }
            return std::nullopt;
        };
        if (m_language == Language::Sql) {
            if (auto e = projection())
                return *e;
            if (auto e = fromAndWhere())
                return *e;
        } else {
            if (auto e = fromAndWhere())
                return *e;
            if (auto e = projection())
                return *e;
        }

        // Qualify names of a single-table query; with joins every name must be qualified.
        if (st.joins.isEmpty()) {
            st.where = qualify(st.where, st.from.alias);
            for (ProjectItem &pi : st.projection.items)
                if (pi.table.isEmpty())
                    pi.table = st.from.alias;
        } else {
            bool unqualified = hasUnqualified(st.where);
            for (const Join &j : st.joins)
                unqualified = unqualified || hasUnqualified(j.on);
            for (const ProjectItem &pi : st.projection.items)
                unqualified = unqualified || pi.table.isEmpty();
            if (unqualified)
                return sqlError(QStringLiteral("Names must be qualified when using joins"));
        }
        return st;
    }

    // What SpacetimeDB says of a query shape it does not take (names the whole statement).
    Error unsupportedQuery() const { return unsupportedStatement(); }

    bool qualifiedWildcardAhead() const {
        qsizetype k = 0;
        for (;;) {
            const Token &name = m_p.peek(k);
            if (name.kind != Token::Kind::Word && name.kind != Token::Kind::QuotedWord)
                return false;
            if (!m_p.peek(k + 1).is(u"."))
                return false;
            if (m_p.peek(k + 2).is(u"*"))
                return true;
            k += 2;
        }
    }

    static bool isFunction(const RawPtr &e) {
        return e->kind == Raw::Kind::Other && !e->parts.isEmpty();
    }
    bool isCountStar(const RawPtr &e) const {
        const QString text = m_p.span(e->begin, e->end);
        QString compact;
        for (QChar c : text)
            if (!c.isSpace())
                compact += c;
        return e->parts.size() == 1 &&
               e->parts.front().compare(u"count", Qt::CaseInsensitive) == 0 &&
               compact.endsWith(u"(*)");
    }

    // [AS] alias; `column` aliases and `table` aliases have different reserved words only in
    // ways that do not matter for this subset.
    stdb::Expected<std::optional<QString>> optionalAlias() {
        if (m_p.acceptKeyword("AS")) {
            const Token &t = m_p.peek();
            if (t.kind != Token::Kind::Word && t.kind != Token::Kind::QuotedWord)
                return m_p.expected(QStringLiteral("an identifier after AS"), t);
            return std::optional<QString>(m_p.next().text);
        }
        const Token &t = m_p.peek();
        if (t.kind == Token::Kind::QuotedWord ||
            (t.kind == Token::Kind::Word && !reservedForAlias(t)))
            return std::optional<QString>(m_p.next().text);
        return std::optional<QString>();
    }

    stdb::Expected<TableRef> relvar() {
        const Token &t = m_p.peek();
        if (t.is(u"("))
            return sqlError(QStringLiteral("Unsupported FROM expression: %1").arg(statementText()));
        if (t.kind != Token::Kind::Word && t.kind != Token::Kind::QuotedWord)
            return m_p.expected(QStringLiteral("identifier"), t);
        QStringList parts{m_p.next().text};
        while (m_p.accept(u".")) {
            const Token &part = m_p.peek();
            if (part.kind != Token::Kind::Word && part.kind != Token::Kind::QuotedWord)
                return m_p.expected(QStringLiteral("identifier"), part);
            parts.append(m_p.next().text);
        }
        TableRef ref;
        ref.name = parts.join(u'.');
        auto alias = optionalAlias();
        if (!alias)
            return alias.error();
        ref.alias = alias->value_or(ref.name);
        return ref;
    }

    // Returns a deferred SpacetimeDB error (reported after the whole text parsed).
    stdb::Expected<std::optional<Error>> parseFrom(Select &st) {
        auto first = relvar();
        if (!first)
            return first.error();
        st.from = *first;
        std::optional<Error> deferred;
        for (;;) {
            const Token &t = m_p.peek();
            bool cross = false;
            bool outer = false;
            if (t.isKeyword(QLatin1String("JOIN"))) {
                m_p.next();
            } else if (t.isKeyword(QLatin1String("INNER")) &&
                       m_p.peek(1).isKeyword(QLatin1String("JOIN"))) {
                m_p.next();
                m_p.next();
            } else if (t.isKeyword(QLatin1String("CROSS")) &&
                       m_p.peek(1).isKeyword(QLatin1String("JOIN"))) {
                m_p.next();
                m_p.next();
                cross = true;
            } else if (t.isKeyword(QLatin1String("LEFT")) || t.isKeyword(QLatin1String("RIGHT")) ||
                       t.isKeyword(QLatin1String("FULL")) ||
                       t.isKeyword(QLatin1String("NATURAL"))) {
                m_p.next();
                m_p.acceptKeyword("OUTER");
                if (!m_p.acceptKeyword("JOIN"))
                    return m_p.expected(QStringLiteral("JOIN"), m_p.peek());
                outer = true;
            } else if (t.is(u",")) {
                m_p.next();
                auto other = relvar();
                if (!other)
                    return other.error();
                if (!deferred)
                    deferred = sqlError(QStringLiteral("Implicit joins are not supported"));
                continue;
            } else {
                break;
            }
            auto ref = relvar();
            if (!ref)
                return ref.error();
            Join join;
            join.table = *ref;
            if (m_p.acceptKeyword("ON")) {
                auto on = m_p.expr();
                if (!on)
                    return on.error();
                const RawPtr &e = *on;
                const bool simple =
                    e->kind == Raw::Kind::Binary && e->op == u"=" &&
                    (e->left->kind == Raw::Kind::Ident || e->left->kind == Raw::Kind::Compound) &&
                    (e->right->kind == Raw::Kind::Ident || e->right->kind == Raw::Kind::Compound);
                if (!simple || cross || outer) {
                    if (!deferred)
                        deferred = sqlError(QStringLiteral("Non-inner joins are not supported"));
                } else {
                    auto lowered = lowerExpr(m_p, e, 0);
                    if (!lowered)
                        return lowered.error();
                    join.on = *lowered;
                }
            } else if (m_p.acceptKeyword("USING")) {
                if (m_p.accept(u"(")) {
                    while (!m_p.accept(u")")) {
                        if (m_p.peek().kind == Token::Kind::End)
                            return m_p.expected(QStringLiteral(")"), m_p.peek());
                        m_p.next();
                    }
                }
                if (!deferred)
                    deferred = sqlError(QStringLiteral("Non-inner joins are not supported"));
            } else if (outer && !deferred) {
                deferred = sqlError(QStringLiteral("Non-inner joins are not supported"));
            }
            st.joins.append(join);
        }
        return deferred;
    }

    stdb::Expected<Statement> insert() {
        m_p.next(); // INSERT
        if (!m_p.acceptKeyword("INTO"))
            return m_p.expected(QStringLiteral("INTO"), m_p.peek());
        Insert ins;
        const Token &t = m_p.peek();
        if (t.kind != Token::Kind::Word && t.kind != Token::Kind::QuotedWord)
            return m_p.expected(QStringLiteral("identifier"), t);
        QStringList parts{m_p.next().text};
        while (m_p.accept(u"."))
            parts.append(m_p.next().text);
        ins.table = parts.join(u'.');
        if (m_p.accept(u"(")) {
            for (;;) {
                const Token &c = m_p.peek();
                if (c.kind != Token::Kind::Word && c.kind != Token::Kind::QuotedWord)
                    return m_p.expected(QStringLiteral("identifier"), c);
                m_p.next();
                ++ins.fieldCount;
                if (m_p.accept(u","))
                    continue;
                if (!m_p.accept(u")"))
                    return m_p.expected(QStringLiteral(")"), m_p.peek());
                break;
            }
        }
        if (!m_p.acceptKeyword("VALUES")) {
            if (m_p.peek().isKeyword(QLatin1String("SELECT")))
                return sqlError(
                    QStringLiteral("Unsupported INSERT expression: %1").arg(statementText()));
            return m_p.expected(QStringLiteral("SELECT, VALUES, or a subquery in the query "
                                               "body"),
                                m_p.peek());
        }
        QList<QList<RawPtr>> rows;
        for (;;) {
            if (!m_p.accept(u"("))
                return m_p.expected(QStringLiteral("("), m_p.peek());
            QList<RawPtr> row;
            if (!m_p.peek().is(u")")) {
                for (;;) {
                    auto e = m_p.expr();
                    if (!e)
                        return e.error();
                    row.append(*e);
                    if (!m_p.accept(u","))
                        break;
                }
            }
            if (!m_p.accept(u")"))
                return m_p.expected(QStringLiteral(")"), m_p.peek());
            rows.append(row);
            if (!m_p.accept(u","))
                break;
        }
        if (!m_p.atStatementEnd())
            return m_p.expected(QStringLiteral("end of statement"), m_p.peek());
        for (const QList<RawPtr> &row : rows) {
            QList<ExprPtr> values;
            for (const RawPtr &raw : row) {
                auto e = std::make_shared<Expr>();
                if (auto error = lowerLiteral(m_p, raw, *e, QStringLiteral("INSERT value")))
                    return *error;
                values.append(e);
            }
            ins.rows.append(values);
        }
        return Statement(ins);
    }

    stdb::Expected<QString> dmlTable() {
        const Token &t = m_p.peek();
        if (t.kind != Token::Kind::Word && t.kind != Token::Kind::QuotedWord)
            return m_p.expected(QStringLiteral("identifier"), t);
        QStringList parts{m_p.next().text};
        while (m_p.accept(u".")) {
            const Token &part = m_p.peek();
            if (part.kind != Token::Kind::Word && part.kind != Token::Kind::QuotedWord)
                return m_p.expected(QStringLiteral("identifier"), part);
            parts.append(m_p.next().text);
        }
        return parts.join(u'.');
    }

    stdb::Expected<Statement> update() {
        m_p.next(); // UPDATE
        auto table = dmlTable();
        if (!table)
            return table.error();
        // An alias or a join is valid syntax the server then refuses.
        if (!m_p.peek().isKeyword(QLatin1String("SET")))
            return unsupportedStatement();
        m_p.next();
        Update up;
        up.table = *table;
        QList<QPair<QString, RawPtr>> raw;
        for (;;) {
            const Token &c = m_p.peek();
            if (c.kind != Token::Kind::Word && c.kind != Token::Kind::QuotedWord)
                return m_p.expected(QStringLiteral("identifier"), c);
            QStringList parts{m_p.next().text};
            while (m_p.accept(u"."))
                parts.append(m_p.next().text);
            if (!m_p.accept(u"="))
                return m_p.expected(QStringLiteral("="), m_p.peek());
            auto e = m_p.expr();
            if (!e)
                return e.error();
            raw.append({parts.join(u'.'), *e});
            if (!m_p.accept(u","))
                break;
        }
        if (m_p.peek().isKeyword(QLatin1String("FROM")))
            return unsupportedStatement();
        RawPtr where;
        if (m_p.acceptKeyword("WHERE")) {
            auto e = m_p.expr();
            if (!e)
                return e.error();
            where = *e;
        }
        if (!m_p.atStatementEnd())
            return m_p.expected(QStringLiteral("end of statement"), m_p.peek());
        for (const auto &[column, value] : raw) {
            auto e = std::make_shared<Expr>();
            if (auto error = lowerLiteral(m_p, value, *e,
                                          QStringLiteral("column/variable assignment "
                                                         "expression")))
                return *error;
            up.assignments.append({column, e});
        }
        if (where) {
            auto e = lowerExpr(m_p, where, 0);
            if (!e)
                return e.error();
            up.where = qualify(*e, up.table);
        }
        return Statement(up);
    }

    stdb::Expected<Statement> remove() {
        m_p.next(); // DELETE
        if (!m_p.acceptKeyword("FROM"))
            return m_p.expected(QStringLiteral("FROM"), m_p.peek());
        auto table = dmlTable();
        if (!table)
            return table.error();
        Delete del;
        del.table = *table;
        std::optional<Error> deferred;
        if (m_p.peek().is(u",")) {
            while (m_p.accept(u",")) {
                auto other = dmlTable();
                if (!other)
                    return other.error();
            }
            deferred = sqlError(QStringLiteral("Multi-table DELETE is not supported"));
        } else if (!m_p.peek().isKeyword(QLatin1String("WHERE")) &&
                   m_p.peek().kind != Token::Kind::End && !m_p.peek().is(u";")) {
            return sqlError(
                QStringLiteral("Unsupported table expression in DELETE: %1").arg(statementText()));
        }
        RawPtr where;
        if (m_p.acceptKeyword("WHERE")) {
            auto e = m_p.expr();
            if (!e)
                return e.error();
            where = *e;
        }
        if (!m_p.atStatementEnd())
            return m_p.expected(QStringLiteral("end of statement"), m_p.peek());
        if (deferred)
            return *deferred;
        if (where) {
            auto e = lowerExpr(m_p, where, 0);
            if (!e)
                return e.error();
            del.where = qualify(*e, del.table);
        }
        return Statement(del);
    }

    RawParser m_p;
    Language m_language;
    int m_start = 0;
};

stdb::Expected<Statement> parse(QStringView sql, Language language) {
    auto tokens = tokenize(sql);
    if (!tokens)
        return tokens.error();
    StatementParser p(sql, std::move(*tokens), language);
    return p.run();
}

} // namespace

std::optional<Error> Parser::checkLength(QStringView sql) {
    const QByteArray utf8 = sql.toUtf8();
    if (utf8.size() <= kMaxBytes)
        return std::nullopt;
    return sqlError(
        QStringLiteral("SQL query exceeds maximum allowed length: \"%1...\"").arg(sql.left(120)));
}

stdb::Expected<Statement> Parser::parseSql(QStringView sql) {
    if (auto e = checkLength(sql))
        return *e;
    return parse(sql, Language::Sql);
}

stdb::Expected<Select> Parser::parseSubscription(QStringView sql) {
    if (auto e = checkLength(sql))
        return *e;
    auto st = parse(sql, Language::Subscription);
    if (!st)
        return st.error();
    return std::get<Select>(*st);
}

} // namespace host::sql
