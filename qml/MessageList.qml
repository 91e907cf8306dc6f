// SPDX-License-Identifier: Apache-2.0
// The conversation: client.messages with a section header per calendar day. Stays at the
// bottom while new messages arrive (unless the user scrolled up) and loads older history when
// scrolled to the top.
import QtQuick
import QtQuick.Controls
import SpacetimeChat 1.0

ListView {
    id: list

    property var client
    property bool stickToBottom: true

    objectName: "messageList"
    clip: true
    spacing: 0
    boundsBehavior: Flickable.StopAtBounds
    model: DayProxyModel { sourceModel: list.client ? list.client.messages : null }

    section.property: "day"
    section.criteria: ViewSection.FullString
    section.delegate: Item {
        required property string section
        width: ListView.view.width
        height: 34
        Rectangle {
            anchors.centerIn: parent
            width: dayLabel.implicitWidth + 20
            height: dayLabel.implicitHeight + 6
            radius: height / 2
            color: palette.alternateBase
            border.color: palette.mid
            Label {
                id: dayLabel
                anchors.centerIn: parent
                text: parent.parent.section
                textFormat: Text.PlainText
                font.pixelSize: 12
                opacity: 0.8
            }
        }
    }

    delegate: MessageDelegate {
        width: ListView.view.width
        client: list.client
    }

    header: Item {
        width: list.width
        height: list.client && list.client.loadingOlder ? 32 : 4
        BusyIndicator {
            anchors.centerIn: parent
            running: list.client && list.client.loadingOlder
            visible: running
            height: 24
            width: 24
        }
    }

    Label {
        anchors.centerIn: parent
        visible: list.count === 0 && list.client && list.client.synced
        text: qsTr("No messages yet. Say hello!")
        opacity: 0.6
    }

    ScrollBar.vertical: ScrollBar { }

    onMovementEnded: stickToBottom = atYEnd
    onCountChanged: if (stickToBottom) Qt.callLater(positionViewAtEnd)
    onHeightChanged: if (stickToBottom) Qt.callLater(positionViewAtEnd)
    onAtYBeginningChanged: {
        if (atYBeginning && !stickToBottom && client && client.synced && client.hasOlder
                && !client.loadingOlder)
            client.loadOlder()
    }
    Component.onCompleted: positionViewAtEnd()
}
