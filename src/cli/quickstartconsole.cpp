// SPDX-License-Identifier: Apache-2.0
#include "quickstartconsole.h"
#include "clilog.h"

#include "consoleoutput.h"

#include "chat/chatclient.h"
#include "chat/credentialstore.h"
#include "chat/usermodel.h"

#include "quickstart_chat/module.h"

#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/eventcontext.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

#include <algorithm>

namespace cli {

namespace {

// How long a clean exit waits for the goodbye to reach the server and for a new identity to
// be written to the keychain.
constexpr int kExitGraceMs = 5000;

} // namespace

QuickstartConsole::QuickstartConsole(CliConfig config, ConsoleOutput *output, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_output(output) {
    m_exitTimer.setSingleShot(true);
    m_exitTimer.setInterval(kExitGraceMs);
    connect(&m_exitTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcConsole) << "did not finish cleanly within" << kExitGraceMs << "ms; exiting";
        emitFinished();
    });
}

QuickstartConsole::~QuickstartConsole() = default;

QString QuickstartConsole::userNameOrIdentity(const quickstart_chat::User &user) {
    return user.name ? *user.name : user.identity.toShortHex();
}

// ---- startup -----------------------------------------------------------------------------------

void QuickstartConsole::start() {
    chat::ChatClient::Options &options = m_config.client;
    if (m_config.importRustCredentials) {
        options.rustImport = chat::ChatClient::Options::RustImport::Always;
        options.rustCredentialsPath = m_config.rustCredentialsPath;
        if (!QFileInfo::exists(m_config.rustCredentialsPath))
            m_output->err(tr("No Rust quickstart credentials at %1; nothing to import.")
                              .arg(QDir::toNativeSeparators(m_config.rustCredentialsPath)));
    }
    if (options.insecureTokenFile)
        m_output->err(tr("Warning: %1 (%2)")
                          .arg(chat::CredentialStore::insecureWarning(),
                               QDir::toNativeSeparators(
                                   chat::CredentialStore::tokenFilePath(options.profile))));
    if (!m_config.forgetIdentity || options.anonymous) {
        startClient();
        return;
    }
    // Forget first, with a store of our own, so the client then starts like a first run (and
    // may import the Rust identity in its place).
    m_preStore = new chat::CredentialStore(this);
    m_preStore->setInsecureFileStore(options.insecureTokenFile);
    connect(m_preStore, &chat::CredentialStore::problem, this,
            [this](const QString &, const QString &message) { m_output->err(message); });
    connect(m_preStore, &chat::CredentialStore::forgotten, this, [this](const QString &key) {
        if (key != m_config.client.profile.credentialKey())
            return;
        m_output->err(tr("Forgot the stored identity of profile \"%1\"; connecting with a new "
                         "one.")
                          .arg(m_config.client.profile.name()));
        m_preStore->deleteLater();
        m_preStore = nullptr;
        startClient();
    });
    m_preStore->forget(options.profile);
}

void QuickstartConsole::startClient() {
    m_client = new chat::ChatClient(m_config.client, this);
    chat::CredentialStore *store = m_client->credentials();
    const QString key = m_config.client.profile.credentialKey();
    connect(store, &chat::CredentialStore::loaded, this,
            [this, key](const QString &k, const QString &token) {
                if (k != key)
                    return;
                m_loadedToken = token;
                m_tokenLoaded = true;
            });
    connect(store, &chat::CredentialStore::saved, this, [this, key](const QString &k) {
        if (k == key) {
            m_tokenSettled = true;
            checkDone();
        }
    });
    connect(store, &chat::CredentialStore::problem, this, [this, key](const QString &k) {
        if (k == key) {
            m_tokenSettled = true;
            checkDone();
        }
    });
    connect(m_client, &chat::ChatClient::credentialWarning, this,
            [this](const QString &text) { m_output->err(text); });
    connect(m_client, &chat::ChatClient::storageProblem, this,
            [this](const QString &text) { m_output->err(text); });
    connect(m_client, &chat::ChatClient::identityChanged, this, &QuickstartConsole::attachModule);
    connect(m_client, &chat::ChatClient::synchronized, this, &QuickstartConsole::onSynchronized);
    connect(m_client, &chat::ChatClient::connectionProblem, this,
            &QuickstartConsole::onConnectionProblem);
    connect(m_client, &chat::ChatClient::stateChanged, this, &QuickstartConsole::onStateChanged);

    connect(
        m_client, &chat::ChatClient::messageRejected, this,
        [this](const QString &text, const QString &reason) {
            m_output->err(
                QStringLiteral("Failed to send message %1: %2").arg(rustDebugQuoted(text), reason));
        });
    connect(m_client, &chat::ChatClient::messageFailed, this,
            [this](qint64 localId, const QString &reason) {
                const auto it = m_messagesInFlight.constFind(localId);
                if (it == m_messagesInFlight.cend())
                    return;
                m_output->err(QStringLiteral("Failed to send message %1: %2")
                                  .arg(rustDebugQuoted(it.value()), reason));
                m_messagesInFlight.erase(it);
                // The console does not retry: a script sees the failure and decides.
                m_client->discardMessage(localId);
                checkDone();
            });
    connect(m_client, &chat::ChatClient::messageDelivered, this, [this](qint64 localId) {
        if (m_messagesInFlight.remove(localId))
            checkDone();
    });
    connect(m_client, &chat::ChatClient::nameRejected, this,
            [this](const QString &name, const QString &reason) {
                m_output->err(QStringLiteral("Failed to change name to %1: %2")
                                  .arg(rustDebugQuoted(name), reason));
                if (!m_insideSetName && m_namesInFlight > 0) {
                    --m_namesInFlight;
                    checkDone();
                }
            });
    connect(m_client, &chat::ChatClient::nameChanged, this, [this] {
        if (m_namesInFlight > 0) {
            --m_namesInFlight;
            checkDone();
        }
    });
    m_client->start();
}

