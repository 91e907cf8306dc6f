<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Chat on a SpacetimeDB quickstart-chat database.</source>
        <translation>Chatten auf einer SpacetimeDB-Datenbank mit quickstart-chat.</translation>
    </message>
    <message>
        <source>Start minimized (in the tray if there is one).</source>
        <translation>Minimiert starten (im Infobereich, falls vorhanden).</translation>
    </message>
    <message>
        <source>Do not show a tray icon.</source>
        <translation>Kein Symbol im Infobereich anzeigen.</translation>
    </message>
    <message>
        <source>light, dark or system (default: follow the system).</source>
        <translation>light, dark oder system (Standard: dem System folgen).</translation>
    </message>
    <message>
        <source>--color-scheme must be light, dark or system.</source>
        <translation>--color-scheme muss light, dark oder system sein.</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Each profile keeps its own server, database and identity.</source>
        <translation>Jedes Profil hat seinen eigenen Server, seine eigene Datenbank und Identität.</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Profil:</translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation>Profilname</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Remove this profile from the list</source>
        <translation>Dieses Profil aus der Liste entfernen</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>Datenbankname</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>http://host:port of a SpacetimeDB server; &quot;maincloud&quot; is the hosted one</source>
        <translation>http://host:port eines SpacetimeDB-Servers; „maincloud“ ist der gehostete</translation>
    </message>
    <message>
        <source>Delete Profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <source>Remove the profile &quot;%1&quot; from the list? Its stored identity stays in the keychain.</source>
        <translation>Das Profil „%1“ aus der Liste entfernen? Seine gespeicherte Identität bleibt im Schlüsselbund.</translation>
    </message>
    <message>
        <source>Profile names use letters, digits, &apos;.&apos;, &apos;-&apos; and &apos;_&apos; (at most 64).</source>
        <translation>Profilnamen bestehen aus Buchstaben, Ziffern, „.“, „-“ und „_“ (höchstens 64).</translation>
    </message>
    <message>
        <source>The server must be a URL like http://127.0.0.1:3000, or &quot;maincloud&quot;.</source>
        <translation>Der Server muss eine URL wie http://127.0.0.1:3000 sein oder „maincloud“.</translation>
    </message>
    <message>
        <source>The database name uses letters, digits, &apos;-&apos; and &apos;_&apos;.</source>
        <translation>Der Datenbankname besteht aus Buchstaben, Ziffern, „-“ und „_“.</translation>
    </message>
    <message>
        <source>Will connect to %1, database %2.</source>
        <translation>Verbindet mit %1, Datenbank %2.</translation>
    </message>
    <message>
        <source>&amp;Trusted certificate:</source>
        <translation>&amp;Vertrauenswürdiges Zertifikat:</translation>
    </message>
    <message>
        <source>Only for a wss server with a self-signed certificate</source>
        <translation>Nur für einen wss-Server mit selbst signiertem Zertifikat</translation>
    </message>
    <message>
        <source>Trusted certificate file</source>
        <translation>Datei des vertrauenswürdigen Zertifikats</translation>
    </message>
    <message>
        <source>A PEM or DER certificate file to trust for this server in addition to the system&apos;s certificate authorities. Leave empty for servers with a normal certificate.</source>
        <translation>Eine Zertifikatsdatei (PEM oder DER), der für diesen Server zusätzlich zu den Zertifizierungsstellen des Systems vertraut wird. Für Server mit einem normalen Zertifikat leer lassen.</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose a trusted certificate file</source>
        <translation>Vertrauenswürdige Zertifikatsdatei wählen</translation>
    </message>
    <message>
        <source>Trusted Certificate</source>
        <translation>Vertrauenswürdiges Zertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.cer *.der);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The certificate in %1 is trusted in addition to the system&apos;s.</source>
        <translation>Dem Zertifikat in %1 wird zusätzlich zu denen des Systems vertraut.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s…</source>
        <translation>
            <numerusform>Verbindung verloren. Neuer Versuch in %n s…</numerusform>
            <numerusform>Verbindung verloren. Neuer Versuch in %n s…</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection lost. Reconnecting…</source>
        <translation>Verbindung verloren. Verbinde neu…</translation>
    </message>
    <message>
        <source>Offline.</source>
        <translation>Offline.</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message numerus="yes">
        <source>Connected, but the server refused the subscription. Trying again in %n s…</source>
        <translation>
            <numerusform>Verbunden, aber der Server hat das Abonnement abgelehnt. Neuer Versuch in %n s…</numerusform>
            <numerusform>Verbunden, aber der Server hat das Abonnement abgelehnt. Neuer Versuch in %n s…</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected, but the server refused the subscription.</source>
        <translation>Verbunden, aber der Server hat das Abonnement abgelehnt.</translation>
    </message>
    <message numerus="yes">
        <source>Could not connect to %1. Trying again in %n s…</source>
        <translation>
            <numerusform>Keine Verbindung zu %1. Neuer Versuch in %n s…</numerusform>
            <numerusform>Keine Verbindung zu %1. Neuer Versuch in %n s…</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not connect to %1. Trying again…</source>
        <translation>Keine Verbindung zu %1. Neuer Versuch…</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Connection state</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Your identity (click to copy)</source>
        <translation>Deine Identität (Klick kopiert sie)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost: reconnecting in %n s</source>
        <translation>
            <numerusform>Verbindung verloren: neuer Versuch in %n s</numerusform>
            <numerusform>Verbindung verloren: neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbinde erneut…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>Identity %1…</source>
        <translation>Identität %1…</translation>
    </message>
    <message>
        <source>Your identity: %1
