// SPDX-License-Identifier: Apache-2.0
// Untrusted text in the views that need no server: the bidi isolation helper, the Widgets
// delegates (rendered to images), notification bodies (freedesktop markup) and the console
// client's terminal output (through a real pseudo terminal). Each check would fail if the view
// interpreted network text as markup or let it reorder or escape its surroundings.

#include "hostiletext.h"

#include "connectionstatus.h"
#include "desktop/notifier.h"
#include "messagedelegate.h"
#include "messageinput.h"
#include "renamedialog.h"
#include "userdelegate.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif

#include "consoleoutput.h"

#include "chat/chattypes.h"
#include "chat/messagemodel.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

#include <QApplication>
#include <QHelpEvent>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QStandardItemModel>
#include <QTest>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolTip>

#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

using desktop::Notifier;
#ifdef STDB_DESKTOP_HAVE_DBUS
using desktop::DBusNotifier;
#endif
using chat::MessageModel;
using chat::UntrustedText;
using chat::UserModel;

namespace {

// x positions of the first occurrence of two substrings when `text` is laid out on one line.

QStandardItem *messageItem(const QString &sender, const QString &text, bool own = false) {
    auto *item = new QStandardItem;
    item->setData(text, MessageModel::TextRole);
    item->setData(sender, MessageModel::SenderNameRole);
    item->setData(QStringLiteral("c200d9e25c51996d0000000000000000"),
                  MessageModel::SenderIdentityRole);
    item->setData(QDateTime(QDate(2026, 11, 23), QTime(14, 5)), MessageModel::SentRole);
    item->setData(own, MessageModel::IsOwnRole);
    item->setData(QVariant::fromValue(chat::DeliveryState::Sent), MessageModel::DeliveryStateRole);
    item->setData(true, MessageModel::FirstOfGroupRole);
    item->setData(false, MessageModel::DayChangedRole);
    item->setData(qint64(0), MessageModel::LocalIdRole);
    return item;
}

QStyleOptionViewItem viewOption(const QRect &rect) {
    QStyleOptionViewItem option;
    option.rect = rect;
    option.palette = QApplication::palette();
    option.font = QApplication::font();
    option.fontMetrics = QFontMetrics(option.font);
    option.state = QStyle::State_Enabled;
    return option;
}

QImage paintRow(QAbstractItemDelegate *delegate, const QModelIndex &index, int width) {
    QStyleOptionViewItem option = viewOption(QRect(0, 0, width, 10));
    const QSize size = delegate->sizeHint(option, index);
    option.rect = QRect(QPoint(0, 0), QSize(width, size.height()));
    QImage image(option.rect.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    delegate->paint(&painter, option, index);
    painter.end();
    return image;
}

// Plain text of an HTML fragment as a rich-text renderer (tooltip, freedesktop body) shows it.
QString renderedHtml(const QString &html) {
    QTextDocument doc;
    doc.setHtml(html);
    return doc.toPlainText();
}

} // namespace

class TestUntrustedText : public QObject {
    Q_OBJECT

private slots:
    // ---- the isolation helper ------------------------------------------------------------

    void isolateKeepsTextAndContainsIt() {
        const QString fsi(QChar(0x2068)), pdi(QChar(0x2069));
        QCOMPARE(UntrustedText::isolate(QStringLiteral("<b>Bob</b>")),
                 fsi + QStringLiteral("<b>Bob</b>") + pdi);
        QCOMPARE(UntrustedText::isolate(hostile::zeroWidth()), fsi + hostile::zeroWidth() + pdi);
        // Bidi controls go, breaks become spaces, other controls U+FFFD.
        QCOMPARE(UntrustedText::isolate(hostile::bidiEscape()), fsi + QStringLiteral("xy") + pdi);
        QCOMPARE(UntrustedText::isolate(QStringLiteral("a\nb\tc\x1b")),
                 fsi + QStringLiteral("a b c\uFFFD") + pdi);
        QString nul = QStringLiteral("a");
        nul += QChar(0);
        QCOMPARE(UntrustedText::isolate(nul), fsi + QStringLiteral("a\uFFFD") + pdi);
    }