// ---- table events ------------------------------------------------------------------------------

void QuickstartConsole::attachModule() {
    quickstart_chat::Module *module = m_client ? m_client->module() : nullptr;
    if (!module || module == m_module)
        return;
    if (m_module) {
        QObject::disconnect(m_module->user(), nullptr, this, nullptr);
        QObject::disconnect(m_module->message(), nullptr, this, nullptr);
    }
    m_module = module;
    // Our own directory of users: see lookupUser().
    m_users.clear();
    module->user()->forEach(
        [this](const quickstart_chat::User &u) { m_users.insert(u.identity, u); });
    connect(module->user(), &quickstart_chat::UserTable::rowDeleted, this,
            [this](const quickstart_chat::User &row) { m_users.remove(row.identity); });
    connect(module->user(), &quickstart_chat::UserTable::rowInserted, this,
            &QuickstartConsole::onUserInserted);
    connect(module->user(), &quickstart_chat::UserTable::rowUpdated, this,
            &QuickstartConsole::onUserUpdated);
    connect(module->message(), &quickstart_chat::MessageTable::rowsChanged, this,
            [this](const quickstart_chat::MessageTable::Changes &changes,
                   const stdb::EventContext &ctx) { onMessagesChanged(changes.inserted, ctx); });
}

static bool isLive(const stdb::EventContext &ctx) {
    switch (ctx.kind()) {
    case stdb::EventContext::Kind::Transaction:
    case stdb::EventContext::Kind::Reducer:
    case stdb::EventContext::Kind::Resync: // what changed while the connection was down
        return true;
    default:
        return false;
    }
}

void QuickstartConsole::onUserInserted(const quickstart_chat::User &row,
                                       const stdb::EventContext &ctx) {
    m_users.insert(row.identity, row);
    if (!m_backlogPrinted) {
        // Reported together with the backlog, in arrival order.
        if (!m_initialUserSeen.contains(row.identity)) {
            m_initialUserSeen.insert(row.identity);
            m_initialUserOrder.append(row.identity);
        }
        return;
    }
    if (isLive(ctx) && row.online)
        m_output->outUntrusted(QStringLiteral("User %1 connected.").arg(userNameOrIdentity(row)));
}

void QuickstartConsole::onUserUpdated(const quickstart_chat::User &oldRow,
                                      const quickstart_chat::User &newRow,
                                      const stdb::EventContext &ctx) {
    if (oldRow.identity != newRow.identity)
        m_users.remove(oldRow.identity);
    m_users.insert(newRow.identity, newRow);
    if (!m_backlogPrinted || !isLive(ctx))
        return;
    if (oldRow.name != newRow.name)
        m_output->outUntrusted(QStringLiteral("User %1 renamed to %2.")
                                   .arg(userNameOrIdentity(oldRow), userNameOrIdentity(newRow)));
    if (oldRow.online && !newRow.online)
        m_output->outUntrusted(
            QStringLiteral("User %1 disconnected.").arg(userNameOrIdentity(newRow)));
    if (!oldRow.online && newRow.online)
        m_output->outUntrusted(
            QStringLiteral("User %1 connected.").arg(userNameOrIdentity(newRow)));
}