Click to copy it.</source>
        <translation>Deine Identität: %1
Klicken zum Kopieren.</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) waiting</source>
        <translation>
            <numerusform>%n Nachricht wartet</numerusform>
            <numerusform>%n Nachrichten warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Could not connect: trying again in %n s</source>
        <translation>
            <numerusform>Keine Verbindung: neuer Versuch in %n s</numerusform>
            <numerusform>Keine Verbindung: neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Trying again to connect…</source>
        <translation>Neuer Verbindungsversuch…</translation>
    </message>
    <message>
        <source>Connected, but the subscription failed</source>
        <translation>Verbunden, aber das Abonnement schlug fehl</translation>
    </message>
    <message>
        <source>Connected, but the subscription failed: %1</source>
        <translation>Verbunden, aber das Abonnement schlug fehl: %1</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>&amp;Find:</source>
        <translation>&amp;Suchen:</translation>
    </message>
    <message>
        <source>Search messages and senders</source>
        <translation>Nachrichten und Absender durchsuchen</translation>
    </message>
    <message>
        <source>Find in conversation</source>
        <translation>Im Gespräch suchen</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>Suchleiste schließen (Esc)</translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Suchen:</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Older match (Enter, F3)</source>
        <translation>Älterer Treffer (Eingabe, F3)</translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter, Shift+F3)</source>
        <translation>Neuerer Treffer (Umschalt+Eingabe, Umschalt+F3)</translation>
    </message>
    <message>
        <source>Enter: next older match · Shift+Enter: next newer match</source>
        <translation>Eingabe: nächster älterer Treffer · Umschalt+Eingabe: nächster neuerer Treffer</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Spacetime Chat — %1</source>
        <translation>Spacetime Chat — %1</translation>
    </message>
    <message>
        <source>Spacetime Chat — %1 (%2)</source>
        <translation>Spacetime Chat — %1 (%2)</translation>
    </message>
    <message>
        <source>Your identity: %1</source>
        <translation>Deine Identität: %1</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Continue as your Rust quickstart identity?</source>
        <translation>Mit deiner Identität aus dem Rust-Quickstart weitermachen?</translation>
    </message>
    <message>
        <source>The official Rust quickstart client saved an identity in %1. Continue as that identity here? Otherwise you get a new one.</source>
        <translation>Der offizielle Rust-Quickstart-Client hat in %1 eine Identität gespeichert. Hier als diese Identität weitermachen? Sonst bekommst du eine neue.</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <source>No notifications until the app is restarted</source>
        <translation>Keine Benachrichtigungen bis zum nächsten Start</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Spacetime Chat</source>
        <translation>Spacetime Chat</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>&amp;Profile</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>People in this chat</source>
        <translation>Personen in diesem Chat</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>Connect to a server and database, or switch profile</source>
        <translation>Mit einem Server und einer Datenbank verbinden oder das Profil wechseln</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Forget Identity…</source>
        <translation>Identität &amp;vergessen…</translation>
    </message>
    <message>
        <source>Delete the stored identity of this profile and start over with a new one</source>
        <translation>Die gespeicherte Identität dieses Profils löschen und mit einer neuen beginnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>Change the name others see</source>
        <translation>Den Namen ändern, den die anderen sehen</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Online Users Only</source>
        <translation>Nur &amp;anwesende Personen</translation>
    </message>
    <message>
        <source>&amp;Compact Mode</source>
        <translation>&amp;Kompakte Ansicht</translation>
    </message>
    <message>
        <source>&amp;People List</source>
        <translation>&amp;Personenliste</translation>
    </message>
    <message>
        <source>&amp;Jump to Latest</source>
        <translation>Zur &amp;neuesten Nachricht</translation>
    </message>
    <message>
        <source>Ctrl+End</source>
        <translation>Ctrl+End</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications</source>
        <translation>Benachrichtigungen &amp;stummschalten</translation>
    </message>
    <message>
        <source>No notifications until the app is restarted</source>
        <translation>Keine Benachrichtigungen bis zum nächsten Start</translation>
    </message>
    <message>
        <source>Close to &amp;Tray</source>
        <translation>Beim Schließen in den &amp;Infobereich</translation>
    </message>
    <message>
        <source>&amp;About Spacetime Chat</source>
        <translation>&amp;Über Spacetime Chat</translation>
    </message>
    <message>
        <source>Identity copied to the clipboard</source>
        <translation>Identität in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>&amp;New Profile…</source>
        <translation>&amp;Neues Profil…</translation>
    </message>
    <message>
        <source>You are now known as %1</source>
        <translation>Du heißt jetzt %1</translation>
    </message>
    <message>
        <source>Name not changed: %1</source>
        <translation>Name nicht geändert: %1</translation>
    </message>
    <message>
        <source>A message was not delivered: %1</source>
        <translation>Eine Nachricht wurde nicht zugestellt: %1</translation>
    </message>
    <message>
        <source>Use Your Existing Identity?</source>
        <translation>Bestehende Identität verwenden?</translation>
    </message>
    <message>
        <source>The SpacetimeDB Rust quickstart has an identity stored in
%1

Continue as that identity here? Otherwise a new identity is created.</source>
        <translation>Der SpacetimeDB-Rust-Quickstart hat eine Identität gespeichert in
%1

Hier als diese Identität weitermachen? Sonst wird eine neue Identität angelegt.</translation>
    </message>
    <message>
        <source>Identity Not Imported</source>
        <translation>Identität nicht übernommen</translation>
    </message>
    <message>
        <source>The file could not be read: %1</source>
        <translation>Die Datei konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Forget Identity</source>
        <translation>Identität vergessen</translation>
    </message>
    <message>
        <source>Delete the identity stored for the profile &quot;%1&quot;?