    void isolatedNameCannotReorderTheSentence_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("override") << hostile::rlo() + QStringLiteral("evil");
        QTest::newRow("stray pop isolate, then override") << hostile::bidiEscape();
        QTest::newRow("unclosed right-to-left isolate")
            << QString(QChar(0x2067)) + QStringLiteral("evil");
        QTest::newRow("right-to-left embedding") << QString(QChar(0x202B)) + QStringLiteral("evil");
        QTest::newRow("hebrew") << QStringLiteral("\u05e9\u05dc\u05d5\u05dd");
    }
    void isolatedNameCannotReorderTheSentence() {
        QFETCH(QString, name);
        // The sentences the app builds around names and server texts.
        const QString mention = QStringLiteral("%1 mentioned you");
        const QString title = QStringLiteral("%1 — quickstart-chat on 127.0.0.1 — Spacetime Chat");
        QVERIFY(hostile::drawnInOrder(mention.arg(UntrustedText::isolate(name)),
                                      QStringLiteral("mentioned"), QStringLiteral("you")));
        QVERIFY(hostile::drawnInOrder(title.arg(UntrustedText::isolate(name)),
                                      QStringLiteral("quickstart"), QStringLiteral("Spacetime")));
        QVERIFY(hostile::drawnInOrder(
            QStringLiteral("Not delivered: %1. Right-click to retry or discard.")
                .arg(UntrustedText::isolate(name)),
            QStringLiteral("Right"), QStringLiteral("discard")));
    }

    // The check above means something: without the isolate an override reorders our words.
    void withoutIsolationTheSentenceIsReordered() {
        QVERIFY(
            !hostile::drawnInOrder(QStringLiteral("%1 mentioned you").arg(hostile::bidiOverride()),
                                   QStringLiteral("mentioned"), QStringLiteral("you")));
        // An isolate around the raw text is not enough: the stray U+2069 closes it early.
        const QString naive = QString(QChar(0x2068)) + hostile::bidiEscape() + QChar(0x2069) +
                              QStringLiteral(" mentioned you");
        QVERIFY(!hostile::drawnInOrder(naive, QStringLiteral("mentioned"), QStringLiteral("you")));
    }

    // ---- the message delegate ----------------------------------------------------------------

    void messageDelegateShowsMarkupLiterally() {
        MessageDelegate delegate;
        delegate.setWidth(600);
        QStandardItemModel model;
        for (const auto &pair : hostile::markupPairs()) {
            model.clear();
            model.appendRow(messageItem(QStringLiteral("Bob"), pair.markup));
            model.appendRow(messageItem(QStringLiteral("Bob"), pair.renderedAsHtml));
            const QModelIndex markup = model.index(0, 0);
            QCOMPARE(MessageDelegate::displayText(markup), pair.markup);
            // As HTML both rows would look the same; as plain text they must not.
            QVERIFY2(paintRow(&delegate, markup, 600) !=
                         paintRow(&delegate, model.index(1, 0), 600),
                     qPrintable(pair.markup));
        }
        for (const QString &text : hostile::markup()) {
            model.clear();
            model.appendRow(messageItem(QStringLiteral("Bob"), text));
            QCOMPARE(MessageDelegate::displayText(model.index(0, 0)), text);
        }
    }

    void messageDelegateSenderMarkupLiteral() {
        MessageDelegate delegate;
        delegate.setWidth(600);
        QStandardItemModel model;
        model.appendRow(messageItem(QStringLiteral("<span>Bob</span>"), QStringLiteral("hi")));
        model.appendRow(messageItem(QStringLiteral("Bob"), QStringLiteral("hi")));
        QVERIFY(paintRow(&delegate, model.index(0, 0), 600) !=
                paintRow(&delegate, model.index(1, 0), 600));
    }

