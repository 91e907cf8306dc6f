// SPDX-License-Identifier: Apache-2.0
// spacetime-qt-generate: typed C++/Qt bindings for a SpacetimeDB module, from its schema JSON
// (a file, or fetched from a running server). See docs/bindings.md.
//
// Exit status: 0 done; 1 I/O or network failure (nothing written); 2 bad arguments or a schema
// we cannot generate from (nothing written); 3 --check found the output directory stale.

#include "generator.h"
#include "naming.h"
#include "outputdirectory.h"
#include "schemalocator.h"
#include "schemamodel.h"
#include "schemasource.h"

#include "spacetime/schema/moduleschema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

namespace {

enum ExitCode { Ok = 0, IoFailure = 1, BadInput = 2, Stale = 3 };

int fail(ExitCode code, const QString &message) {
    std::fprintf(stderr, "spacetime-qt-generate: error: %s\n", qPrintable(message));
    return code;
}

void warn(const QString &message) {
    std::fprintf(stderr, "spacetime-qt-generate: warning: %s\n", qPrintable(message));
}

// "quickstart-chat" -> "quickstart_chat"
QString namespaceFrom(const QString &name) {
    QString out;
    for (QChar c : name)
        out += (c.unicode() < 128 && c.isLetterOrNumber()) ? c.toLower() : QChar(u'_');
    if (!out.isEmpty() && out.front().isDigit())
        out.prepend(u'_');
    return Naming::escape(out);
}

// Files in dir that the generator wrote (by their marker), by name.
QStringList generatedFilesIn(const QString &dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        if (OutputDirectory::isGenerated(path))
            out.append(QFileInfo(path).fileName());
    }
    out.sort();
    return out;
}

