// SPDX-License-Identifier: Apache-2.0
#include "spacetime/query/statement.h"

namespace stdb::query {

struct Condition::Node {
    enum class Kind { Compare, And, Or };
    Kind kind = Kind::Compare;
    Compare op = Compare::Eq;
    bool rhsIsColumn = false;
    QString lhs, rhs;
    std::shared_ptr<const Node> a, b;
};

namespace {
const char *opText(Compare op) {
    switch (op) {
    case Compare::Eq:
        return "=";
    case Compare::Ne:
        return "<>";
    case Compare::Lt:
        return "<";
    case Compare::Le:
        return "<=";
    case Compare::Gt:
        return ">";
    case Compare::Ge:
        return ">=";
    }
    return "=";
}

Compare inverse(Compare op) {
    switch (op) {
    case Compare::Eq:
        return Compare::Ne;
    case Compare::Ne:
        return Compare::Eq;
    case Compare::Lt:
        return Compare::Ge;
    case Compare::Le:
        return Compare::Gt;
    case Compare::Gt:
        return Compare::Le;
    case Compare::Ge:
        return Compare::Lt;
    }
    return op;
}
} // namespace

Condition Condition::compare(QString lhs, Compare op, const Expected<QString> &rhs) {
    Condition c;
    auto n = std::make_shared<Node>();
    n->op = op;
    n->lhs = std::move(lhs);
    if (rhs)
        n->rhs = rhs.value();
    else
        c.m_error = rhs.error();
    c.m_node = std::move(n);
    return c;
}

Condition Condition::compareColumns(QString lhs, Compare op, QString rhs) {
    Condition c = compare(std::move(lhs), op, std::move(rhs));
    auto n = std::make_shared<Node>(*c.m_node);
    n->rhsIsColumn = true;
    c.m_node = std::move(n);
    return c;
}

bool Condition::filtersScan() const {
    struct Walk {
        // The terms of nested ANDs are one flat list to the planner (PhysicalExpr::flatten).
        static bool node(const Node &n) {
            if (n.kind == Node::Kind::Compare)
                return !n.rhsIsColumn;
            return n.kind == Node::Kind::And && (node(*n.a) || node(*n.b));
        }
    };
    return m_node && Walk::node(*m_node);
}

static Condition join(const Condition &a, const Condition &b, bool conjunction) {
    return conjunction ? Condition::both(a, b) : Condition::either(a, b);
}

Condition Condition::both(const Condition &a, const Condition &b) {
    Condition c;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::And;
    n->a = a.m_node;
    n->b = b.m_node;
    c.m_node = std::move(n);
    c.m_error = a.m_error ? a.m_error : b.m_error;
    return c;
}

Condition Condition::either(const Condition &a, const Condition &b) {
    Condition c = both(a, b);
    auto n = std::make_shared<Node>(*c.m_node);
    n->kind = Node::Kind::Or;
    c.m_node = std::move(n);
    return c;
}

Condition Condition::negated() const {
    Condition c;
    c.m_error = m_error;
    if (!m_node)
        return c;
    if (m_node->kind == Node::Kind::Compare) {
        auto n = std::make_shared<Node>(*m_node);
        n->op = inverse(n->op);
        c.m_node = std::move(n);
        return c;
    }
    Condition a, b;
    a.m_node = m_node->a;
    b.m_node = m_node->b;
    Condition out = join(a.negated(), b.negated(), m_node->kind == Node::Kind::Or);
    out.m_error = m_error;
    return out;
}

Expected<QString> Condition::toSql() const {
    if (m_error)
        return *m_error;
    if (!m_node)
        return Error(Error::Kind::InvalidArgument, QStringLiteral("an empty condition"));
    struct Render {
        static void node(const Node &n, QString &out) {
            out += u'(';
            if (n.kind == Node::Kind::Compare) {
                out += n.lhs;
                out += u' ';
                out += QLatin1String(opText(n.op));
                out += u' ';
                out += n.rhs;
            } else {
                node(*n.a, out);
                out += n.kind == Node::Kind::And ? QLatin1String(" AND ") : QLatin1String(" OR ");
                node(*n.b, out);
            }
            out += u')';
        }
    };
    QString out;
    Render::node(*m_node, out);
    return out;
}

} // namespace stdb::query
