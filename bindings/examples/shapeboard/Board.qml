// SPDX-License-Identifier: Apache-2.0
import QtQuick
import ShapeBoard

Window {
    width: 640
    height: 480
    visible: true
    title: qsTr("Shape board: %n item(s)", "", items.count)

    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton
        onClicked: mouse => board.add(mouse.x, mouse.y, Math.floor(Math.random() * 3),
                                      Math.random() < 0.5)
    }

    Text {
        id: status
        anchors.bottom: parent.bottom
        text: qsTr("Click: add a shape. Right click: delete one.")
    }
    Connections {
        target: board
        function onFailed(why) { status.text = why }
    }

    Repeater {
        model: items // board::ItemTableModel: one role per column of `item`
        delegate: Rectangle {
            // `position` is a Point gadget, `shape` a Shape gadget (variant, value),
            // `color` a Color (Q_ENUM: a number in QML). `id` is read as model.id: it is
            // reserved in QML.
            x: model.position.x
            y: model.position.y
            width: model.shape.variant === "Rect" ? model.shape.value.width : 2 * model.shape.value
            height: model.shape.variant === "Rect" ? model.shape.value.height : width
            radius: model.shape.variant === "Circle" ? width / 2 : 0
            color: model.color === Color.Red ? "tomato"
                 : model.color === Color.Green ? "seagreen" : "steelblue"

            Text {
                anchors.centerIn: parent
                text: model.name
            }
            MouseArea {
                anchors.fill: parent
                acceptedButtons: Qt.RightButton
                onClicked: board.remove(model.id)
            }
        }
    }
}
