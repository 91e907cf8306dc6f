// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

// Symbol visibility of SpacetimeQtSchema (SpacetimeQt::Schema), the schema model and dynamic
// values that tools (the generator, the inspector) use and the runtime library does not.
#if defined(STDB_STATIC)
#define STDB_SCHEMA_EXPORT
#elif defined(STDB_BUILDING_SPACETIMEQT_SCHEMA)
#define STDB_SCHEMA_EXPORT Q_DECL_EXPORT
#else
#define STDB_SCHEMA_EXPORT Q_DECL_IMPORT
#endif