int check(const QString &dir, const QMap<QString, QByteArray> &files) {
    QStringList problems;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile f(QDir(dir).filePath(it.key()));
        if (!f.open(QIODevice::ReadOnly))
            problems << QStringLiteral("missing: %1").arg(it.key());
        else if (f.readAll() != it.value())
            problems << QStringLiteral("differs: %1").arg(it.key());
    }
    for (const QString &name : generatedFilesIn(dir))
        if (!files.contains(name))
            problems << QStringLiteral("no longer generated: %1").arg(name);
    if (problems.isEmpty())
        return Ok;
    for (const QString &p : problems)
        std::fprintf(stderr, "%s: %s\n", qPrintable(QDir::toNativeSeparators(dir)), qPrintable(p));
    return fail(Stale, QStringLiteral("%1 is out of date; run the generator without --check")
                           .arg(QDir::toNativeSeparators(dir)));
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-qt-generate"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Generates typed C++/Qt bindings (rows, sums, enums, table handles, reducer calls) for a "
        "SpacetimeDB module, on top of the SpacetimeQt SDK."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption schemaOpt(
        QStringLiteral("schema"),
        QStringLiteral("Schema JSON: GET /v1/database/NAME/schema?version=9 or "
                       "10, or a {\"V9\": …}/{\"V10\": …} wrapper."),
        QStringLiteral("file"));
    const QCommandLineOption serverOpt(
        QStringLiteral("from-server"),
        QStringLiteral("Fetch the schema from this server (http[s]://host:port)."),
        QStringLiteral("url"));
    const QCommandLineOption databaseOpt(
        QStringLiteral("database"),
        QStringLiteral("Database name or identity (with --from-server)."), QStringLiteral("name"));
    const QCommandLineOption tokenOpt(
        QStringLiteral("token"),
        QStringLiteral("Bearer token for --from-server (private schemas)."),
        QStringLiteral("token"));
    const QCommandLineOption outOpt(
        QStringLiteral("out"),
        QStringLiteral("Output directory (replaced as a whole; other files in it are kept)."),
        QStringLiteral("dir"));
    const QCommandLineOption nsOpt(
        QStringLiteral("namespace"),
        QStringLiteral("C++ namespace (default: from --database, else the output "
                       "directory's name)."),
        QStringLiteral("ns"));
    const QCommandLineOption privateOpt(
        QStringLiteral("include-private"),
        QStringLiteral("Also generate private tables and private reducers."));
    const QCommandLineOption unsupportedOpt(
        QStringLiteral("allow-unsupported"),
        QStringLiteral("Leave out what cannot be generated (views with parameters, multi-column "
                       "primary keys, …) with a warning per item, instead of failing."));
    const QCommandLineOption saveOpt(
        QStringLiteral("save-schema"),
        QStringLiteral("Also write the schema JSON that was used to this file."),
        QStringLiteral("file"));
    const QCommandLineOption checkOpt(
        QStringLiteral("check"),
        QStringLiteral("Write nothing; exit 3 if --out differs from what would be generated."));
    p.addOptions({schemaOpt, serverOpt, databaseOpt, tokenOpt, outOpt, nsOpt, privateOpt,
                  unsupportedOpt, saveOpt, checkOpt});
    if (!p.parse(QCoreApplication::arguments()))
        return fail(BadInput, p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (p.isSet(QStringLiteral("version"))) {
        std::printf("spacetime-qt-generate %s\n", PROJECT_VERSION_STRING);
        return Ok;
    }
    if (!p.positionalArguments().isEmpty())
        return fail(
            BadInput,
            QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().front()));
    if (p.isSet(schemaOpt) == p.isSet(serverOpt))
        return fail(BadInput,
                    QStringLiteral("give exactly one of --schema FILE and --from-server URL"));
    if (p.isSet(serverOpt) && !p.isSet(databaseOpt))
        return fail(BadInput, QStringLiteral("--from-server needs --database NAME"));
    if (!p.isSet(outOpt))
        return fail(BadInput, QStringLiteral("--out DIR is required"));

    const QString outDir = p.value(outOpt);
    stdb::Expected<QByteArray> json =
        p.isSet(schemaOpt)
            ? SchemaSource::fromFile(p.value(schemaOpt))
            : SchemaSource::fromServer(p.value(serverOpt), p.value(databaseOpt), p.value(tokenOpt));
    if (!json)
        return fail(json.error().kind() == stdb::Error::Kind::InvalidArgument && p.isSet(serverOpt)
                        ? BadInput
                        : IoFailure,
                    json.error().toString());

    const QString schemaName =
        p.isSet(schemaOpt) ? p.value(schemaOpt) : QStringLiteral("the server's schema");
    stdb::Expected<stdb::ModuleSchema> schema = stdb::ModuleSchema::fromJson(json.value());
    if (!schema)
        return fail(BadInput, QStringLiteral("%1: %2").arg(schemaName, schema.error().toString()));

    ModelOptions options;
    options.includePrivate = p.isSet(privateOpt);
    options.nameSpace =
        p.isSet(nsOpt) ? p.value(nsOpt)
        : p.isSet(databaseOpt)
            ? namespaceFrom(p.value(databaseOpt))
            : namespaceFrom(
                  QFileInfo(QDir::cleanPath(QFileInfo(outDir).absoluteFilePath())).fileName());
    const SchemaLocator locator(json.value());
    stdb::Expected<GenModule> module = SchemaModel(schema.value(), locator, options).build();
    if (!module)
        return fail(BadInput, QStringLiteral("%1: %2").arg(schemaName, module.error().toString()));

    // Every construct left out is named: an error each, or with --allow-unsupported a warning.
    const QList<GenUnsupported> &left = module->unsupported;
    for (const GenUnsupported &u : left) {
        const QString line = QStringLiteral("%1: %2: %3").arg(schemaName, u.path, u.message);
        if (p.isSet(unsupportedOpt))
            warn(line + QStringLiteral(" (left out: --allow-unsupported)"));
        else
            std::fprintf(stderr, "spacetime-qt-generate: error: %s\n", qPrintable(line));
    }
    if (!left.isEmpty() && !p.isSet(unsupportedOpt))
        return fail(BadInput, QStringLiteral("%1: %2 construct(s) above cannot be generated yet; "
                                             "--allow-unsupported leaves them out")
                                  .arg(schemaName)
                                  .arg(left.size()));

    const QMap<QString, QByteArray> files = Generator(module.value()).files();
    if (p.isSet(checkOpt))
        return check(outDir, files);

    if (p.isSet(saveOpt)) {
        // Unbuffered: Qt 6.4's commit() misses a write that fails only when the buffer is flushed
        // (disk full, EFBIG) and replaces the old file with an empty one.
        QSaveFile f(p.value(saveOpt));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered) ||
            f.write(json.value()) != json->size() || !f.commit())
            return fail(
                IoFailure,
                QStringLiteral("cannot write %1: %2").arg(p.value(saveOpt), f.errorString()));
    }
    if (const stdb::Error e = OutputDirectory(outDir).write(files); e.isError())
        return fail(IoFailure, e.toString());
    return Ok;
}