    // An override in the text runs only inside the text: the header (sender, time) is drawn on
    // its own, pixel for pixel the same as for harmless text.
    void bidiInTextCannotMoveSenderOrTime() {
        MessageDelegate delegate;
        delegate.setWidth(600);
        QStandardItemModel model;
        model.appendRow(messageItem(QStringLiteral("Bob"), hostile::rlo() + QStringLiteral("abc")));
        model.appendRow(messageItem(QStringLiteral("Bob"), QStringLiteral("abc")));
        model.appendRow(messageItem(QStringLiteral("Bob"), hostile::rlo() + QStringLiteral("abc"),
                                    /*own=*/true));
        const QImage evil = paintRow(&delegate, model.index(0, 0), 600);
        const QImage plain = paintRow(&delegate, model.index(1, 0), 600);
        QCOMPARE(evil.size(), plain.size());
        const int headerHeight = QFontMetrics(QApplication::font()).height() + 10;
        const QRect header(0, 0, 600, headerHeight);
        QCOMPARE(evil.copy(header), plain.copy(header));
        QVERIFY(evil != plain); // the override does act on the text itself
    }

    void longLineWraps() {
        MessageDelegate delegate;
        delegate.setWidth(500);
        QStandardItemModel model;
        model.appendRow(messageItem(QStringLiteral("Bob"), hostile::longLine()));
        const QModelIndex index = model.index(0, 0);
        const int lineHeight = QFontMetrics(QApplication::font()).height();
        // Collapsed (the default for a message this long): a few lines high, within width.
        const QSize collapsed = delegate.sizeHint(viewOption(QRect(0, 0, 500, 10)), index);
        QCOMPARE(collapsed.width(), 500);
        QVERIFY2(collapsed.height() < 16 * lineHeight,
                 qPrintable(QString::number(collapsed.height())));
        // Expanded: 100 000 characters without a space are broken anywhere: many lines, all
        // within width.
        model.setData(index, true, chat::MessageModel::ExpandedRole);
        const QSize size = delegate.sizeHint(viewOption(QRect(0, 0, 500, 10)), index);
        QCOMPARE(size.width(), 500);
        QVERIFY2(size.height() > 100 * lineHeight, qPrintable(QString::number(size.height())));
        const QImage image = paintRow(&delegate, index, 500);
        QCOMPARE(image.width(), 500);
        // The sender's name is elided, not pushing the time out of the row.
        model.clear();
        model.appendRow(messageItem(hostile::longLine(), QStringLiteral("hi")));
        QVERIFY(delegate.sizeHint(viewOption(QRect(0, 0, 500, 10)), model.index(0, 0)).height() <
                10 * lineHeight);
        paintRow(&delegate, model.index(0, 0), 500);
    }