You will continue with a new, anonymous identity. Your old messages stay on the server, but nobody (not even you) can write as that identity again.</source>
        <translation>Die für das Profil „%1“ gespeicherte Identität löschen?

Du machst mit einer neuen, anonymen Identität weiter. Deine alten Nachrichten bleiben auf dem Server, aber niemand (auch du nicht) kann je wieder als diese Identität schreiben.</translation>
    </message>
    <message>
        <source>Could not connect to %1 (database %2): %3</source>
        <translation>Verbindung zu %1 (Datenbank %2) nicht möglich: %3</translation>
    </message>
    <message>
        <source>%1 Trying again automatically.</source>
        <translation>%1 Neuer Versuch folgt automatisch.</translation>
    </message>
    <message>
        <source>%1 on %2 — Spacetime Chat</source>
        <translation>%1 auf %2 — Spacetime Chat</translation>
    </message>
    <message>
        <source>%1 — %2 on %3 — Spacetime Chat</source>
        <translation>%1 — %2 auf %3 — Spacetime Chat</translation>
    </message>
    <message>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
    <message>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <source>%1 online · %2 known</source>
        <translation>%1 online · %2 bekannt</translation>
    </message>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Noch keine Nachrichten. Sag Hallo!</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Waiting for the connection…</source>
        <translation>Warte auf die Verbindung…</translation>
    </message>
    <message>
        <source>Not connected. Use File ▸ Connect to choose a server.</source>
        <translation>Nicht verbunden. Wähle mit Datei ▸ Verbinden einen Server.</translation>
    </message>
    <message>
        <source>About Spacetime Chat</source>
        <translation>Über Spacetime Chat</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Spacetime Chat %1&lt;/h3&gt;&lt;p&gt;A native desktop chat client for SpacetimeDB&apos;s quickstart-chat module.&lt;/p&gt;&lt;p&gt;Built with Qt %2 (running on %3).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Spacetime Chat %1&lt;/h3&gt;&lt;p&gt;Ein nativer Desktop-Chat für das quickstart-chat-Modul von SpacetimeDB.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2 (läuft mit %3).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Spacetime Chat is still running</source>
        <translation>Spacetime Chat läuft weiter</translation>
    </message>
    <message>
        <source>It keeps notifying you from the tray. Use Quit to end it.</source>
        <translation>Es benachrichtigt dich weiter aus dem Infobereich. Mit „Beenden“ schließt du es ganz.</translation>
    </message>
    <message>
        <source>Not connecting to %1: %2 Change it in File ▸ Connect.</source>
        <translation>Keine Verbindung zu %1: %2 Ändere es unter Datei ▸ Verbinden.</translation>
    </message>
    <message>
        <source>%1 online when last seen · %2 known</source>
        <translation>%1 zuletzt online · %2 bekannt</translation>
    </message>
    <message numerus="yes">
        <source>%1 Trying again in %n s.</source>
        <translation>
            <numerusform>%1 Neuer Versuch in %n s.</numerusform>
            <numerusform>%1 Neuer Versuch in %n s.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Not confirmed yet: will be checked when the connection is back</source>
        <translation>Noch nicht bestätigt: wird geprüft, sobald die Verbindung wieder steht</translation>
    </message>
    <message>
        <source>Not delivered. Right-click to retry or discard.</source>
        <translation>Nicht zugestellt. Rechtsklick zum erneuten Senden oder Verwerfen.</translation>
    </message>
    <message>
        <source>Not delivered: %1. Right-click to retry or discard.</source>
        <translation>Nicht zugestellt: %1. Rechtsklick zum erneuten Senden oder Verwerfen.</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (du)</translation>
    </message>
    <message>
        <source>Not confirmed yet</source>
        <translation>Noch nicht bestätigt</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Show less</source>
        <translation>Weniger anzeigen</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>Mehr anzeigen</translation>
    </message>
    <message>
        <source>Show only the start of this message</source>
        <translation>Nur den Anfang dieser Nachricht anzeigen</translation>
    </message>
    <message>
        <source>Show the whole message</source>
        <translation>Die ganze Nachricht anzeigen</translation>
    </message>
    <message>
        <source>Show only the start of this message (Enter)</source>
        <translation>Nur den Anfang dieser Nachricht anzeigen (Eingabe)</translation>
    </message>
    <message>
        <source>Show the whole message (Enter)</source>
        <translation>Die ganze Nachricht anzeigen (Eingabe)</translation>
    </message>
    <message>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
</context>
<context>
    <name>MessageInput</name>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter adds a line)</source>
        <translation>Nachricht schreiben… (Eingabe sendet, Umschalt+Eingabe für neue Zeile)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation>Nachricht senden (Eingabe)</translation>
    </message>
    <message>
        <source>Message size</source>
        <translation>Nachrichtengröße</translation>
    </message>
    <message>
        <source>Usage: /name NEW NAME</source>
        <translation>Verwendung: /name NEUER NAME</translation>
    </message>
    <message>
        <source>%1 / %2 bytes</source>
        <translation>%1 / %2 Bytes</translation>
    </message>
    <message>
        <source>Message — Enter sends, Shift+Enter adds a line</source>
        <translation>Nachricht — Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein</translation>
    </message>
    <message>
        <source>Name not changed: %1</source>
        <translation>Name nicht geändert: %1</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line, Up and Down recall sent messages, Tab completes a name, /name NEW changes your name</source>
        <translation>Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein, Pfeil hoch und runter holen gesendete Nachrichten zurück, Tab ergänzt einen Namen, /name NEU ändert deinen Namen</translation>
    </message>
