// SPDX-License-Identifier: Apache-2.0
// spacetime-inspect: decode and encode SpacetimeDB v2/v3 WebSocket payloads as JSON.
// See docs/inspect.md for the JSON conventions.

#include "inspect/inspector.h"
#include "spacetime/schema/exactjson.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace {

// Every failure is one line on stderr and exit status 2, so scripts can tell bad input apart.
constexpr int kExitBadInput = 2;

int fail(const QString &message) {
    std::fprintf(stderr, "spacetime-inspect: %s\n", qPrintable(message));
    return kExitBadInput;
}

bool readInput(const QString &name, QByteArray *out, QString *error) {
    QFile f;
    const bool ok = name == u"-" ? f.open(stdin, QIODevice::ReadOnly)
                                 : (f.setFileName(name), f.open(QIODevice::ReadOnly));
    if (!ok) {
        *error = QStringLiteral("cannot read %1: %2").arg(name, f.errorString());
        return false;
    }
    *out = f.readAll();
    return true;
}

bool writeOutput(const QString &name, const QByteArray &data, QString *error) {
    QFile f;
    const bool ok = name.isEmpty() || name == u"-"
                        ? f.open(stdout, QIODevice::WriteOnly)
                        : (f.setFileName(name), f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!ok || f.write(data) != data.size()) {
        *error = QStringLiteral("cannot write %1: %2")
                     .arg(name.isEmpty() ? QStringLiteral("-") : name, f.errorString());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-inspect"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Decode a SpacetimeDB WebSocket payload to JSON, or encode JSON back to a payload.\n\n"
        "  spacetime-inspect decode --server|--client FILE|-\n"
        "  spacetime-inspect encode --server|--client FILE|-\n\n"
        "Errors print one line and exit with status 2. See docs/inspect.md."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("decode or encode"));
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("input file, or - for stdin"));
    const QCommandLineOption server(
        QStringLiteral("server"),
        QStringLiteral("Server -> client payload (compression tag first)."));
    const QCommandLineOption client(QStringLiteral("client"),
                                    QStringLiteral("Client -> server payload."));
    const QCommandLineOption hex(QStringLiteral("hex"),
                                 QStringLiteral("decode: input is hex text; encode: print hex."));
    const QCommandLineOption v3(QStringLiteral("v3"),
                                QStringLiteral("decode: the payload holds one or more messages "
                                               "(v3.bsatn.spacetimedb)."));
    const QCommandLineOption schema(
        QStringLiteral("schema"),
        QStringLiteral("Module schema JSON (V9/V10): typed rows and args."),
        QStringLiteral("file"));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Write to this file instead of stdout."),
                                    QStringLiteral("file"));
    parser.addOptions({server, client, hex, v3, schema, output});

    if (!parser.parse(QCoreApplication::arguments()))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("spacetime-inspect %s\n", PROJECT_VERSION_STRING);
        return 0;
    }
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2 || (args[0] != u"decode" && args[0] != u"encode"))
        return fail(
            QStringLiteral("usage: spacetime-inspect decode|encode --server|--client FILE|-"));
    if (parser.isSet(server) == parser.isSet(client))
        return fail(QStringLiteral("give exactly one of --server and --client"));

    QString error;
    stdb::ModuleSchema module;
    const stdb::ModuleSchema *schemaPtr = nullptr;
    if (parser.isSet(schema)) {
        QByteArray text;
        if (!readInput(parser.value(schema), &text, &error))
            return fail(error);
        stdb::Expected<stdb::ModuleSchema> parsed = stdb::ModuleSchema::fromJson(text);
        if (!parsed)
            return fail(QStringLiteral("schema %1: %2")
                            .arg(parser.value(schema), parsed.error().toString()));
        module = std::move(*parsed);
        schemaPtr = &module;
    }

    QByteArray input;
    if (!readInput(args[1], &input, &error))
        return fail(error);
    const inspect::Inspector inspector(schemaPtr, parser.isSet(v3));
    const bool isServer = parser.isSet(server);

    if (args[0] == u"decode") {
        if (parser.isSet(hex)) {
            stdb::Expected<QByteArray> bytes = inspect::Inspector::parseHex(input);
            if (!bytes)
                return fail(bytes.error().toString());
            input = *bytes;
        }
        stdb::Expected<QJsonValue> json =
            isServer ? inspector.decodeServer(input) : inspector.decodeClient(input);
        if (!json)
            return fail(json.error().toString());
        if (!writeOutput(parser.value(output),
                         QJsonDocument(json->toObject()).toJson(QJsonDocument::Indented), &error))
            return fail(error);
        return 0;
    }

    stdb::Expected<QJsonDocument> doc = stdb::ExactJson::parse(input);
    if (!doc)
        return fail(doc.error().toString());
    if (!doc->isObject())
        return fail(QStringLiteral("invalid JSON: expected an object at the top level"));
    stdb::Expected<QByteArray> payload =
        isServer ? inspector.encodeServer(doc->object()) : inspector.encodeClient(doc->object());
    if (!payload)
        return fail(payload.error().toString());
    const QByteArray out = parser.isSet(hex) ? payload->toHex() + '\n' : *payload;
    if (!writeOutput(parser.value(output), out, &error))
        return fail(error);
    return 0;
}
