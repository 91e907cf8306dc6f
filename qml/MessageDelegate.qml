// SPDX-License-Identifier: Apache-2.0
// One message: sender and time on the first of a group, the text (always plain text: it comes
// from the network), and for our own unconfirmed messages their state with Retry/Discard.
// A message longer than collapseAboveLines lines at the current width shows its first
// collapsedLines lines, faded out, with a "Show more" / "Show less" button; whether it is
// expanded is the message model's (expanded role, setExpanded by messageId), so it survives
// the delegate being recycled, and Find can expand a message too. The first unread message has
// the "New messages" line above it (chat::ReadMarker).
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
    required property string messageId
    required property bool expanded
    required property bool firstUnread
    property var client
    // The chat::MessageModel the toggle writes to (setExpanded); null: no toggle.
    property var messages: null

    readonly property int collapseAboveLines: 12
    // A collapsed message is never taller than one of collapseAboveLines lines.
    readonly property int collapsedLines: 10
    readonly property bool collapsible: messageText.lineCount > collapseAboveLines
    readonly property bool collapsed: collapsible && !expanded

    function toggleExpanded() {
        if (root.messages && root.collapsible)
            root.messages.setExpanded(root.messageId, !root.expanded)
    }
    // For Find: expands the message when the text's character at position lies in the part
    // a collapsed message hides; returns where that character is (this item's coordinates),
    // to scroll it into view.
    function revealTextPosition(position) {
        const r = messageText.positionToRectangle(position)
        if (root.collapsed && r.y + r.height > textClip.implicitHeight && root.messages)
            root.messages.setExpanded(root.messageId, true)
        return messageText.mapToItem(root, r.x, r.y, r.width, r.height)
    }

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

        Item {
            id: textClip
            objectName: "messageTextClip"
            Layout.fillWidth: true
            // Plain text: every line is equally high.
            implicitHeight: root.collapsed
                            ? Math.ceil(messageText.contentHeight / messageText.lineCount
                                        * root.collapsedLines)
                            : messageText.implicitHeight
            clip: root.collapsed

            TextEdit {
                id: messageText
                objectName: "messageText"
                width: parent.width
                text: root.text
                textFormat: TextEdit.PlainText
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                color: palette.text
                selectionColor: palette.highlight
                selectedTextColor: palette.highlightedText
                opacity: root.deliveryState === Chat.Sent ? 1.0 : 0.65
            }

            // The cut edge: the last lines shown fade into the background.
            Rectangle {
                id: fade
                objectName: "collapseFade"
                visible: root.collapsed
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                height: Math.min(parent.height, messageText.contentHeight / messageText.lineCount * 1.5)
                readonly property color background: root.mentionsMe
                                                    ? Qt.tint(palette.base, Qt.rgba(0.84, 0.55, 0.0, 0.15))
                                                    : palette.base
                gradient: Gradient {
                    GradientStop {
                        position: 0.0
                        color: Qt.rgba(fade.background.r, fade.background.g, fade.background.b, 0)
                    }
                    GradientStop { position: 1.0; color: fade.background }
                }
            }
        }

        Button {
            objectName: "expandButton"
            visible: root.collapsible
            flat: true
            padding: 2
            leftPadding: 0
            // Not a style's minimum button width: the text starts at the text column.
            implicitWidth: implicitContentWidth + leftPadding + rightPadding
            // A link under the text, as in the desktop app.
            palette.windowText: palette.link
            focusPolicy: Qt.StrongFocus
            text: root.expanded ? qsTr("Show less") : qsTr("Show more")
            Accessible.name: text
            Accessible.description: root.expanded ? qsTr("Show only the start of this message")
                                                  : qsTr("Show the whole message")
            onClicked: root.toggleExpanded()
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