    void deliveryErrorIsolatedAndTooltipEscaped() {
        QStandardItemModel model;
        QStandardItem *item = messageItem(QStringLiteral("me"), QStringLiteral("hi"), true);
        item->setData(QVariant::fromValue(chat::DeliveryState::Failed),
                      MessageModel::DeliveryStateRole);
        item->setData(qint64(7), MessageModel::LocalIdRole);
        const QString error = QStringLiteral("<b>refused</b>") + hostile::rlo();
        item->setData(error, MessageModel::ErrorRole);
        model.appendRow(item);
        const QString status = MessageDelegate::deliveryText(model.index(0, 0));
        QVERIFY(status.contains(UntrustedText::isolate(error)));
        QVERIFY(hostile::drawnInOrder(status, QStringLiteral("Right"), QStringLiteral("discard")));

        // The tooltip (QToolTip guesses rich text) shows the error literally.
        QListView view;
        view.setModel(&model);
        view.resize(400, 200);
        MessageDelegate delegate;
        QHelpEvent event(QEvent::ToolTip, QPoint(5, 5), QPoint(5, 5));
        QVERIFY(
            delegate.helpEvent(&event, &view, viewOption(QRect(0, 0, 400, 60)), model.index(0, 0)));
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(renderedHtml(QToolTip::text()).contains(QStringLiteral("<b>refused</b>")),
                 qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    // ---- the people list ---------------------------------------------------------------------

    void userDelegateShowsMarkupLiterally() {
        UserDelegate delegate;
        QStandardItemModel model;
        for (const auto &pair : hostile::markupPairs()) {
            model.clear();
            for (const QString &name : {pair.markup, pair.renderedAsHtml}) {
                auto *item = new QStandardItem;
                item->setData(name, UserModel::DisplayNameRole);
                item->setData(true, UserModel::OnlineRole);
                item->setData(false, UserModel::IsSelfRole);
                item->setData(QStringLiteral("c200"), UserModel::IdentityRole);
                model.appendRow(item);
            }
            QVERIFY2(paintRow(&delegate, model.index(0, 0), 300) !=
                         paintRow(&delegate, model.index(1, 0), 300),
                     qPrintable(pair.markup));
        }
        // Tooltip: name literal, identity shown.
        model.clear();
        auto *item = new QStandardItem;
        item->setData(QStringLiteral("<img src=x><b>Eve</b>"), UserModel::DisplayNameRole);
        item->setData(true, UserModel::OnlineRole);
        item->setData(QStringLiteral("c200abcdef"), UserModel::IdentityRole);
        model.appendRow(item);
        QListView view;
        view.setModel(&model);
        QHelpEvent event(QEvent::ToolTip, QPoint(5, 5), QPoint(5, 5));
        QVERIFY(
            delegate.helpEvent(&event, &view, viewOption(QRect(0, 0, 300, 30)), model.index(0, 0)));
        QTRY_VERIFY(QToolTip::isVisible());
        const QString shown = renderedHtml(QToolTip::text());
        QVERIFY2(shown.contains(QStringLiteral("<img src=x><b>Eve</b>")), qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("c200abcdef")));
        QToolTip::hideText();
    }

    // ---- notifications -----------------------------------------------------------------------

    void notificationBodyIsOneShortPlainLine() {
        const QString body = Notifier::shorten(hostile::longLine());
        QVERIFY(body.size() <= Notifier::kMaxBody);
        const QString controls = Notifier::shorten(hostile::controls() + hostile::forgedLine());
        for (const QChar c : controls)
            QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() >= 0xa0),
                     qPrintable(QString::number(c.unicode(), 16)));
        QVERIFY(controls.contains(QStringLiteral("hello alice: please")));
    }

#ifdef STDB_DESKTOP_HAVE_DBUS
    // The freedesktop body is markup: what the notification server renders must be our text.
    void freedesktopBodyRendersLiterally() {
        QStringList texts = hostile::markup();
        for (const auto &pair : hostile::markupPairs())
            texts << pair.markup;
        for (const QString &text : std::as_const(texts))
            QCOMPARE(renderedHtml(DBusNotifier::escapeBody(text)), text);
    }
