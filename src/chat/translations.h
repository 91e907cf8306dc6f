// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace chat {

// The translations of every front end: Qt's own (qtbase) and Spacetime Chat's catalogue, which
// is embedded with the chat layer under :/i18n (resources/translations/*.ts), both for the
// system locale.
class Translations {
public:
    // Installs both on the application, right after creating it, before any text is made
    // (command-line help included). Returns whether the app's own catalogue was found (English
    // needs none). Another call (after QLocale::setDefault) replaces what the last one
    // installed; QML then needs QQmlEngine::retranslate().
    static bool install();
};

} // namespace chat