void QuickstartConsole::onMessagesChanged(const QList<quickstart_chat::Message> &inserted,
                                          const stdb::EventContext &ctx) {
    if (!m_backlogPrinted || !isLive(ctx) || inserted.isEmpty())
        return;
    QList<quickstart_chat::Message> rows = inserted;
    std::stable_sort(rows.begin(), rows.end(),
                     [](const quickstart_chat::Message &a, const quickstart_chat::Message &b) {
                         return a.sent.micros() < b.sent.micros();
                     });
    for (const quickstart_chat::Message &m : std::as_const(rows))
        printMessage(m);
}

void QuickstartConsole::printMessage(const quickstart_chat::Message &message) {
    const std::optional<quickstart_chat::User> user = lookupUser(message.sender);
    const QString sender = user ? senderName(*user) : QStringLiteral("unknown");
    m_output->outUntrusted(sender + QLatin1String(": ") + message.text);
}

QString QuickstartConsole::senderName(const quickstart_chat::User &user) const {
    // The user model follows the same table; use its display only while it has this very name.
    const chat::UserModel *users = m_client ? m_client->users() : nullptr;
    const std::optional<chat::ChatUser> known =
        users ? users->user(user.identity) : std::optional<chat::ChatUser>();
    if (known && known->name == user.name)
        return users->displayName(user.identity);
    return userNameOrIdentity(user);
}

std::optional<quickstart_chat::User> QuickstartConsole::lookupUser(const stdb::Identity &identity) {
    // The user table's primary-key lookup (findByIdentity) is not used: after a row has been
    // updated twice it can miss rows that are there (see docs/cli.md, known issues). Our map
    // follows the table's signals; a miss (a user whose row arrives later in the same server
    // message, e.g. during a resync) rescans the cached rows once.
    auto it = m_users.constFind(identity);
    if (it != m_users.cend())
        return it.value();
    if (!m_module)
        return std::nullopt;
    m_users.clear();
    m_module->user()->forEach(
        [this](const quickstart_chat::User &u) { m_users.insert(u.identity, u); });
    it = m_users.constFind(identity);
    if (it != m_users.cend())
        return it.value();
    return std::nullopt;
}

void QuickstartConsole::onSynchronized() {
    attachModule();
    if (!m_backlogPrinted && m_module) {
        m_backlogPrinted = true;
        // Everyone online in the first snapshot, in the order the rows arrived (rows we did
        // not see arrive, if any, after them by name).
        QList<quickstart_chat::User> users = m_module->user()->rows();
        std::sort(users.begin(), users.end(),
                  [](const quickstart_chat::User &a, const quickstart_chat::User &b) {
                      return userNameOrIdentity(a) < userNameOrIdentity(b);
                  });
        QHash<stdb::Identity, qsizetype> rank;
        for (qsizetype i = 0; i < m_initialUserOrder.size(); ++i)
            rank.insert(m_initialUserOrder.at(i), i);
        std::stable_sort(users.begin(), users.end(),
                         [&rank](const quickstart_chat::User &a, const quickstart_chat::User &b) {
                             return rank.value(a.identity, LLONG_MAX) <
                                    rank.value(b.identity, LLONG_MAX);
                         });
        for (const quickstart_chat::User &u : std::as_const(users))
            if (u.online)
                m_output->outUntrusted(
                    QStringLiteral("User %1 connected.").arg(userNameOrIdentity(u)));
        m_initialUserOrder.clear();
        m_initialUserSeen.clear();

        QList<quickstart_chat::Message> backlog = m_module->message()->rows();
        std::stable_sort(backlog.begin(), backlog.end(),
                         [](const quickstart_chat::Message &a, const quickstart_chat::Message &b) {
                             return a.sent.micros() < b.sent.micros();
                         });
        for (const quickstart_chat::Message &m : std::as_const(backlog))
            printMessage(m);
        m_output->out(QStringLiteral("Fully connected and all subscriptions applied."));
        m_output->out(QStringLiteral("Use /name to set your name, or type a message!"));
    }
    drainInput();
    checkDone();
}

// ---- connection --------------------------------------------------------------------------------

void QuickstartConsole::onConnectionProblem(const QString &text) {
    if (m_finishing)
        return;
    if (!m_backlogPrinted) {
        // The official client gives up when the first connection fails.
        fail(QStringLiteral("Connection error: %1").arg(text));
        return;
    }
    // Each reconnect attempt fails the same way while the server is down: say it once.
    if (m_outageProblems.contains(text))
        return;
    m_outageProblems.insert(text);
    m_output->err(text);
}