</context>
<context>
    <name>MessageList</name>
    <message>
        <source>No messages yet. Say hello!</source>
        <translation>Noch keine Nachrichten. Sag Hallo!</translation>
    </message>
    <message>
        <source>↑ Load older messages</source>
        <translation>↑ Ältere Nachrichten laden</translation>
    </message>
    <message>
        <source>Newer messages unloaded · Jump to newest ↓</source>
        <translation>Neuere Nachrichten entladen · Zu den neuesten springen ↓</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Jump to the newest message</source>
        <translation>Zur neuesten Nachricht springen</translation>
    </message>
    <message>
        <source>Load older messages</source>
        <translation>Ältere Nachrichten laden</translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation>Lade ältere Nachrichten…</translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s) ↓</source>
        <translation>
            <numerusform>%n neue Nachricht ↓</numerusform>
            <numerusform>%n neue Nachrichten ↓</numerusform>
        </translation>
    </message>
    <message>
        <source>Jump to latest ↓</source>
        <translation>Zur neuesten ↓</translation>
    </message>
    <message>
        <source>&amp;Retry sending</source>
        <translation>Erneut &amp;senden</translation>
    </message>
    <message>
        <source>&amp;Discard message</source>
        <translation>Nachricht &amp;verwerfen</translation>
    </message>
    <message>
        <source>Open &amp;link</source>
        <translation>&amp;Link öffnen</translation>
    </message>
    <message>
        <source>Copy link &amp;address</source>
        <translation>Link&amp;adresse kopieren</translation>
    </message>
    <message>
        <source>&amp;Copy text</source>
        <translation>Text &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy sender &amp;identity</source>
        <translation>&amp;Identität des Absenders kopieren</translation>
    </message>
    <message>
        <source>↑ Load older messages</source>
        <translation>↑ Ältere Nachrichten laden</translation>
    </message>
    <message>
        <source>Newer messages unloaded · Jump to newest ↓</source>
        <translation>Neuere Nachrichten entladen · Zu den neuesten springen ↓</translation>
    </message>
    <message>
        <source>The conversation, oldest at the top. Enter shows or hides the rest of a long message.</source>
        <translation>Das Gespräch, älteste Nachricht oben. Die Eingabetaste zeigt den Rest einer langen Nachricht an oder blendet ihn aus.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>No Rust quickstart credentials at %1</source>
        <translation>Keine Zugangsdaten des Rust-Quickstarts unter %1</translation>
    </message>
    <message>
        <source>%1 is not a credentials file (%2 bytes)</source>
        <translation>%1 ist keine Zugangsdatendatei (%2 Bytes)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is not a valid credentials file: %2</source>
        <translation>%1 ist keine gültige Zugangsdatendatei: %2</translation>
    </message>
    <message>
        <source>%1 contains an empty token</source>
        <translation>%1 enthält ein leeres Token</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <source>Change Your Name</source>
        <translation>Namen ändern</translation>
    </message>
    <message>
        <source>Choose the name the others in this chat see next to your messages.</source>
        <translation>Wähle den Namen, den die anderen in diesem Chat neben deinen Nachrichten sehen.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Neuer Name</translation>
    </message>
    <message>
        <source>Problem with the name</source>
        <translation>Problem mit dem Namen</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Renaming…</source>
        <translation>Benenne um…</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>You are not connected. Try again once the status bar says Online.</source>
        <translation>Du bist nicht verbunden. Versuche es erneut, sobald die Statusleiste „Online“ zeigt.</translation>
    </message>
    <message>
        <source>The server refused the name: %1</source>
        <translation>Der Server hat den Namen abgelehnt: %1</translation>
    </message>
    <message>
        <source>Change your name</source>
        <translation>Namen ändern</translation>
    </message>
    <message>
        <source>Everyone in this database sees this name next to your messages.</source>
        <translation>Alle in dieser Datenbank sehen diesen Namen neben deinen Nachrichten.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Dein Name</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Speichere…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>&amp;Hide Window</source>
        <translation>Fenster &amp;ausblenden</translation>
    </message>
    <message>
        <source>&amp;Show Window</source>
        <translation>Fenster &amp;anzeigen</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications</source>
        <translation>Benachrichtigungen &amp;stummschalten</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message numerus="yes">
        <source>Spacetime Chat: %n unread message(s)</source>
        <translation>
            <numerusform>Spacetime Chat: %n ungelesene Nachricht</numerusform>
            <numerusform>Spacetime Chat: %n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Spacetime Chat</source>
        <translation>Spacetime Chat</translation>
    </message>
</context>
<context>
    <name>UserDelegate</name>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (du)</translation>
    </message>
    <message>
        <source>%1 (%2)
Identity: %3</source>
        <translation>%1 (%2)
Identität: %3</translation>
    </message>
</context>
<context>
    <name>UserList</name>
    <message>
        <source>Online — %1 of %2</source>
        <translation>Online — %1 von %2</translation>
    </message>
    <message>
        <source>you</source>
        <translation>du</translation>
    </message>
    <message>
        <source>Online when last seen — %1 of %2</source>
        <translation>Zuletzt online — %1 von %2</translation>
    </message>
    <message>
        <source>%1
Identity: %2</source>
        <translation>%1
Identität: %2</translation>
    </message>
