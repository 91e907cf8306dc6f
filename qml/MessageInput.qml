// SPDX-License-Identifier: Apache-2.0
// Where messages are written: Enter sends, Shift+Enter starts a new line, Tab completes a user
// name (Shift+Tab cycles back; chat::NameCompleter through client.users), "/name NEW" renames
// instead of sending (as in the desktop app). The client decides what is acceptable
// (messageRejected and nameRejected explain a refusal inline).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

Pane {
    id: root

    property var client
    property alias text: area.text
    property string error: ""
    // A "/name" from here is waiting for the server's answer (its refusal is shown here).
    property bool renaming: false

    objectName: "messageInput"
    padding: 8
    background: Rectangle {
        color: palette.window
        Rectangle { width: parent.width; height: 1; color: palette.mid }
    }

    // Tab (backwards: Shift+Tab): true when a name was completed.
    function completeName(backwards) {
        if (!client || !client.users)
            return false
        const c = client.users.completeName(area.text, area.cursorPosition, backwards)
        if (c.text === undefined)
            return false
        // An edit, not a new text: Undo takes the completion back.
        area.remove(c.from, c.to)
        area.insert(c.from, c.insert)
        area.cursorPosition = c.cursor
        return true
    }

    function focusInput() {
        area.forceActiveFocus()
    }

    function send() {
        if (area.text.trim() === "")
            return
        const text = area.text
        error = ""
        const newName = ChatUi.nameCommand(text)
        if (newName !== undefined && newName !== null) {
            if (newName === "") {
                error = qsTr("Usage: /name NEW NAME")
                return
            }
            renaming = true
            area.clear()
            client.setName(newName)
            area.forceActiveFocus()
            return
        }
        const id = client.sendMessage(text)
        if (id !== 0)
            area.clear()
        area.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        Label {
            objectName: "inputError"
            visible: root.error !== ""
            text: root.error
            textFormat: Text.PlainText
            color: "#b3261e"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        RowLayout {
            spacing: 8
            Layout.fillWidth: true

            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(Math.max(area.implicitHeight, 40), 140)

                TextArea {
                    id: area
                    objectName: "inputArea"
                    placeholderText: qsTr("Message — Enter sends, Shift+Enter adds a line")
                    wrapMode: TextArea.Wrap
                    textFormat: TextEdit.PlainText
                    focus: true
                    background: Rectangle {
                        color: palette.base
                        radius: 4
                        border.color: area.activeFocus ? palette.highlight : palette.mid
                        border.width: area.activeFocus ? 2 : 1
                    }
                    onTextChanged: root.error = ""
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab)
                                && !(event.modifiers & (Qt.ControlModifier | Qt.AltModifier
                                                        | Qt.MetaModifier))) {
                            // Otherwise Tab keeps its usual meaning.
                            event.accepted = root.completeName(event.key === Qt.Key_Backtab
                                                               || (event.modifiers & Qt.ShiftModifier))
                            return
                        }
                        if (event.key !== Qt.Key_Shift && event.key !== Qt.Key_Control
                                && event.key !== Qt.Key_Alt && event.key !== Qt.Key_Meta
                                && root.client && root.client.users)
                            root.client.users.endNameCompletion() // any other key ends the cycle
                        if (event.key !== Qt.Key_Return && event.key !== Qt.Key_Enter)
                            return
                        if (event.modifiers & Qt.ShiftModifier) {
                            area.insert(area.cursorPosition, "\n")
                        } else {
                            root.send()
                        }
                        event.accepted = true
                    }
                }
            }
            Button {
                objectName: "sendButton"
                text: qsTr("Send")
                enabled: area.text.trim() !== ""
                onClicked: root.send()
            }
        }
    }

    Connections {
        target: root.client
        ignoreUnknownSignals: true
        function onMessageRejected(text, reason) { root.error = reason }
        function onNameChanged(name) { root.renaming = false }
        function onNameRejected(name, reason) {
            if (root.renaming)
                root.error = qsTr("Name not changed: %1").arg(ChatUi.isolate(reason))
            root.renaming = false
        }
    }
}
