// SPDX-License-Identifier: Apache-2.0
// The main window: connection banner, messages, users, input. Presentation only: every
// action is a ChatClient call, every text comes from its properties and models.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

ApplicationWindow {
    id: window

    required property var client

    width: 980
    height: 640
    minimumWidth: 560
    minimumHeight: 360
    visible: true
    title: client.profileName === "default"
           ? qsTr("Spacetime Chat — %1").arg(client.database)
           : qsTr("Spacetime Chat — %1 (%2)").arg(client.database).arg(client.profileName)

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 6
            spacing: 8

            Label {
                text: window.client.database
                font.bold: true
                font.pixelSize: 16
                textFormat: Text.PlainText
            }
            Label {
                text: window.client.serverUrl
                opacity: 0.6
                elide: Text.ElideMiddle
                textFormat: Text.PlainText
                Layout.fillWidth: true
            }
            Label {
                objectName: "ownNameLabel"
                // With an identity suffix while another user's name looks like ours.
                text: window.client.users.selfDisplayName !== ""
                      ? window.client.users.selfDisplayName
                      : window.client.ownName !== "" ? window.client.ownName
                                                     : window.client.identityShort
                textFormat: Text.PlainText
                elide: Text.ElideRight
                Layout.maximumWidth: 220
                ToolTip.visible: ownNameHover.hovered && window.client.identity !== ""
                ToolTip.text: qsTr("Your identity: %1").arg(window.client.identity)
                HoverHandler { id: ownNameHover }
            }
            ToolButton {
                objectName: "renameButton"
                text: qsTr("Rename…")
                enabled: window.client.synced
                onClicked: renameDialog.openWith(window.client.ownName)
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ConnectionBanner {
            client: window.client
            Layout.fillWidth: true
        }

        SplitView {
            orientation: Qt.Horizontal
            Layout.fillWidth: true
            Layout.fillHeight: true

            Rectangle {
                color: palette.base
                SplitView.fillWidth: true
                SplitView.minimumWidth: 300

                ColumnLayout {
                    anchors.fill: parent
                    spacing: 0

                    MessageList {
                        client: window.client
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                    }
                    MessageInput {
                        client: window.client
                        Layout.fillWidth: true
                    }
                }
            }

            UserList {
                client: window.client
                SplitView.preferredWidth: 230
                SplitView.minimumWidth: 160
            }
        }
    }

    RenameDialog {
        id: renameDialog
        client: window.client
        anchors.centerIn: Overlay.overlay
    }

    // Found the official Rust quickstart's identity and none is stored for this profile.
    Dialog {
        id: rustDialog
        property string path
        title: qsTr("Continue as your Rust quickstart identity?")
        modal: true
        anchors.centerIn: Overlay.overlay
        standardButtons: Dialog.Yes | Dialog.No
        Label {
            width: 420
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            text: qsTr("The official Rust quickstart client saved an identity in %1. Continue as "
                       + "that identity here? Otherwise you get a new one.").arg(rustDialog.path)
        }
        onAccepted: window.client.acceptRustIdentity(true)
        onRejected: window.client.acceptRustIdentity(false)
    }

    Connections {
        target: window.client
        function onRustIdentityOffered(path) {
            rustDialog.path = path
            rustDialog.open()
        }
    }
}