void QuickstartConsole::onStateChanged() {
    if (m_finishing || !m_client)
        return;
    switch (m_client->state()) {
    case chat::ChatClient::State::Error:
        if (m_backlogPrinted &&
            m_client->errorSource() == chat::ChatClient::ErrorSource::Subscription) {
            // Still connected; the client asks again (onConnectionProblem printed the
            // server's reason). Before the backlog the official client's rule holds: the
            // problem ended the run already.
            m_outage = true;
            if (m_client->reconnectSeconds() > 0)
                m_output->err(tr("Trying again in %n s.", nullptr, m_client->reconnectSeconds()));
            break;
        }
        // The reason may follow the state change (the connection reports its error right
        // after its state): read it on the next turn.
        QTimer::singleShot(0, this, [this] {
            if (m_finishing || m_client->state() != chat::ChatClient::State::Error)
                return;
            fail((m_backlogPrinted ? QStringLiteral("Disconnected: %1")
                                   : QStringLiteral("Connection error: %1"))
                     .arg(m_client->lastError()));
        });
        break;
    case chat::ChatClient::State::Reconnecting:
        if (m_backlogPrinted && !m_outage) {
            m_outage = true;
            m_output->err(tr("Reconnecting…"));
        }
        break;
    case chat::ChatClient::State::Online:
        if (m_outage) {
            m_outage = false;
            m_output->err(tr("Reconnected."));
        }
        m_outageProblems.clear();
        break;
    default:
        break;
    }
}

// ---- input -------------------------------------------------------------------------------------

void QuickstartConsole::handleLine(const QString &line) {
    if (m_finishing)
        return;
    m_queue.append(line);
    drainInput();
}

void QuickstartConsole::endOfInput() {
    m_inputDone = true;
    checkDone();
}

void QuickstartConsole::drainInput() {
    // Only while in sync: then names and messages go out in the order they were typed.
    // Before (or during a reconnect) messages would wait in the outbox while a name change
    // went first.
    while (!m_finishing && m_client && m_client->isSynced() && !m_queue.isEmpty())
        issue(m_queue.takeFirst());
}

void QuickstartConsole::issue(const QString &line) {
    static const QLatin1String kNamePrefix("/name ");
    if (line.startsWith(kNamePrefix)) {
        const QString name = line.mid(kNamePrefix.size());
        m_insideSetName = true;
        const bool called = m_client->setName(name);
        m_insideSetName = false;
        if (called)
            ++m_namesInFlight;
        return;
    }
    const qint64 localId = m_client->sendMessage(line);
    if (localId != 0)
        m_messagesInFlight.insert(localId, line);
}

bool QuickstartConsole::tokenSavePending() const {
    if (!m_client || m_config.client.anonymous || m_tokenSettled)
        return false;
    const stdb::DbConnection *conn = m_client->connection();
    if (!conn || !conn->hasIdentity())
        return false;
    // The client saves a token it did not load (a new identity, or an imported one).
    return !m_tokenLoaded || conn->token() != m_loadedToken;
}

void QuickstartConsole::checkDone() {
    if (!m_inputDone || !m_backlogPrinted || !m_client)
        return;
    if (m_finishing) {
        if (!tokenSavePending())
            emitFinished();
        return;
    }
    if (!m_queue.isEmpty() || !m_messagesInFlight.isEmpty() || m_namesInFlight > 0)
        return;
    disconnectAndFinish(0);
}

void QuickstartConsole::emitFinished() {
    if (m_finished)
        return;
    m_finished = true;
    m_exitTimer.stop();
    emit finished(m_exitCode);
}

void QuickstartConsole::fail(const QString &line) {
    if (m_finishing)
        return;
    m_output->err(line);
    disconnectAndFinish(1);
}

void QuickstartConsole::disconnectAndFinish(int exitCode) {
    m_finishing = true;
    m_exitCode = exitCode;
    m_exitTimer.start();
    if (!m_client) {
        emitFinished();
        return;
    }
    stdb::DbConnection *conn = m_client->connection();
    const bool waitForClose = conn && conn->state() != stdb::DbConnection::State::Disconnected;
    auto done = [this] {
        if (!tokenSavePending())
            emitFinished();
        // else: the keychain's answer calls checkDone(), or the timer gives up
    };
    if (waitForClose) {
        // Let the close handshake reach the server so it marks us offline at once.
        connect(conn, &stdb::DbConnection::stateChanged, this, [done](stdb::DbConnection::State s) {
            if (s == stdb::DbConnection::State::Disconnected)
                done();
        });
    }
    m_client->stop();
    if (!waitForClose || conn->state() == stdb::DbConnection::State::Disconnected)
        QTimer::singleShot(0, this, done);
}

} // namespace cli
