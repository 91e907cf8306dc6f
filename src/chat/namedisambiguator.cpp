// SPDX-License-Identifier: Apache-2.0
#include "chat/namedisambiguator.h"

#include "chat/chatlog.h"
#include "chat/untrustedtext.h"

#include <unicode/uchar.h>
#include <unicode/uspoof.h>

#include <QSet>
#include <QStringList>

#include <memory>

namespace chat {

namespace {

struct SpoofCloser {
    void operator()(USpoofChecker *c) const { uspoof_close(c); }
};

// One checker for the process: uspoof_getSkeleton only reads it (ICU documents the const API of
// a configured checker as thread-safe).
const USpoofChecker *spoofChecker() {
    static const std::unique_ptr<USpoofChecker, SpoofCloser> checker = [] {
        UErrorCode status = U_ZERO_ERROR;
        USpoofChecker *c = uspoof_open(&status);
        if (U_FAILURE(status)) {
            qCWarning(lcChatClient) << "ICU spoof checker unavailable (" << u_errorName(status)
                                    << "): confusable names are compared without it";
            if (c)
                uspoof_close(c);
            c = nullptr;
        }
        return std::unique_ptr<USpoofChecker, SpoofCloser>(c);
    }();
    return checker.get();
}

// UTS #39 skeleton of `s`; `s` itself when ICU cannot make one.
QString skeleton(const QString &s) {
    const USpoofChecker *checker = spoofChecker();
    if (!checker || s.isEmpty())
        return s;
    const auto *in = reinterpret_cast<const UChar *>(s.constData());
    QString out(s.size() * 2 + 8, Qt::Uninitialized);
    UErrorCode status = U_ZERO_ERROR;
    int32_t n =
        uspoof_getSkeleton(checker, 0, in, int32_t(s.size()), reinterpret_cast<UChar *>(out.data()),
                           int32_t(out.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        out.resize(n);
        status = U_ZERO_ERROR;
        n = uspoof_getSkeleton(checker, 0, in, int32_t(s.size()),
                               reinterpret_cast<UChar *>(out.data()), int32_t(out.size()), &status);
    }
    if (U_FAILURE(status))
        return s;
    out.resize(n);
    return out;
}

bool isWhiteSpace(char32_t c) {
    return u_hasBinaryProperty(UChar32(c), UCHAR_WHITE_SPACE);
}

// Characters that draw nothing: controls, format characters (zero-width space and joiners,
// bidi controls, …), the other default-ignorable code points (Hangul fillers, variation
// selectors, …), and the blank Braille pattern, which fonts draw as an empty cell.
bool isIgnorable(char32_t c) {
    const int8_t type = u_charType(UChar32(c));
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR ||
           u_hasBinaryProperty(UChar32(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == 0x2800;
}

// Marks only show on a base character.
bool isMark(char32_t c) {
    return u_charType(UChar32(c)) == U_NON_SPACING_MARK;
}

// Right-to-left or bidi-control characters could reorder " (c0ffee12)" around the name.
bool needsIsolation(const QString &name) {
    for (const char32_t c : name.toUcs4()) {
        switch (QChar::direction(c)) {
        case QChar::DirR:
        case QChar::DirAL:
        case QChar::DirAN:
        case QChar::DirRLE:
        case QChar::DirRLO:
        case QChar::DirLRE:
        case QChar::DirLRO:
        case QChar::DirPDF:
        case QChar::DirLRI:
        case QChar::DirRLI:
        case QChar::DirFSI:
        case QChar::DirPDI:
            return true;
        default:
            break;
        }
    }
    return false;
}

} // namespace

QString NameDisambiguator::shortIdentity(const stdb::Identity &identity) {
    return identity.toHex().left(kSuffixDigits);
}

int NameDisambiguator::suffixDigits(const QList<stdb::Identity> &group) {
    // SpacetimeDB identities all begin with c200, so 8 digits tell apart only 16 bits: when two
    // users of a group share them (by chance, or because someone went looking for such an
    // identity), everyone in the group gets more digits, until they differ.
    QStringList hex;
    hex.reserve(group.size());
    for (const stdb::Identity &id : group)
        hex.append(id.toHex());
    for (int digits = kSuffixDigits; digits < 64; digits += 4) {
        QSet<QStringView> seen;
        bool unique = true;
        for (const QString &h : std::as_const(hex)) {
            const QStringView prefix = QStringView(h).left(digits);
            if (seen.contains(prefix)) {
                unique = false;
                break;
            }
            seen.insert(prefix);
        }
        if (unique)
            return digits;
    }
    return 64;
}

bool NameDisambiguator::isInvisible(const QString &name) {
    for (const char32_t c : name.toUcs4())
        if (!isWhiteSpace(c) && !isIgnorable(c) && !isMark(c))
            return false;
    return true;
}

QString NameDisambiguator::comparisonKey(const QString &name) {
    if (isInvisible(name))
        return {};
    // Invisible characters out, white space runs to one space, none at the ends.
    QList<char32_t> kept;
    kept.reserve(name.size());
    bool space = false;
    for (const char32_t c : name.toUcs4()) {
        if (isWhiteSpace(c)) {
            space = !kept.isEmpty();
            continue;
        }
        if (isIgnorable(c))
            continue;
        if (space)
            kept.append(U' ');
        space = false;
        kept.append(c);
    }
    const QString cleaned =
        QString::fromUcs4(kept.constData(), kept.size()).normalized(QString::NormalizationForm_KC);
    // Skeleton first: it maps the capital Cyrillic В to B, which folding would have turned
    // into в (no Latin look-alike). Then fold case, and map again for what folding produced.
    return skeleton(skeleton(cleaned).toCaseFolded());
}

QString NameDisambiguator::keyFor(const stdb::Identity &identity,
                                  const std::optional<QString> &name) const {
    // Unnamed users are shown by their identity: a name that looks like it collides with them.
    if (!name || name->isEmpty())
        return comparisonKey(identity.toShortHex());
    return comparisonKey(*name);
}

QString NameDisambiguator::computeDisplay(const stdb::Identity &identity, const Entry &e) const {
    if (!e.name || e.name->isEmpty())
        return identity.toShortHex();
    if (e.key.isEmpty())
        return tr("(no visible name) %1").arg(shortIdentity(identity));
    const QList<stdb::Identity> group = m_groups.value(e.key);
    if (group.size() < 2)
        return *e.name;
    const QString name = needsIsolation(*e.name) ? UntrustedText::isolate(*e.name) : *e.name;
    //: A name several users share, then the first 8 hex digits of this user's identity.
    return tr("%1 (%2)").arg(name, identity.toHex().left(suffixDigits(group)));
}

void NameDisambiguator::refreshGroup(const QString &key, QList<stdb::Identity> &changed) {
    if (key.isEmpty())
        return;
    for (const stdb::Identity &id : m_groups.value(key)) {
        Entry &e = m_users[id];
        QString display = computeDisplay(id, e);
        if (display != e.display) {
            e.display = std::move(display);
            if (!changed.contains(id))
                changed.append(id);
        }
    }
}

void NameDisambiguator::leaveGroup(const stdb::Identity &identity, const QString &key) {
    if (key.isEmpty())
        return;
    auto it = m_groups.find(key);
    if (it == m_groups.end())
        return;
    it->removeOne(identity);
    if (it->isEmpty())
        m_groups.erase(it);
}

void NameDisambiguator::reset(const QList<User> &users) {
    clear();
    m_users.reserve(users.size());
    for (const User &u : users) {
        Entry e{u.name, keyFor(u.identity, u.name), {}};
        if (!e.key.isEmpty())
            m_groups[e.key].append(u.identity);
        m_users.insert(u.identity, std::move(e));
    }
    for (auto it = m_users.begin(); it != m_users.end(); ++it)
        it->display = computeDisplay(it.key(), *it);
}

QList<stdb::Identity> NameDisambiguator::set(const stdb::Identity &identity,
                                             const std::optional<QString> &name) {
    QList<stdb::Identity> changed;
    auto it = m_users.find(identity);
    if (it != m_users.end() && it->name == name)
        return changed;
    const QString key = keyFor(identity, name);
    QString oldKey;
    if (it == m_users.end()) {
        it = m_users.insert(identity, Entry{name, key, {}});
    } else {
        oldKey = it->key;
        it->name = name;
        it->key = key;
    }
    if (oldKey != key || it->display.isEmpty()) {
        leaveGroup(identity, oldKey);
        if (!key.isEmpty() && !m_groups[key].contains(identity))
            m_groups[key].append(identity);
        refreshGroup(oldKey, changed);
    }
    // Our own display may change even within the same group (a new spelling).
    QString display = computeDisplay(identity, *it);
    if (display != it->display) {
        it->display = std::move(display);
        if (!changed.contains(identity))
            changed.append(identity);
    }
    refreshGroup(key, changed);
    return changed;
}

QList<stdb::Identity> NameDisambiguator::remove(const stdb::Identity &identity) {
    QList<stdb::Identity> changed;
    auto it = m_users.find(identity);
    if (it == m_users.end())
        return changed;
    const QString key = it->key;
    m_users.erase(it);
    leaveGroup(identity, key);
    refreshGroup(key, changed);
    return changed;
}

void NameDisambiguator::clear() {
    m_users.clear();
    m_groups.clear();
}

QString NameDisambiguator::displayName(const stdb::Identity &identity) const {
    const auto it = m_users.constFind(identity);
    return it == m_users.cend() ? identity.toShortHex() : it->display;
}

bool NameDisambiguator::isAmbiguous(const stdb::Identity &identity) const {
    const auto it = m_users.constFind(identity);
    return it != m_users.cend() && !it->key.isEmpty() && m_groups.value(it->key).size() > 1;
}

} // namespace chat
