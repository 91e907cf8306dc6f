// SPDX-License-Identifier: Apache-2.0
// shapeboard: every row of the module's `item` table drawn as its shape, in its colour, at its
// position, live; a click adds an item there (reducer add_item), a right click deletes one
// (delete_item). All the QML sees is the generated ItemTableModel and the Color enum.
//
//   shapeboard --uri http://localhost:3000 --database my-board
#include "board/itemtablemodel.h"
#include "board/module.h"

#include "spacetime/connection/dbconnectionbuilder.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QUrl>

// What the board asks of the module: two reducer calls.
class Board : public QObject {
    Q_OBJECT
public:
    explicit Board(board::Module *module, QObject *parent = nullptr)
        : QObject(parent)
        , m_module(module) {}

    Q_INVOKABLE void add(double x, double y, int color, bool circle) {
        const board::Shape shape =
            circle ? board::Shape::makeCircle(20) : board::Shape::makeRect(board::Size{40, 40});
        report(m_module->reducers()->addItem(QStringLiteral("item"), 0, board::Color(color), shape,
                                             board::Point{x, y}, board::Value(), this,
                                             [this](const stdb::ReducerOutcome &o) {
                                                 if (!o.isCommitted())
                                                     Q_EMIT failed(o.message);
                                             }));
    }
    Q_INVOKABLE void remove(quint64 id) { report(m_module->reducers()->deleteItem(id)); }

Q_SIGNALS:
    void failed(const QString &why);

private:
    void report(const stdb::Expected<quint32> &call) {
        if (!call)
            Q_EMIT failed(call.error().toString());
    }
    board::Module *m_module;
};

int main(int argc, char *argv[]) {
    QGuiApplication app(argc, argv);
    QCommandLineParser args;
    args.addHelpOption();
    args.addOption({QStringLiteral("uri"), QStringLiteral("Server address."), QStringLiteral("uri"),
                    QStringLiteral("http://localhost:3000")});
    args.addOption({QStringLiteral("database"), QStringLiteral("Database name."),
                    QStringLiteral("name"), QStringLiteral("board")});
    args.process(app);

    auto conn = stdb::DbConnectionBuilder()
                    .withUri(args.value(QStringLiteral("uri")))
                    .withDatabaseName(args.value(QStringLiteral("database")))
                    .build(&app);
    if (!conn) {
        qCritical().noquote() << conn.error().toString();
        return 1;
    }
    auto *module = new board::Module(conn.value());
    module->subscribeToAllTables();

    // `import ShapeBoard` then gives QML Color.Red etc. to compare `model.color` with.
    qmlRegisterUncreatableMetaObject(board::ColorMeta::staticMetaObject, "ShapeBoard", 1, 0,
                                     "Color", QStringLiteral("an enum"));
    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("items"),
                                             module->item()->createModel(&app));
    engine.rootContext()->setContextProperty(QStringLiteral("board"), new Board(module, &app));
    engine.load(QUrl(QStringLiteral("qrc:/shapeboard/Board.qml")));
    return engine.rootObjects().isEmpty() ? 1 : app.exec();
}

#include "main.moc"
