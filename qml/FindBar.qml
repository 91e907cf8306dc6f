// SPDX-License-Identifier: Apache-2.0
// Ctrl+F: finds messages whose text or sender contains the search (chat::MessageFilterModel,
// the rule of the desktop app's find bar) and steps through them, starting at the newest:
// Enter or F3 goes to the next older match, Shift+Enter or Shift+F3 back to a newer one; Esc
// or the close button ends the search. The window scrolls to currentRow (a row of
// client.messages) when matchChosen is emitted.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import SpacetimeChat 1.0

Pane {
    id: bar

    // The message model searched (client.messages).
    property var model: null
    property alias text: field.text
    // Matches in the conversation's order (oldest first).
    property int matchCount: 0
    // Which match is shown (0 = the oldest), -1 for none.
    property int current: -1
    // The row of `model` shown, -1 for none (again when rows come or go above it).
    readonly property int currentRow: {
        revision
        return current >= 0 && current < matchCount
               ? filter.mapToSource(filter.index(current, 0)).row : -1
    }
    property int revision: 0

    signal matchChosen(int row)
    signal closed()

    function open() {
        visible = true
        field.forceActiveFocus()
        field.selectAll()
    }
    function close() {
        field.clear()
        debounce.stop()
        filter.searchText = ""
        current = -1
        visible = false
        closed()
    }
    // Towards older messages (Enter, F3) or newer ones (Shift+Enter, Shift+F3), wrapping.
    function step(older) {
        if (matchCount === 0)
            return
        if (current < 0)
            current = matchCount - 1
        else
            current = older ? (current - 1 + matchCount) % matchCount : (current + 1) % matchCount
        matchChosen(currentRow)
    }
    function recount() {
        matchCount = filter.searchText === "" ? 0 : filter.rowCount()
        if (current >= matchCount)
            current = matchCount - 1
    }

    objectName: "findBar"
    visible: false
    padding: 4
    leftPadding: 8
    rightPadding: 8

    MessageFilterModel {
        id: filter
        sourceModel: bar.model
        // A new search starts at the newest match.
        onSearchTextChanged: {
            bar.recount()
            bar.current = -1
            bar.step(true)
        }
        // Older history goes in above: the shown match keeps its place.
        onRowsInserted: (parent, first, last) => {
            if (bar.current >= first)
                bar.current += last - first + 1
            bar.recount()
        }
        onRowsRemoved: (parent, first, last) => {
            if (bar.current > last)
                bar.current -= last - first + 1
            else if (bar.current >= first)
                bar.current = -1
            bar.recount()
        }
        onModelReset: { bar.current = -1; bar.recount() }
        onLayoutChanged: bar.recount()
    }
    // Later, not now: the filter may hear of the change after this does.
    function bump() { ++revision }
    Connections {
        target: bar.model
        ignoreUnknownSignals: true
        function onRowsInserted() { Qt.callLater(bar.bump) }
        function onRowsRemoved() { Qt.callLater(bar.bump) }
        function onModelReset() { Qt.callLater(bar.bump) }
    }
    // Filtering a long history on every keystroke would stutter; wait for a short pause
    // (Enter searches at once).
    Timer {
        id: debounce
        interval: 120
        onTriggered: filter.searchText = field.text
    }

    RowLayout {
        anchors.fill: parent
        spacing: 8

        Label {
            text: qsTr("Find:")
        }
        TextField {
            id: field
            objectName: "findField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search messages and senders")
            Accessible.name: qsTr("Find in conversation")
            onTextChanged: debounce.restart()
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_Escape) {
                    bar.close()
                    event.accepted = true
                } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
                    if (filter.searchText !== field.text) {
                        debounce.stop()
                        filter.searchText = field.text // shows the newest match
                    } else {
                        bar.step(!(event.modifiers & Qt.ShiftModifier))
                    }
                    event.accepted = true
                }
            }
        }
        Label {
            objectName: "findCount"
            textFormat: Text.PlainText
            visible: filter.searchText !== ""
            text: bar.matchCount === 0 ? qsTr("No matches")
                                       : qsTr("%1 of %2").arg(bar.current + 1).arg(bar.matchCount)
        }
        ToolButton {
            objectName: "findOlder"
            text: "↑"
            enabled: bar.matchCount > 0
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Older match (Enter, F3)")
            onClicked: bar.step(true)
        }
        ToolButton {
            objectName: "findNewer"
            text: "↓"
            enabled: bar.matchCount > 0
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Newer match (Shift+Enter, Shift+F3)")
            onClicked: bar.step(false)
        }
        ToolButton {
            objectName: "findClose"
            text: "✕"
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Close the find bar (Esc)")
            Accessible.name: qsTr("Close find bar")
            onClicked: bar.close()
        }
    }
}