#endif

    // ---- labels --------------------------------------------------------------------------------

    // Every label the app puts network text into is plain text (AutoText would guess HTML).
    void renameDialogErrorIsPlainText() {
        RenameDialog dialog(nullptr);
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QVERIFY(error);
        QCOMPARE(error->textFormat(), Qt::PlainText);
        // Typing a name with markup: the dialog shows the rule, the label stays plain.
        dialog.setName(QString(70, QLatin1Char('<')));
        QCOMPARE(error->textFormat(), Qt::PlainText);
    }

    // The connection state (with the server's reason) and the input's problem line show
    // network text; as rich text the markup and its rendering would look the same.
    void statusAndInputLabelsRenderLiterally() {
        const auto grabLabel = [](QWidget *w, const char *name) {
            w->resize(500, 60);
            QLabel *label = w->findChild<QLabel *>(QString::fromLatin1(name));
            return label ? label->grab().toImage() : QImage();
        };
        for (const auto &pair : hostile::markupPairs()) {
            ConnectionStatus a, b;
            a.setState(chat::ChatClient::State::Error, 0, pair.markup);
            b.setState(chat::ChatClient::State::Error, 0, pair.renderedAsHtml);
            QVERIFY(a.stateText().contains(pair.markup));
            QVERIFY2(grabLabel(&a, "connectionState") != grabLabel(&b, "connectionState"),
                     qPrintable(pair.markup));
            // Its tooltip is HTML on purpose, with the reason escaped.
            const QString tip = a.findChild<QLabel *>(QStringLiteral("connectionState"))->toolTip();
            QCOMPARE(renderedHtml(tip), pair.markup);

            MessageInput c, d;
            c.showProblem(pair.markup);
            d.showProblem(pair.renderedAsHtml);
            QVERIFY2(grabLabel(&c, "inputProblem") != grabLabel(&d, "inputProblem"),
                     qPrintable(pair.markup));
        }
    }

    // ---- the console client on a terminal ----------------------------------------------------

    void terminalGetsNoRawControls() {
        int master = -1, slave = -1;
        QVERIFY(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
        // Raw mode: the terminal driver passes our bytes through unchanged.
        struct termios tio;
        ::tcgetattr(slave, &tio);
        ::cfmakeraw(&tio);
        ::tcsetattr(slave, TCSANOW, &tio);
        // The terminal buffers only a few KiB: read while writing.
        QByteArray bytes;
        std::thread reader([master, &bytes] {
            char buf[65536];
            for (;;) {
                pollfd p{master, POLLIN, 0};
                if (::poll(&p, 1, 5000) <= 0)
                    break;
                const ssize_t n = ::read(master, buf, sizeof buf);
                if (n <= 0)
                    break; // EIO once the other side is closed
                bytes.append(buf, n);
            }
        });
        {
            cli::FdOutput output(slave, slave);
            for (const QString &text : hostile::all())
                output.outUntrusted(QStringLiteral("mallory: ") + text);
            output.err(QStringLiteral("Failed: ") + hostile::controls() + hostile::bidiOverride());
        }
        ::close(slave);
        reader.join();
        ::close(master);
        const QString text = QString::fromUtf8(bytes);
        QVERIFY(text.contains(QStringLiteral("mallory: <b>bold</b>")));
        QVERIFY(text.contains(hostile::longLine()));
        for (const QChar c : text) {
            const char16_t u = c.unicode();
            QVERIFY2(u == u'\n' || u == u'\t' ||
                         (u >= 0x20 && u != 0x7f && !(u >= 0x80 && u < 0xa0)),
                     qPrintable(QStringLiteral("control U+%1 reached the terminal").arg(u, 4, 16)));
            QVERIFY2(
                !UntrustedText::isBidiControl(u),
                qPrintable(QStringLiteral("bidi control U+%1 reached the terminal").arg(u, 4, 16)));
        }
        // Zero-width characters are letters' business and stay.
        QVERIFY(text.contains(hostile::zeroWidth()));
        // A line break inside a message cannot start a line that looks like another sender's.
        const QStringList lines = text.split(QLatin1Char('\n'));
        for (const QString &line : lines)
            QVERIFY2(!line.startsWith(QStringLiteral("alice:")), qPrintable(line));
        QVERIFY(text.contains(QStringLiteral("mallory: hello\n  \u21b3 alice: please")));
    }

    void pipesGetTheExactText() {
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        {
            cli::FdOutput output(fds[1], fds[1]);
            output.outUntrusted(QStringLiteral("mallory: ") + hostile::forgedLine() +
                                hostile::controls());
        }
        ::close(fds[1]);
        QByteArray bytes;
        char buf[4096];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            bytes.append(buf, n);
        ::close(fds[0]);
        QCOMPARE(QString::fromUtf8(bytes), QStringLiteral("mallory: ") + hostile::forgedLine() +
                                               hostile::controls() + QLatin1Char('\n'));
    }
};

QTEST_MAIN(TestUntrustedText)

#include "tst_untrusted_text.moc"
