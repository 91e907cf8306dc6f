// SPDX-License-Identifier: Apache-2.0
// Schema JSON through everything spacetime-qt-generate does with it before writing files:
// ExactJson, ModuleSchema::fromJson (V9/V10), the typespace queries the generator and the
// inspector use, SchemaLocator, SchemaModel::build() and the emitters.
//
// Private tables and reducers are included when the input has an odd length, so both sides
// of that option get fuzzed without a flags byte in front of the JSON.

#include "harness.h"

#include "generator.h"
#include "schemalocator.h"
#include "schemamodel.h"

#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/moduleschema.h"

using namespace stdb;

namespace fuzz {

bool schemaJson(QByteArrayView input) {
    // Rewriting big integers into strings must not change what is valid JSON.
    const Expected<QJsonDocument> exact = ExactJson::parse(input);
    QJsonParseError plain;
    (void)QJsonDocument::fromJson(input.toByteArray(), &plain);
    FUZZ_CHECK(bool(exact) == (plain.error == QJsonParseError::NoError),
               "ExactJson and QJsonDocument disagree about whether this is JSON");

    const Expected<ModuleSchema> schema = ModuleSchema::fromJson(input);
    if (!schema)
        return false;

    const Typespace &ts = schema->typespace();
    FUZZ_CHECK(!ts.validate().isError(), "fromJson accepted a typespace validate() rejects");
    for (const AlgebraicType &t : ts.types()) {
        (void)ts.resolve(t);
        (void)ts.fixedSize(t);
    }
    for (const TableDef &t : schema->tables()) {
        FUZZ_CHECK(schema->table(t.name), "a parsed table cannot be found by its name");
        FUZZ_CHECK(schema->rowTypeOf(t.name), "a parsed table has no row type");
        (void)schema->columnsOf(t.name);
        (void)ts.fixedSize(t.rowType);
    }
    for (const ReducerDef &r : schema->reducers())
        FUZZ_CHECK(schema->reducer(r.name), "a parsed reducer cannot be found by its name");

    ModelOptions options;
    options.nameSpace = QStringLiteral("fuzz::bindings");
    options.includePrivate = input.size() % 2 == 1;
    const SchemaLocator locator(input);
    const Expected<GenModule> module = SchemaModel(*schema, locator, options).build();
    if (!module)
        return true; // a schema C++ cannot express: the generator says why
    const QMap<QString, QByteArray> files = Generator(*module).files();
    FUZZ_CHECK(!files.isEmpty(), "the generator produced no files");
    return true;
}

} // namespace fuzz
