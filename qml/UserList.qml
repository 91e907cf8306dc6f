// SPDX-License-Identifier: Apache-2.0
// Everyone in the database: online first (green dot), you marked. Names that look alike carry an
// identity suffix (the model's displayName). While our connection is down the list is grey: the
// dots are only what was last seen.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Pane {
    id: root

    property var client

    objectName: "userList"
    padding: 0
    background: Rectangle { color: palette.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Label {
            objectName: "userListHeader"
            text: !root.client ? ""
                  : root.client.users.presenceKnown
                    ? qsTr("Online — %1 of %2").arg(root.client.users.onlineCount)
                          .arg(root.client.users.count)
                    : qsTr("Online when last seen — %1 of %2").arg(root.client.users.onlineCount)
                          .arg(root.client.users.count)
            textFormat: Text.PlainText
            font.bold: true
            opacity: 0.8
            padding: 10
            Layout.fillWidth: true
        }

        ListView {
            id: view
            objectName: "userView"
            clip: true
            model: root.client ? root.client.users : null
            Layout.fillWidth: true
            Layout.fillHeight: true
            ScrollBar.vertical: ScrollBar { }

            delegate: ItemDelegate {
                id: item
                required property string displayName
                required property string identity
                required property bool online
                required property bool isSelf
                required property bool presenceKnown
                required property string presenceText

                width: ListView.view.width
                height: 30
                hoverEnabled: true
                background: Rectangle {
                    color: item.hovered ? Qt.darker(palette.window, 1.06) : "transparent"
                }
                ToolTip.visible: hovered
                ToolTip.delay: 600
                ToolTip.text: qsTr("%1\nIdentity: %2").arg(presenceText).arg(identity)

                contentItem: RowLayout {
                    spacing: 8
                    Rectangle {
                        objectName: "onlineDot"
                        width: 9
                        height: 9
                        radius: 4.5
                        // Last seen online, connection down: a grey ring.
                        color: item.online && item.presenceKnown ? "#2e9e44" : "transparent"
                        border.color: item.online && item.presenceKnown ? "#2e9e44" : "#9a9a9a"
                        border.width: 1.5
                    }
                    Label {
                        objectName: "userName"
                        text: item.displayName
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font.bold: item.isSelf
                        opacity: item.online && item.presenceKnown ? 1.0 : 0.55
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "selfMarker"
                        visible: item.isSelf
                        text: qsTr("you")
                        font.pixelSize: 11
                        opacity: 0.6
                    }
                }
            }
        }
    }
}
