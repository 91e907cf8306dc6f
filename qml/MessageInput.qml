// SPDX-License-Identifier: Apache-2.0
// Where messages are written: Enter sends, Shift+Enter starts a new line. The client decides
// what is acceptable (messageRejected explains a refusal inline).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Pane {
    id: root

    property var client
    property alias text: area.text
    property string error: ""

    objectName: "messageInput"
    padding: 8
    background: Rectangle {
        color: palette.window
        Rectangle { width: parent.width; height: 1; color: palette.mid }
    }

    function send() {
        if (area.text.trim() === "")
            return
        const text = area.text
        error = ""
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
    }
}
