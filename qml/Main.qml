// SPDX-License-Identifier: Apache-2.0
// The main window: connection banner, find bar, messages, users, input. Presentation only:
// every action is a ChatClient call, every text comes from its properties and models. The
// keyboard shortcuts are the desktop app's where they apply: Ctrl+Q quits, Ctrl+F finds (F3 and
// Shift+F3 step through the matches), F2 renames, Ctrl+End jumps to the newest message.
// Notifications: the desktop::MessageNotifier in `notifications` (as in the desktop app) is
// told whether the window is attended and brings it back at the message clicked.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

ApplicationWindow {
    id: window

    required property var client
    // desktop::MessageNotifier; null: no notifications.
    property var notifications: null
    // The row of client.messages marked (the find bar's match, a notification's message).
    property int markedRow: -1
    readonly property bool attended: visible && active && visibility !== Window.Minimized

    // Brings the window forward at the message a notification was about.
    function showNotified(notificationId) {
        if (visibility === Window.Minimized)
            showNormal()
        else
            show()
        raise()
        requestActivate()
        if (findBar.visible)
            findBar.close()
        showRow(notifications.rowOf(notificationId, client.messages))
    }
    function showRow(row) {
        if (row >= 0) {
            messageList.stickToBottom = false
            messageList.positionViewAtIndex(row, ListView.Center)
        }
        markedRow = row
    }
    // The find bar's match: when the search text lies in the hidden part of a collapsed
    // message, the message expands, and the line with the match is brought into view.
    function showMatch(row) {
        showRow(row)
        const item = row >= 0 ? messageList.itemAtIndex(row) : null
        const needle = findBar.text.toLocaleLowerCase()
        if (!item || needle.length === 0)
            return
        const at = item.text.toLocaleLowerCase().indexOf(needle)
        if (at < 0)
            return // matched by its sender
        item.revealTextPosition(at)
        // After the list laid the taller delegate out.
        Qt.callLater(function() {
            const shown = messageList.itemAtIndex(row)
            if (!shown)
                return
            const r = shown.revealTextPosition(at)
            const y = shown.y + r.y
            if (y < messageList.contentY || y + r.height > messageList.contentY + messageList.height)
                messageList.contentY = y - messageList.height / 2
        })
    }

    width: 980
    height: 640
    minimumWidth: 560
    minimumHeight: 360
    visible: true
    title: {
        const name = client.profileName === "default"
                     ? qsTr("Spacetime Chat — %1").arg(client.database)
                     : qsTr("Spacetime Chat — %1 (%2)").arg(client.database).arg(client.profileName)
        return notifications && notifications.unread > 0
               ? qsTr("(%1) %2").arg(notifications.unread).arg(name) : name
    }

    Binding {
        target: window.notifications
        when: window.notifications !== null
        property: "attended"
        value: window.attended
    }
    Connections {
        target: window.notifications
        function onActivated(notificationId) { window.showNotified(notificationId) }
    }

    Shortcut {
        sequences: [StandardKey.Quit]
        onActivated: Qt.quit()
    }
    Shortcut {
        sequences: [StandardKey.Find]
        onActivated: findBar.open()
    }
    Shortcut {
        sequences: [StandardKey.FindNext]
        enabled: findBar.visible
        onActivated: findBar.step(true)
    }
    Shortcut {
        sequences: [StandardKey.FindPrevious]
        enabled: findBar.visible
        onActivated: findBar.step(false)
    }
    Shortcut {
        sequence: "F2"
        enabled: window.client.synced
        onActivated: renameDialog.openWith(window.client.ownName)
    }
    Shortcut {
        sequence: "Ctrl+End"
        onActivated: {
            window.markedRow = -1
            messageList.jumpToNewest()
        }
    }

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
                objectName: "muteButton"
                visible: window.notifications !== null
                checkable: true
                checked: window.notifications !== null && window.notifications.muted
                text: qsTr("Mute")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("No notifications until the app is restarted")
                onToggled: window.notifications.muted = checked
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
            objectName: "mainSplit" // its state is kept per profile (desktop::WindowLayout)
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

                    FindBar {
                        id: findBar
                        model: window.client.messages
                        Layout.fillWidth: true
                        onMatchChosen: (row) => window.showMatch(row)
                        onClosed: {
                            window.markedRow = -1
                            input.focusInput()
                        }
                    }
                    MessageList {
                        id: messageList
                        client: window.client
                        Layout.fillWidth: true
                        Layout.fillHeight: true

                        // Over the marked message; follows it while its delegate exists.
                        Rectangle {
                            // Again after scrolling: delegates come and go.
                            readonly property Item target: {
                                messageList.contentY
                                messageList.count
                                return window.markedRow >= 0
                                       ? messageList.itemAtIndex(window.markedRow) : null
                            }
                            objectName: "markedMessage"
                            parent: messageList.contentItem
                            visible: target !== null
                            x: 0
                            y: target ? target.y : 0
                            z: 10
                            width: messageList.width
                            height: target ? target.height : 0
                            color: "transparent"
                            border.color: palette.highlight
                            border.width: 2
                            radius: 4
                        }
                    }
                    MessageInput {
                        id: input
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
