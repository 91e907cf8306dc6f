// SPDX-License-Identifier: Apache-2.0
// The conversation: client.messages with a section header per calendar day. Stays at the
// bottom while new messages arrive (unless the user scrolled up) and loads older history when
// scrolled to the top: it asks the message model (canFetchOlder / fetchOlder, Qt's
// canFetchMore idiom; the day proxy does not fetch on its own, rows go in at the top). While
// the cap unloaded the newest messages, "Jump to newest" (or reaching the bottom) reloads them.
// Opens at the "New messages" line when something is unread, and tells the read marker
// (client.readMarker) whether the user is looking at the newest message.
import QtQuick
import QtQuick.Controls
import SpacetimeChat 1.0

ListView {
    id: list

    property var client
    property bool stickToBottom: true
    readonly property var history: client ? client.messages : null
    readonly property bool newerUnloaded: history !== null && history.newerUnloaded
    readonly property var readMarker: client && client.readMarker ? client.readMarker : null
    // The user is looking at the window (tests may set it).
    property bool attended: Window.active && Window.window !== null
                            && Window.window.visibility !== Window.Minimized
    property bool openedAtMarker: false

    // Puts the "New messages" line at the top; false when nothing is unread.
    function positionAtFirstUnread() {
        if (!readMarker || readMarker.firstUnreadRow < 0)
            return false
        stickToBottom = false
        positionViewAtIndex(readMarker.firstUnreadRow, ListView.Beginning)
        stickToBottom = atYEnd
        return true
    }
    // The first rows of the session: at the line, or at the bottom.
    function openAtMarker() {
        if (openedAtMarker)
            return
        if (count === 0 || !client || !client.synced) {
            if (stickToBottom)
                positionViewAtEnd()
            return
        }
        openedAtMarker = true
        if (!positionAtFirstUnread())
            positionViewAtEnd()
    }

    function loadOlder() {
        if (history && history.canFetchOlder && !client.loadingOlder)
            history.fetchOlder()
    }
    function jumpToNewest() {
        if (newerUnloaded)
            history.reloadNewest()
        stickToBottom = true
        positionViewAtEnd()
    }

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
        messages: list.history
    }

    header: Item {
        width: list.width
        height: (list.client && list.client.loadingOlder) || olderButton.visible ? 40 : 4
        BusyIndicator {
            anchors.centerIn: parent
            running: list.client && list.client.loadingOlder
            visible: running
            height: 24
            width: 24
        }
        Button {
            id: olderButton
            objectName: "loadOlderButton"
            anchors.centerIn: parent
            visible: list.history !== null && list.history.canFetchOlder
                     && !(list.client && list.client.loadingOlder)
            text: qsTr("↑ Load older messages")
            onClicked: list.loadOlder()
        }
    }

    Button {
        objectName: "jumpToNewestButton"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 12
        visible: list.newerUnloaded
        text: qsTr("Newer messages unloaded · Jump to newest ↓")
        onClicked: list.jumpToNewest()
    }

    Label {
        anchors.centerIn: parent
        visible: list.count === 0 && list.client && list.client.synced
        text: qsTr("No messages yet. Say hello!")
        opacity: 0.6
    }

    ScrollBar.vertical: ScrollBar { }

    onMovementEnded: {
        stickToBottom = atYEnd
        if (atYEnd && newerUnloaded)
            jumpToNewest()
    }
    Binding {
        target: list.readMarker
        when: list.readMarker !== null
        property: "attended"
        value: list.attended && list.visible
    }
    Binding {
        target: list.readMarker
        when: list.readMarker !== null
        property: "newestVisible"
        value: list.atYEnd && !list.newerUnloaded
    }

    // Until the session's first rows are placed, openAtMarker() decides where the view is.
    onCountChanged: {
        if (!openedAtMarker)
            Qt.callLater(openAtMarker)
        else if (stickToBottom)
            Qt.callLater(positionViewAtEnd)
    }
    Connections {
        target: list.client
        ignoreUnknownSignals: true
        function onSyncedChanged() { Qt.callLater(list.openAtMarker) }
    }
    onHeightChanged: if (stickToBottom) Qt.callLater(positionViewAtEnd)
    onAtYBeginningChanged: {
        if (atYBeginning && !stickToBottom && client && client.synced)
            loadOlder()
    }
    Component.onCompleted: {
        openAtMarker()
        if (!openedAtMarker)
            positionViewAtEnd()
    }
}
