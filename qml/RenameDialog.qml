// SPDX-License-Identifier: Apache-2.0
// Change your name: checked as you type with the chat layer's rules; the server's answer
// (accepted, or its reason for refusing) decides whether the dialog closes.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

Dialog {
    id: dialog

    property var client
    property bool waiting: false
    property string serverError: ""
    readonly property string localError: nameField.text === "" ? "" : ChatUi.validateName(nameField.text)
    readonly property string shownError: serverError !== "" ? serverError : localError

    objectName: "renameDialog"
    title: qsTr("Change your name")
    modal: true
    focus: true
    width: 400

    function openWith(current) {
        nameField.text = current
        serverError = ""
        waiting = false
        open()
        nameField.selectAll()
        nameField.forceActiveFocus()
    }

    function save() {
        if (!saveButton.enabled)
            return
        serverError = ""
        if (dialog.client.setName(nameField.text))
            waiting = true
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        Label {
            text: qsTr("Everyone in this database sees this name next to your messages.")
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        TextField {
            id: nameField
            objectName: "nameField"
            placeholderText: qsTr("Your name")
            enabled: !dialog.waiting
            Layout.fillWidth: true
            onTextChanged: dialog.serverError = ""
            onAccepted: dialog.save()
        }
        Label {
            objectName: "nameError"
            visible: dialog.shownError !== ""
            text: dialog.shownError
            textFormat: Text.PlainText
            color: "#b3261e"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "saveButton"
            id: saveButton
            text: dialog.waiting ? qsTr("Saving…") : qsTr("Save")
            enabled: !dialog.waiting && nameField.text !== "" && dialog.localError === ""
                     && dialog.client && dialog.client.synced
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            onClicked: dialog.save()
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    Connections {
        target: dialog.client
        function onNameChanged(name) {
            if (dialog.waiting) {
                dialog.waiting = false
                dialog.close()
            }
        }
        function onNameRejected(name, reason) {
            dialog.waiting = false
            dialog.serverError = reason
        }
    }
}