</context>
<context>
    <name>chat</name>
    <message>
        <source>Names must not be empty</source>
        <translation>Namen dürfen nicht leer sein</translation>
    </message>
    <message>
        <source>Names must not be longer than %1 characters</source>
        <translation>Namen dürfen höchstens %1 Zeichen lang sein</translation>
    </message>
    <message>
        <source>Names must not contain control characters</source>
        <translation>Namen dürfen keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <source>Messages must not be empty</source>
        <translation>Nachrichten dürfen nicht leer sein</translation>
    </message>
    <message>
        <source>Messages must not be longer than %1 KiB</source>
        <translation>Nachrichten dürfen höchstens %1 KiB groß sein</translation>
    </message>
</context>
<context>
    <name>chat::ChatClient</name>
    <message>
        <source>The Rust quickstart&apos;s credentials in %1 could not be used: %2. Continuing with a new identity.</source>
        <translation>Die Zugangsdaten des Rust-Quickstarts in %1 konnten nicht verwendet werden: %2. Es geht mit einer neuen Identität weiter.</translation>
    </message>
    <message>
        <source>The server refused the subscription: %1</source>
        <translation>Der Server hat das Abonnement abgelehnt: %1</translation>
    </message>
    <message>
        <source>The connection ended.</source>
        <translation>Die Verbindung wurde beendet.</translation>
    </message>
    <message>
        <source>Not delivered: the connection was lost before the server received it.</source>
        <translation>Nicht zugestellt: Die Verbindung brach ab, bevor der Server die Nachricht erhielt.</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>Nicht mit dem Server verbunden.</translation>
    </message>
    <message>
        <source>The connection was lost before the server answered. Try again when connected.</source>
        <translation>Die Verbindung brach ab, bevor der Server antwortete. Versuche es erneut, sobald du verbunden bist.</translation>
    </message>
    <message>
        <source>Could not load older messages: %1</source>
        <translation>Ältere Nachrichten konnten nicht geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>chat::ConnectOptions</name>
    <message>
        <source>Server URL (default http://127.0.0.1:3000; &quot;maincloud&quot; for https://maincloud.spacetimedb.com).</source>
        <translation>Server-URL (Standard http://127.0.0.1:3000; „maincloud“ für https://maincloud.spacetimedb.com).</translation>
    </message>
    <message>
        <source>SpacetimeDB server URL, or &quot;maincloud&quot; (default: %1).</source>
        <translation>URL des SpacetimeDB-Servers oder „maincloud“ (Standard: %1).</translation>
    </message>
    <message>
        <source>Database name (default quickstart-chat).</source>
        <translation>Datenbankname (Standard quickstart-chat).</translation>
    </message>
    <message>
        <source>Database name or identity (default: %1).</source>
        <translation>Datenbankname oder -identität (Standard: %1).</translation>
    </message>
    <message>
        <source>Profile to use; each profile has its own identity and settings (default: the last one used).</source>
        <translation>Zu verwendendes Profil; jedes Profil hat eigene Identität und Einstellungen (Standard: das zuletzt verwendete).</translation>
    </message>
    <message>
        <source>Profile to use; each profile has its own identity (default: default).</source>
        <translation>Zu verwendendes Profil; jedes Profil hat eine eigene Identität (Standard: default).</translation>
    </message>
    <message>
        <source>Profile: each profile has its own identity (default: %1).</source>
        <translation>Profil: jedes Profil hat eine eigene Identität (Standard: %1).</translation>
    </message>
    <message>
        <source>Keep the identity token in an unencrypted file (mode 0600) in the profile&apos;s data directory instead of the keychain.</source>
        <translation>Das Identitäts-Token in einer unverschlüsselten Datei (Modus 0600) im Datenverzeichnis des Profils statt im Schlüsselbund speichern.</translation>
    </message>
    <message>
        <source>Keep the token in a plain file (mode 0600) in the profile&apos;s data directory instead of the OS keychain. The file is not encrypted.</source>
        <translation>Das Token in einer einfachen Datei (Modus 0600) im Datenverzeichnis des Profils statt im Schlüsselbund des Betriebssystems speichern. Die Datei ist nicht verschlüsselt.</translation>
    </message>
    <message>
        <source>Continue as the identity of the official Rust quickstart (~/.spacetimedb_client_credentials/&lt;database&gt;).</source>
        <translation>Mit der Identität des offiziellen Rust-Quickstarts weitermachen (~/.spacetimedb_client_credentials/&lt;Datenbank&gt;).</translation>
    </message>
    <message>
        <source>If this profile has no identity yet, continue as the identity of the official Rust quickstart client (~/.spacetimedb_client_credentials/&lt;database&gt;).</source>
        <translation>Hat dieses Profil noch keine Identität, mit der Identität des offiziellen Rust-Quickstart-Clients weitermachen (~/.spacetimedb_client_credentials/&lt;Datenbank&gt;).</translation>
    </message>
    <message>
        <source>Import the identity from this Rust credentials file.</source>
        <translation>Die Identität aus dieser Rust-Zugangsdatendatei übernehmen.</translation>
    </message>
    <message>
        <source>Import the identity from this Rust credentials file (implies --import-rust-credentials).</source>
        <translation>Die Identität aus dieser Rust-Zugangsdatendatei übernehmen (schließt --import-rust-credentials ein).</translation>
    </message>
    <message>
        <source>Use a throw-away identity that is never stored.</source>
        <translation>Eine Wegwerf-Identität verwenden, die nie gespeichert wird.</translation>
    </message>
    <message>
        <source>Connect with a throw-away identity; nothing is loaded or stored.</source>
        <translation>Mit einer Wegwerf-Identität verbinden; nichts wird geladen oder gespeichert.</translation>
    </message>
    <message>
        <source>Trust this certificate file (PEM or DER) for a wss server with a self-signed certificate; saved in the profile.</source>
        <translation>Dieser Zertifikatsdatei (PEM oder DER) für einen wss-Server mit selbst signiertem Zertifikat vertrauen; wird im Profil gespeichert.</translation>
    </message>
    <message>
        <source>Trust this certificate file (PEM or DER) for a wss server with a self-signed certificate, in addition to the system&apos;s certificate authorities.</source>
        <translation>Dieser Zertifikatsdatei (PEM oder DER) für einen wss-Server mit selbst signiertem Zertifikat vertrauen, zusätzlich zu den Zertifizierungsstellen des Systems.</translation>
    </message>
    <message>
        <source>Trust this certificate (a PEM or DER file) for a wss server with a self-signed certificate, in addition to the system&apos;s certificate authorities. Verification stays on.</source>
        <translation>Diesem Zertifikat (einer PEM- oder DER-Datei) für einen wss-Server mit selbst signiertem Zertifikat vertrauen, zusätzlich zu den Zertifizierungsstellen des Systems. Die Prüfung bleibt eingeschaltet.</translation>
    </message>
    <message>
        <source>Not a valid profile name: &quot;%1&quot; (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, at most 64 characters).</source>
        <translation>Kein gültiger Profilname: „%1“ (Buchstaben, Ziffern, „-“, „_“ und „.“, höchstens 64 Zeichen).</translation>
    </message>
    <message>
        <source>Invalid profile name &quot;%1&quot;: use letters, digits, &apos;.&apos;, &apos;-&apos; and &apos;_&apos;.</source>
        <translation>Ungültiger Profilname „%1“: erlaubt sind Buchstaben, Ziffern, „.“, „-“ und „_“.</translation>
    </message>
    <message>
        <source>Not a valid server URL: %1</source>
        <translation>Keine gültige Server-URL: %1</translation>
    </message>
    <message>
        <source>The database name must not be empty.</source>
        <translation>Der Datenbankname darf nicht leer sein.</translation>
    </message>
    <message>
        <source>--server and --database must not be empty.</source>
        <translation>--server und --database dürfen nicht leer sein.</translation>
    </message>
    <message>
        <source>--anonymous stores no identity; it cannot be combined with --import-rust-credentials or --insecure-token-file.</source>
        <translation>--anonymous speichert keine Identität; es lässt sich nicht mit --import-rust-credentials oder --insecure-token-file verbinden.</translation>
    </message>
    <message>
        <source>--anonymous and --import-rust-credentials exclude each other.</source>
        <translation>--anonymous und --import-rust-credentials schließen sich gegenseitig aus.</translation>
    </message>
    <message>
        <source>--trust-certificate: %1</source>
        <translation>--trust-certificate: %1</translation>
    </message>
</context>
<context>
    <name>chat::ConnectProblem</name>
    <message>
        <source>it is self-signed and not trusted</source>
        <translation>es ist selbstsigniert und nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>it is not issued by a trusted certificate authority</source>
        <translation>es wurde nicht von einer vertrauenswürdigen Zertifizierungsstelle ausgestellt</translation>
    </message>
    <message>
        <source>it was issued for another host name</source>
        <translation>es wurde für einen anderen Hostnamen ausgestellt</translation>
    </message>
    <message>
        <source>it expired on %1</source>
        <translation>es ist am %1 abgelaufen</translation>
    </message>
    <message>
        <source>it has expired</source>
        <translation>es ist abgelaufen</translation>
    </message>
    <message>
        <source>it is not valid yet</source>
        <translation>es ist noch nicht gültig</translation>
    </message>
    <message>
        <source>it was revoked</source>
        <translation>es wurde widerrufen</translation>
    </message>
    <message>
        <source>it could not be verified</source>
        <translation>es konnte nicht überprüft werden</translation>
    </message>
    <message>
        <source>Cannot reach %1: the host name was not found. Check the server address.</source>
        <translation>%1 ist nicht erreichbar: Der Hostname wurde nicht gefunden. Prüfe die Serveradresse.</translation>
    </message>
    <message>
        <source>Cannot reach %1: the connection was refused. Is the server running on that port?</source>
        <translation>%1 ist nicht erreichbar: Die Verbindung wurde abgelehnt. Läuft der Server auf diesem Port?</translation>
    </message>
    <message>
        <source>Cannot reach %1: no answer within %2 s.</source>
        <translation>%1 ist nicht erreichbar: keine Antwort innerhalb von %2 s.</translation>
    </message>
    <message>
        <source>%1 did not complete the TLS handshake within %2 s. Is it an https server?</source>
        <translation>%1 hat den TLS-Handshake nicht innerhalb von %2 s abgeschlossen. Ist es ein https-Server?</translation>
    </message>
    <message>
        <source>%1 did not answer the connection request within %2 s.</source>
        <translation>%1 hat die Verbindungsanfrage nicht innerhalb von %2 s beantwortet.</translation>
    </message>
    <message>
        <source>%1 accepted the connection but did not start the session within %2 s.</source>
        <translation>%1 hat die Verbindung angenommen, die Sitzung aber nicht innerhalb von %2 s begonnen.</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed in the TLS handshake. Is it an https server?</source>
        <translation>Die sichere Verbindung zu %1 ist beim TLS-Handshake gescheitert. Ist es ein https-Server?</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed in the TLS handshake (%2). Is it an https server?</source>
        <translation>Die sichere Verbindung zu %1 ist beim TLS-Handshake gescheitert (%2). Ist es ein https-Server?</translation>
    </message>
    <message>
        <source>The TLS certificate of %1 was not accepted: %2.</source>
        <translation>Das TLS-Zertifikat von %1 wurde nicht akzeptiert: %2.</translation>
    </message>
    <message>
        <source>The TLS certificate of %1 (issued to %2) was not accepted: %3.</source>
        <translation>Das TLS-Zertifikat von %1 (ausgestellt für %2) wurde nicht akzeptiert: %3.</translation>
    </message>
    <message>
        <source>Database %1 was not found on %2 (HTTP 404).</source>
        <translation>Die Datenbank %1 wurde auf %2 nicht gefunden (HTTP 404).</translation>
    </message>
    <message>
        <source>%1 requires a token to open database %2 (HTTP 401).</source>
        <translation>%1 verlangt ein Token, um die Datenbank %2 zu öffnen (HTTP 401).</translation>
    </message>
    <message>
        <source>%1 rejected the saved token (HTTP 401); it may have expired or belong to another server. Sign in again or connect without it.</source>
        <translation>%1 hat das gespeicherte Token abgelehnt (HTTP 401); es ist vielleicht abgelaufen oder gehört zu einem anderen Server. Melde dich erneut an oder verbinde dich ohne Token.</translation>
    </message>
    <message>
        <source>%1 does not allow this identity to open database %2 (HTTP 403).</source>
        <translation>%1 erlaubt dieser Identität nicht, die Datenbank %2 zu öffnen (HTTP 403).</translation>
    </message>
    <message>
        <source>%1 refused to open database %2 (HTTP %3).</source>
        <translation>%1 hat das Öffnen der Datenbank %2 abgelehnt (HTTP %3).</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Der Server sagt: %1</translation>
    </message>
    <message>
        <source>%1 closed the connection without answering. Is it a SpacetimeDB server?</source>
        <translation>%1 hat die Verbindung ohne Antwort geschlossen. Ist es ein SpacetimeDB-Server?</translation>
    </message>
    <message>
        <source>%1 accepted the connection, then closed it before the session started: the module&apos;s client_connected reducer may have rejected this client.</source>
        <translation>%1 hat die Verbindung angenommen und vor Beginn der Sitzung wieder geschlossen: Vielleicht hat der client_connected-Reducer des Moduls diesen Client abgelehnt.</translation>
    </message>
    <message>
        <source>%1 did not answer like a SpacetimeDB server (%2).</source>
        <translation>%1 hat nicht wie ein SpacetimeDB-Server geantwortet (%2).</translation>
    </message>
    <message>
        <source>Cannot reach %1.</source>
        <translation>%1 ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
</context>
<context>
    <name>chat::CredentialStore</name>
    <message>
        <source>Your identity token is stored in a plain file, not encrypted. Anyone who can read your files can chat as you.</source>
        <translation>Dein Identitäts-Token liegt unverschlüsselt in einer Datei. Wer deine Dateien lesen kann, kann als du chatten.</translation>
    </message>
    <message>
        <source>Until then this session uses a temporary identity that is forgotten when you quit (or start with --insecure-token-file to keep it in an unencrypted file).</source>
        <translation>Bis dahin verwendet diese Sitzung eine vorübergehende Identität, die beim Beenden vergessen wird (oder starte mit --insecure-token-file, um sie in einer unverschlüsselten Datei zu behalten).</translation>
    </message>
    <message>
        <source>No keychain is available to store your identity. Install and start a Secret Service provider such as GNOME Keyring (Debian: gnome-keyring) or KWallet.</source>
        <translation>Es ist kein Schlüsselbund verfügbar, um deine Identität zu speichern. Installiere und starte einen Secret-Service-Anbieter wie GNOME Keyring (Debian: gnome-keyring) oder KWallet.</translation>
    </message>
    <message>
        <source>You declined access to the keychain, so your identity cannot be stored.</source>
        <translation>Du hast den Zugriff auf den Schlüsselbund abgelehnt, daher kann deine Identität nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The keychain refused access (%1). It may be locked: unlock your login keyring and reconnect.</source>
        <translation>Der Schlüsselbund verweigert den Zugriff (%1). Vielleicht ist er gesperrt: Entsperre deinen Anmelde-Schlüsselbund und verbinde neu.</translation>
    </message>
    <message>
        <source>This platform&apos;s keychain does not support storing secrets (%1).</source>
        <translation>Der Schlüsselbund dieser Plattform kann keine Geheimnisse speichern (%1).</translation>
    </message>
    <message>
        <source>The keychain could not delete the stored identity (%1).</source>
        <translation>Der Schlüsselbund konnte die gespeicherte Identität nicht löschen (%1).</translation>
    </message>
    <message>
        <source>The keychain failed: %1.</source>
        <translation>Der Schlüsselbund meldet einen Fehler: %1.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Cannot read the token file %1: %2</source>
        <translation>Die Token-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot write the token file %1: %2</source>
        <translation>Die Token-Datei %1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>chat::DayLabel</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>chat::ErrorText</name>
    <message>
        <source>The server sent data this client cannot read: %1</source>
        <translation>Der Server hat Daten geschickt, die dieser Client nicht lesen kann: %1</translation>
    </message>
    <message>
        <source>A compressed message from the server could not be unpacked: %1</source>
        <translation>Eine komprimierte Nachricht des Servers ließ sich nicht entpacken: %1</translation>
    </message>
    <message>
        <source>The server did not follow the protocol: %1</source>
        <translation>Der Server hat sich nicht an das Protokoll gehalten: %1</translation>
    </message>
    <message>
        <source>Not possible: %1</source>
        <translation>Nicht möglich: %1</translation>
    </message>
    <message>
        <source>Network problem: %1</source>
        <translation>Netzwerkproblem: %1</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>Der Server hat abgelehnt: %1</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>Nicht mit dem Server verbunden.</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Interner Fehler: %1</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>Unerwarteter Fehler: %1</translation>
    </message>
    <message>
        <source>The server refused it.</source>
        <translation>Der Server hat es abgelehnt.</translation>
    </message>
    <message>
        <source>The server could not run it: %1</source>
        <translation>Der Server konnte es nicht ausführen: %1</translation>
    </message>
    <message>
        <source>Not sent: the connection ended first.</source>
        <translation>Nicht gesendet: Die Verbindung endete vorher.</translation>
    </message>
    <message>
        <source>The connection was lost before the server answered.</source>
        <translation>Die Verbindung brach ab, bevor der Server antwortete.</translation>
    </message>
</context>
<context>
    <name>chat::NameDisambiguator</name>
    <message>
        <source>(no visible name) %1</source>
        <translation>(kein sichtbarer Name) %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>A name several users share, then the first 8 hex digits of this user&apos;s identity.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>chat::Outbox</name>
    <message>
        <source>The saved outbox %1 could not be read (%2); it was kept as %1.corrupt.</source>
        <translation>Der gespeicherte Postausgang %1 konnte nicht gelesen werden (%2); er wurde als %1.corrupt aufbewahrt.</translation>
    </message>
    <message>
        <source>not an outbox file</source>
        <translation>keine Postausgangsdatei</translation>
    </message>
    <message>
        <source>entry %1 is malformed</source>
        <translation>Eintrag %1 ist fehlerhaft</translation>
    </message>
</context>
<context>
    <name>chat::OutboxWriter</name>
    <message>
        <source>The outbox could not be saved to %1: %2</source>
        <translation>Der Postausgang konnte nicht in %1 gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>chat::TrustedCertificate</name>
    <message>
        <source>No certificate file was given.</source>
        <translation>Es wurde keine Zertifikatsdatei angegeben.</translation>
    </message>
    <message>
        <source>The trusted certificate %1 is a directory, not a file.</source>
        <translation>Das vertrauenswürdige Zertifikat %1 ist ein Verzeichnis, keine Datei.</translation>
    </message>
    <message>
        <source>The trusted certificate %1 cannot be read: %2</source>
        <translation>Das vertrauenswürdige Zertifikat %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The trusted certificate %1 is too large to be a certificate (%2 bytes).</source>
        <translation>Das vertrauenswürdige Zertifikat %1 ist zu groß für ein Zertifikat (%2 Bytes).</translation>
    </message>
    <message>
        <source>The trusted certificate %1 is empty.</source>
        <translation>Das vertrauenswürdige Zertifikat %1 ist leer.</translation>
    </message>
    <message>
        <source>%1 holds a private key, not a certificate. Choose the server&apos;s certificate (the .pem or .crt file), never its key.</source>
        <translation>%1 enthält einen privaten Schlüssel, kein Zertifikat. Wähle das Zertifikat des Servers (die .pem- oder .crt-Datei), niemals seinen Schlüssel.</translation>
    </message>
    <message>
        <source>%1 does not contain a certificate (expected PEM &quot;-----BEGIN CERTIFICATE-----&quot; or DER).</source>
        <translation>%1 enthält kein Zertifikat (erwartet: PEM &quot;-----BEGIN CERTIFICATE-----&quot; oder DER).</translation>
    </message>
    <message>
        <source>%1 contains %2 certificates; give a file with exactly one: the server&apos;s self-signed certificate.</source>
        <translation>%1 enthält %2 Zertifikate; gib eine Datei mit genau einem an: dem selbst signierten Zertifikat des Servers.</translation>
    </message>
</context>
<context>
    <name>chat::UserModel</name>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>last seen online at %1, before the connection was lost</source>
        <translation>zuletzt um %1 online gesehen, bevor die Verbindung abbrach</translation>
    </message>
    <message>
        <source>last seen offline at %1, before the connection was lost</source>
        <translation>zuletzt um %1 offline gesehen, bevor die Verbindung abbrach</translation>
    </message>
</context>
<context>
    <name>desktop::DBusNotifier</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
</context>
<context>
    <name>desktop::MessageNotifier</name>
    <message>
        <source>%1 mentioned you</source>
        <translation>%1 hat dich erwähnt</translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n neue Nachricht</numerusform>
            <numerusform>%n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Spacetime Chat is already running with the profile &quot;%1&quot;; brought it to the front.</source>
        <translation>Spacetime Chat läuft bereits mit dem Profil „%1“; es wurde in den Vordergrund geholt.</translation>
    </message>
    <message>
        <source>Identity Not Imported</source>
        <translation>Identität nicht übernommen</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>quick::QuickOptions</name>
    <message>
        <source>Chat on a SpacetimeDB quickstart-chat database (Qt Quick client).</source>
        <translation>Chatten über eine SpacetimeDB-quickstart-chat-Datenbank (Qt-Quick-Client).</translation>
    </message>
    <message>
        <source>light, dark or system (default: follow the system).</source>
        <translation>light, dark oder system (Standard: dem System folgen).</translation>
    </message>
    <message>
        <source>--color-scheme must be light, dark or system.</source>
        <translation>--color-scheme muss light, dark oder system sein.</translation>
    </message>
    <message>
        <source>SPACETIME_CHAT_COLOR_SCHEME must be light, dark or system, not &quot;%1&quot;.</source>
        <translation>SPACETIME_CHAT_COLOR_SCHEME muss light, dark oder system sein, nicht „%1“.</translation>
    </message>
</context>
</TS>
