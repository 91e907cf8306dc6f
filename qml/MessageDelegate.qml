// SPDX-License-Identifier: Apache-2.0
// One message: sender and time on the first of a group, the text (always plain text: it comes
// from the network), and for our own unconfirmed messages their state with Retry/Discard. The
// first unread message has the "New messages" line above it (chat::ReadMarker).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

Item {
    id: root

    required property string senderName
    required property string senderIdentity
    required property string text
    required property var sent
    required property bool isOwn
    required property int deliveryState
    required property bool firstOfGroup
    required property var localId
    required property string error
    required property bool mentionsMe
    required property bool firstUnread
    property var client

    // Below the "New messages" line the sender is named again.
    readonly property bool showHeader: firstOfGroup || firstUnread
    readonly property int unreadLineHeight: firstUnread ? unreadLine.implicitHeight : 0

    implicitHeight: unreadLineHeight + column.implicitHeight + (showHeader ? 10 : 2)

    Item {
        id: unreadLine
        objectName: "unreadLine"
        visible: root.firstUnread
        width: root.width
        height: root.unreadLineHeight
        implicitHeight: unreadLabel.implicitHeight + 10
        Rectangle {
            anchors.left: parent.left
            anchors.leftMargin: 14
            anchors.right: unreadLabel.left
            anchors.rightMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            height: 1
            color: "#c82828"
        }
        Label {
            id: unreadLabel
            anchors.right: parent.right
            anchors.rightMargin: 14
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("New messages")
            textFormat: Text.PlainText
            font.pixelSize: 11
            font.bold: true
            color: "#c82828"
        }
    }

    // Someone mentioned us: an amber bar at the left edge over an amber tint, as in the desktop
    // app; readable on light and dark palettes.
    Rectangle {
        objectName: "mentionHighlight"
        visible: root.mentionsMe
        anchors.fill: parent
        anchors.topMargin: root.unreadLineHeight
        color: Qt.rgba(0.84, 0.55, 0.0, 0.15)
        Rectangle {
            width: 3
            height: parent.height
            color: "#d68c00"
        }
    }

    ColumnLayout {
        id: column
        x: 14
        y: root.unreadLineHeight + (root.showHeader ? 8 : 1)
        width: root.width - 28
        spacing: 1

        RowLayout {
            visible: root.showHeader
            spacing: 8
            Label {
                objectName: "senderLabel"
                text: root.senderName
                textFormat: Text.PlainText
                font.bold: true
                color: root.isOwn ? "#1f6fb2" : "#7a3e9d"
                elide: Text.ElideRight
                Layout.maximumWidth: column.width * 0.6
                ToolTip.visible: senderHover.hovered
                ToolTip.text: root.senderIdentity
                HoverHandler { id: senderHover }
            }
            Label {
                objectName: "timeLabel"
                text: ChatUi.timeText(root.sent)
                textFormat: Text.PlainText
                font.pixelSize: 11
                opacity: 0.6
                ToolTip.visible: timeHover.hovered
                ToolTip.text: ChatUi.dateTimeText(root.sent)
                HoverHandler { id: timeHover }
            }
        }

        TextEdit {
            objectName: "messageText"
            text: root.text
            textFormat: TextEdit.PlainText
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            color: palette.text
            selectionColor: palette.highlight
            selectedTextColor: palette.highlightedText
            opacity: root.deliveryState === Chat.Sent ? 1.0 : 0.65
            Layout.fillWidth: true
        }

        RowLayout {
            visible: root.deliveryState !== Chat.Sent
            spacing: 8
            Label {
                objectName: "deliveryLabel"
                textFormat: Text.PlainText
                font.pixelSize: 11
                color: root.deliveryState === Chat.Failed ? "#b3261e" : palette.text
                opacity: root.deliveryState === Chat.Failed ? 1.0 : 0.6
                text: {
                    switch (root.deliveryState) {
                    case Chat.Pending: return qsTr("Sending…")
                    case Chat.Unconfirmed: return qsTr("Not confirmed yet")
                    case Chat.Failed:
                        return root.error !== "" ? qsTr("Not sent: %1").arg(ChatUi.isolate(root.error))
                                                 : qsTr("Not sent")
                    }
                    return ""
                }
            }
            Button {
                visible: root.deliveryState === Chat.Failed
                text: qsTr("Retry")
                flat: true
                onClicked: root.client.retryMessage(root.localId)
            }
            Button {
                visible: root.deliveryState === Chat.Failed
                         || root.deliveryState === Chat.Unconfirmed
                text: qsTr("Discard")
                flat: true
                onClicked: root.client.discardMessage(root.localId)
            }
        }
    }
}
