// SPDX-License-Identifier: Apache-2.0
// A strip above the conversation while the client is not online (what is happening, the
// reconnect countdown, "Reconnect now"), and for notices a person should read (keychain
// problems, refused subscriptions) until dismissed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

Rectangle {
    id: banner

    property var client
    property string notice: ""

    readonly property bool problem: client && (client.state === ChatClient.Reconnecting
                                               || client.state === ChatClient.Error)
    readonly property bool showState: client && client.state !== ChatClient.Online
    readonly property string stateText: {
        if (!client)
            return ""
        switch (client.state) {
        case ChatClient.Connecting:
            return qsTr("Connecting to %1…").arg(client.serverUrl)
        case ChatClient.Reconnecting:
            if (!client.wasOnline) // never connected in this session: nothing was lost
                return client.reconnectSeconds > 0
                        ? qsTr("Could not connect to %1. Trying again in %n s…", "", client.reconnectSeconds).arg(client.serverUrl)
                        : qsTr("Could not connect to %1. Trying again…").arg(client.serverUrl)
            return client.reconnectSeconds > 0
                    ? qsTr("Connection lost. Reconnecting in %n s…", "", client.reconnectSeconds)
                    : qsTr("Connection lost. Reconnecting…")
        case ChatClient.Offline:
            return qsTr("Offline.")
        case ChatClient.Error:
            if (client.errorSource === ChatClient.Subscription)
                return client.reconnectSeconds > 0
                        ? qsTr("Connected, but the server refused the subscription. Trying again in %n s…", "", client.reconnectSeconds)
                        : qsTr("Connected, but the server refused the subscription.")
            return qsTr("Not connected.")
        }
        return ""
    }

    objectName: "connectionBanner"
    visible: showState || notice !== ""
    implicitHeight: visible ? layout.implicitHeight + 12 : 0
    color: problem ? "#fdecea" : (showState ? "#fff6dd" : "#e8f1fb")
    border.color: Qt.darker(color, 1.15)

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 6
        anchors.leftMargin: 12
        spacing: 10

        BusyIndicator {
            running: banner.client && banner.client.state === ChatClient.Connecting
            visible: running
            Layout.preferredWidth: 22
            Layout.preferredHeight: 22
        }
        ColumnLayout {
            spacing: 2
            Layout.fillWidth: true
            Label {
                objectName: "bannerState"
                visible: banner.showState
                text: banner.stateText
                color: "#202020"
                font.bold: true
                textFormat: Text.PlainText
                Layout.fillWidth: true
            }
            Label {
                objectName: "bannerError"
                visible: banner.showState && banner.client.lastError !== ""
                text: banner.client ? banner.client.lastError : ""
                color: "#404040"
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                Layout.fillWidth: true
            }
            Label {
                objectName: "bannerNotice"
                visible: banner.notice !== ""
                text: banner.notice
                color: "#202020"
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                Layout.fillWidth: true
            }
        }
        Button {
            objectName: "reconnectButton"
            visible: banner.client && banner.client.state !== ChatClient.Online
                     && banner.client.state !== ChatClient.Connecting
            text: banner.client && banner.client.state === ChatClient.Reconnecting
                  ? qsTr("Reconnect now") : qsTr("Connect")
            onClicked: banner.client.reconnectNow()
        }
        ToolButton {
            visible: banner.notice !== ""
            text: "✕"
            onClicked: banner.notice = ""
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Dismiss")
        }
    }

    Connections {
        target: banner.client
        function onCredentialWarning(text) { banner.notice = text }
        function onStorageProblem(text) { banner.notice = text }
    }
}
