// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

// Symbol visibility of the SpacetimeQt library. It is built with hidden visibility, so only
// what carries STDB_EXPORT is part of its ABI. STDB_BUILDING_SPACETIMEQT is set by the build of
// the library itself; a static build (STDB_STATIC) exports nothing.
#if defined(STDB_STATIC)
#define STDB_EXPORT
#elif defined(STDB_BUILDING_SPACETIMEQT)
#define STDB_EXPORT Q_DECL_EXPORT
#else
#define STDB_EXPORT Q_DECL_IMPORT
#endif
