// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls
import QtTest
import SpacetimeChat 1.0
import "qrc:/qml"

Item {
    id: top
    width: 900
    height: 600

    // A stand-in with ChatClient's sendMessage/messageRejected, to see exactly what the input
    // hands over.
    QtObject {
        id: fakeClient
        property var users: completionUsers
        property var sent: []
        property var renames: []
        property bool refuse: false
        signal messageRejected(string text, string reason)
        signal nameRejected(string name, string reason)
        signal nameChanged(string name)
        function setName(name) {
            renames.push(name)
            if (refuse) {
                nameRejected(name, "Names must not be empty")
                return false
            }
            nameChanged(name)
            return true
        }
        function sendMessage(text) {
            if (refuse) {
                messageRejected(text, "Messages must not be empty")
                return 0
            }
            sent.push(text)
            return sent.length
        }
    }

    Component {
        id: inputComponent
        MessageInput { width: 600; height: 120; client: fakeClient }
    }
    Component {
        id: listComponent
        MessageList { width: 600; height: 400; client: chatClient }
    }
    // A client stand-in around historyFixture's model (not connected): what MessageList
    // reads from a client besides its messages.
    QtObject {
        id: historyClient
        property var messages: historyFixture.model
        property var readMarker: historyFixture.readMarker
        property bool loadingOlder: false
        property bool synced: true
    }
    Component {
        id: historyListComponent
        MessageList { width: 600; height: 300; client: historyClient }
    }
    Component {
        id: usersComponent
        UserList { width: 250; height: 400; client: chatClient }
    }
    Component {
        id: renameComponent
        RenameDialog { client: chatClient }
    }
    Component {
        id: bannerComponent
        ConnectionBanner { width: 600 }
    }
    Component {
        id: findComponent
        FindBar { width: 600; model: historyFixture.model }
    }
    // The whole window (shortcuts, find, notifications); its own top-level window.
    Component {
        id: mainComponent
        Main { client: chatClient; width: 800; height: 500 }
    }
    Component {
        id: schemeComponent
        ApplicationWindow {
            width: 200
            height: 100
            Button { objectName: "schemeButton"; text: "x"; enabled: true }
        }
    }

    TestCase {
        name: "MessageInput"
        when: windowShown

        function test_enterSendsShiftEnterAddsLine() {
            fakeClient.sent = []
            fakeClient.refuse = false
            const input = createTemporaryObject(inputComponent, top)
            const area = findChild(input, "inputArea")
            area.forceActiveFocus()
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Return)
            compare(fakeClient.sent, ["hi"])
            compare(area.text, "")

            keyClick(Qt.Key_A)
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            keyClick(Qt.Key_B)
            compare(fakeClient.sent.length, 1, "Shift+Enter must not send")
            keyClick(Qt.Key_Enter)
            compare(fakeClient.sent, ["hi", "a\nb"])

            // Nothing to send: nothing sent.
            keyClick(Qt.Key_Space)
            keyClick(Qt.Key_Return)
            compare(fakeClient.sent.length, 2)
        }

        function test_tabCompletesNames() {
            fakeClient.sent = []
            fakeClient.refuse = false
            const input = createTemporaryObject(inputComponent, top)
            const area = findChild(input, "inputArea")
            area.forceActiveFocus()
            // At the start: the name and ": "; Tab again cycles (never to our own "Bobcat").
            keyClick(Qt.Key_B)
            keyClick(Qt.Key_O)
            keyClick(Qt.Key_Tab)
            compare(area.text, "bob: ")
            compare(area.cursorPosition, 5)
            verify(area.activeFocus, "a completing Tab keeps the focus")
            keyClick(Qt.Key_Tab)
            compare(area.text, "Boris: ")
            keyClick(Qt.Key_Tab)
            compare(area.text, "bob: ")
            keyClick(Qt.Key_Backtab, Qt.ShiftModifier)
            compare(area.text, "Boris: ")
            // Any other key ends the cycle; later in the line: "@" kept, a space after.
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_I)
            keyClick(Qt.Key_Space)
            area.insert(area.cursorPosition, "@é") // (not typeable with the test's key map)
            keyClick(Qt.Key_Tab)
            compare(area.text, "Boris: hi @Élodie ")
            compare(area.cursorPosition, area.text.length)
            keyClick(Qt.Key_Return)
            compare(fakeClient.sent, ["Boris: hi @Élodie "])
            // Nothing matches: Tab completes nothing.
            keyClick(Qt.Key_X)
            keyClick(Qt.Key_Tab)
            verify(area.text.indexOf("x") === 0, area.text)
            verify(area.text.indexOf("bob") < 0 && area.text.indexOf("Boris") < 0, area.text)
        }

        // As in the desktop app: "/name NEW" renames instead of sending.
        function test_slashNameRenames() {
            fakeClient.sent = []
            fakeClient.renames = []
            fakeClient.refuse = false
            const input = createTemporaryObject(inputComponent, top)
            const area = findChild(input, "inputArea")
            const error = findChild(input, "inputError")
            area.forceActiveFocus()
            input.text = "  /name  Quick Two "
            keyClick(Qt.Key_Return)
            compare(fakeClient.renames, ["Quick Two"])
            compare(fakeClient.sent, [])
            compare(input.text, "")
            verify(!error.visible)

            // A bare "/name": the usage, nothing renamed or sent.
            input.text = "/name"
            keyClick(Qt.Key_Return)
            verify(error.visible)
            compare(error.text, "Usage: /name NEW NAME")
            compare(fakeClient.renames.length, 1)
            compare(input.text, "/name")

            // Refused: why, under the input.
            fakeClient.refuse = true
            input.text = "/name x"
            keyClick(Qt.Key_Return)
            tryVerify(function() { return error.visible })
            verify(error.text.indexOf("Name not changed") === 0, error.text)
            verify(error.text.indexOf("Names must not be empty") > 0, error.text)
            fakeClient.refuse = false

            // Only "/name" itself is the command: "/names" and "/nameX" are messages.
            input.text = "/names are nice"
            keyClick(Qt.Key_Return)
            compare(fakeClient.sent, ["/names are nice"])
            compare(fakeClient.renames.length, 2)
        }

        function test_rejectionShownInline() {
            fakeClient.refuse = true
            const input = createTemporaryObject(inputComponent, top)
            const area = findChild(input, "inputArea")
            input.text = "x"
            area.forceActiveFocus()
            keyClick(Qt.Key_Return)
            const error = findChild(input, "inputError")
            verify(error.visible)
            compare(error.text, "Messages must not be empty")
            compare(input.text, "x", "a refused text stays for editing")
            fakeClient.refuse = false
        }
    }

    TestCase {
        name: "History"
        when: windowShown

        function test_loadOlderFollowsCanFetchMore() {
            historyFixture.fill(40)
            const list = createTemporaryObject(historyListComponent, top)
            list.positionViewAtBeginning()
            const button = findChild(list, "loadOlderButton")
            verify(button)
            // Nothing older known: no button, and reaching the top asks for nothing.
            verify(!button.visible)
            list.stickToBottom = false
            list.loadOlder()
            compare(historyFixture.fetchRequests, 0)
            // Older history exists: the button shows and asks the model (fetchMore).
            historyFixture.setCanFetchOlder(true)
            tryVerify(function() { return button.visible })
            list.positionViewAtBeginning() // the header grew: bring it into view
            waitForRendering(list)
            mouseClick(button)
            compare(historyFixture.fetchRequests, 1)
            historyFixture.setCanFetchOlder(false)
            tryVerify(function() { return !button.visible })
        }

        // A message that mentions us is highlighted; the highlight follows our name.
        function test_mentionsHighlighted() {
            historyFixture.fill(5)
            historyFixture.setOwnName("")
            historyFixture.add("hey @alice, look")
            historyFixture.add("nothing for you")
            const list = createTemporaryObject(historyListComponent, top)
            list.positionViewAtEnd()
            function delegateFor(text) {
                for (let i = 0; i < list.count; ++i) {
                    const item = list.itemAtIndex(i)
                    if (item && findChild(item, "messageText").text === text)
                        return item
                }
                return null
            }
            let mention = null, plain = null
            tryVerify(function() {
                mention = delegateFor("hey @alice, look")
                plain = delegateFor("nothing for you")
                return mention !== null && plain !== null
            })
            const highlight = findChild(mention, "mentionHighlight")
            verify(!highlight.visible)
            historyFixture.setOwnName("Alice")
            tryVerify(function() { return highlight.visible })
            verify(!findChild(plain, "mentionHighlight").visible)
            historyFixture.setOwnName("Bea")
            tryVerify(function() { return !highlight.visible })
            historyFixture.setOwnName("")
        }

        // A message over 12 lines collapses, with a focusable "Show more" button; the state
        // is the model's (by message id); narrowing the list can make a message long.
        function test_longMessageCollapses() {
            historyFixture.fill(5)
            let lines = []
            for (let i = 1; i <= 30; ++i)
                lines.push("line " + i)
            const longText = lines.join("\n")
            let words = []
            for (let i = 0; i < 60; ++i)
                words.push("word" + i)
            const paragraph = words.join(" ")
            historyFixture.add(longText)
            historyFixture.add(paragraph)
            const list = createTemporaryObject(historyListComponent, top)
            list.positionViewAtEnd()
            function delegateFor(text) {
                for (let i = 0; i < list.count; ++i) {
                    const item = list.itemAtIndex(i)
                    if (item && findChild(item, "messageText").text === text)
                        return item
                }
                return null
            }
            let item = null
            tryVerify(function() { item = delegateFor(longText); return item !== null })
            const button = findChild(item, "expandButton")
            const clipped = findChild(item, "messageTextClip")
            const text = findChild(item, "messageText")
            verify(button.visible)
            verify(findChild(item, "collapseFade").visible)
            compare(button.Accessible.name, button.text)
            verify(button.text !== "")
            verify(clipped.height < text.implicitHeight / 2)
            const collapsedText = button.text

            list.positionViewAtIndex(list.indexAt(0, item.y), ListView.Beginning)
            waitForRendering(list)
            mouseClick(button)
            tryVerify(function() { return item.expanded })
            verify(historyFixture.model.isExpanded(item.messageId))
            tryCompare(clipped, "height", text.implicitHeight)
            verify(!findChild(item, "collapseFade").visible)
            verify(button.text !== collapsedText)
            // The keyboard: the button takes focus, Space toggles.
            button.forceActiveFocus()
            verify(button.activeFocus)
            keyClick(Qt.Key_Space)
            tryVerify(function() { return !item.expanded })
            verify(!historyFixture.model.isExpanded(item.messageId))
            // Find: a match in the part shown changes nothing, one in the hidden part expands.
            item.revealTextPosition(longText.indexOf("line 2"))
            verify(!item.expanded)
            const where = item.revealTextPosition(longText.indexOf("line 25"))
            tryVerify(function() { return item.expanded && clipped.height === text.implicitHeight })
            verify(where.y > clipped.y + text.implicitHeight / 2)
            // By id, as the Quick client's Find may do too.
            verify(historyFixture.model.setExpanded(item.messageId, false))
            tryVerify(function() { return !item.expanded })
            verify(historyFixture.model.setExpanded(item.messageId, true))
            tryVerify(function() { return item.expanded && clipped.height === text.implicitHeight })

            // A paragraph of a few lines: long only when narrow.
            let para = null
            tryVerify(function() { para = delegateFor(paragraph); return para !== null })
            const paraButton = findChild(para, "expandButton")
            verify(!paraButton.visible)
            list.width = 120
            tryVerify(function() { return paraButton.visible })
            list.width = 600
            tryVerify(function() { return !paraButton.visible })
        }

        // Opens at the "New messages" line; it moves once the newest message was on screen
        // for the read marker's delay while the window is attended.
        function test_opensAtNewMessagesLine() {
            historyFixture.fillWithUnread(20, 30)
            const marker = historyFixture.readMarker
            compare(marker.unreadCount, 30)
            compare(marker.firstUnreadRow, 20)
            const list = createTemporaryObject(historyListComponent, top, { attended: false })
            tryVerify(function() { return list.openedAtMarker })
            let line = null
            tryVerify(function() {
                line = list.itemAtIndex(20)
                return line !== null
            })
            verify(findChild(line, "unreadLine").visible)
            verify(!findChild(list.itemAtIndex(21), "unreadLine").visible)
            verify(Math.abs(line.y - list.contentY) <= 1)
            verify(!list.atYEnd)
            verify(!marker.attended)
            // Attended, but the newest is not on screen: nothing moves.
            list.attended = true
            verify(marker.attended)
            verify(!marker.newestVisible)
            historyFixture.advanceSeenDelay()
            compare(marker.unreadCount, 30)
            // At the bottom: read after the delay.
            list.positionViewAtEnd()
            tryVerify(function() { return marker.newestVisible })
            historyFixture.advanceSeenDelay()
            compare(marker.unreadCount, 0)
            compare(marker.firstUnreadRow, -1)
            verify(!historyFixture.model.data(historyFixture.model.index(20, 0),
                                              MessageModel.FirstUnreadRole))
        }

        function test_newerUnloadedOffersJumpToNewest() {
            historyFixture.fill(40)
            const list = createTemporaryObject(historyListComponent, top)
            const jump = findChild(list, "jumpToNewestButton")
            verify(jump)
            verify(!jump.visible)
            list.stickToBottom = false
            list.positionViewAtBeginning()
            compare(historyFixture.prependOlder(10), 10)
            verify(historyFixture.model.newerUnloaded)
            compare(historyFixture.model.count, 40) // the cap holds
            tryVerify(function() { return jump.visible })
            mouseClick(jump)
            compare(historyFixture.newestRequests, 1)
            verify(list.stickToBottom)
        }
    }

    TestCase {
        name: "LiveClient"
        when: windowShown

        function initTestCase() {
            tryCompare(chatClient, "state", ChatClient.Online, 15000)
        }

        function findMessage(list, text) {
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && findChild(item, "messageText").text === text)
                    return item
            }
            return null
        }

        function test_sentMessageShowsSenderAndPlainText() {
            const list = createTemporaryObject(listComponent, top)
            // runTag (STDB_TEST_SERVER only) tells this run's message from earlier runs' ones.
            const html = "<b>not bold</b> & <a href='x'>no link</a>" + (runTag ? " " + runTag : "")
            verify(chatClient.sendMessage(html) !== 0)
            let item = null
            tryVerify(function() { item = findMessage(list, html); return item !== null
                                   && item.deliveryState === Chat.Sent }, 10000)
            const text = findChild(item, "messageText")
            compare(text.textFormat, TextEdit.PlainText)
            compare(text.text, html)
            // The rendered plain text keeps the markup characters.
            compare(text.getText(0, text.length), html)
            const sender = findChild(item, "senderLabel")
            compare(sender.textFormat, Text.PlainText)
            compare(sender.text, chatClient.ownName !== "" ? chatClient.ownName
                                                           : chatClient.identityShort)
            verify(item.isOwn)
            // One day section for today.
            compare(list.model.data(list.model.index(list.count - 1, 0), Qt.UserRole + 100),
                    "Today")
        }

        function test_renameDialogErrorsAndSuccess() {
            if (externalSkipReason)
                skip(externalSkipReason)
            const users = createTemporaryObject(usersComponent, top)
            const dialog = createTemporaryObject(renameComponent, top)
            dialog.openWith("")
            tryCompare(dialog, "opened", true)
            const field = findChild(dialog, "nameField")
            const error = findChild(dialog, "nameError")
            const save = findChild(dialog, "saveButton")
            field.text = "x".repeat(65)
            verify(error.visible)
            compare(error.text, ChatUi.validateName(field.text))
            verify(!save.enabled)
            field.text = "   "
            verify(error.visible)
            verify(!save.enabled)

            const name = "<i>Quick</i>"
            field.text = name
            verify(!error.visible)
            verify(save.enabled)
            mouseClick(save)
            tryCompare(chatClient, "ownName", name, 10000)
            tryCompare(dialog, "visible", false)

            // The user list shows the name as plain text, marked as us, online.
            const view = findChild(users, "userView")
            let self = null
            tryVerify(function() {
                for (let i = 0; i < view.count; ++i) {
                    const it = view.itemAtIndex(i)
                    if (it && it.isSelf) { self = it; return it.displayName === name }
                }
                return false
            }, 10000)
            const label = findChild(self, "userName")
            compare(label.text, name)
            compare(label.textFormat, Text.PlainText)
            verify(findChild(self, "selfMarker").visible)
            verify(self.online)
            compare(findChild(self, "onlineDot").color, Qt.color("#2e9e44"))
        }
    }

    TestCase {
        name: "UserListPresence"
        when: windowShown

        // While our connection is down the list is grey and says what was last seen; after
        // the reconnect the server's rows are in again.
        function test_greyWhileOurConnectionIsDown() {
            if (externalSkipReason)
                skip(externalSkipReason)
            tryCompare(chatClient, "synced", true, 15000)
            const users = createTemporaryObject(usersComponent, top)
            const view = findChild(users, "userView")
            const header = findChild(users, "userListHeader")
            let self = null
            tryVerify(function() {
                for (let i = 0; i < view.count; ++i) {
                    const it = view.itemAtIndex(i)
                    if (it && it.isSelf) { self = it; return true }
                }
                return false
            }, 10000)
            verify(self.presenceKnown)
            compare(findChild(self, "onlineDot").color, Qt.color("#2e9e44"))
            verify(header.text.indexOf("when last seen") < 0, header.text)

            chatClient.stop()
            tryCompare(chatClient.users, "presenceKnown", false, 10000)
            tryCompare(self, "presenceKnown", false)
            verify(self.online) // what was last seen, greyed
            compare(findChild(self, "onlineDot").color, Qt.color("transparent"))
            compare(findChild(self, "userName").opacity, 0.55)
            verify(self.presenceText.indexOf("before the connection was lost") >= 0,
                   self.presenceText)
            verify(header.text.indexOf("when last seen") >= 0, header.text)

            chatClient.start()
            tryCompare(chatClient.users, "presenceKnown", true, 15000)
            tryCompare(chatClient, "synced", true, 15000)
            tryVerify(function() {
                for (let i = 0; i < view.count; ++i) {
                    const it = view.itemAtIndex(i)
                    if (it && it.isSelf)
                        return it.presenceKnown && it.online
                            && Qt.colorEqual(findChild(it, "onlineDot").color, "#2e9e44")
                }
                return false
            }, 10000)
        }
    }

    TestCase {
        name: "ConnectionBanner"
        when: windowShown

        function test_onlineHidesBanner() {
            const banner = createTemporaryObject(bannerComponent, top, { client: chatClient })
            tryCompare(chatClient, "state", ChatClient.Online, 15000)
            verify(!banner.visible)
        }

        function test_reconnectingShowsCountdownAndButton() {
            const banner = createTemporaryObject(bannerComponent, top, { client: deadClient })
            tryCompare(deadClient, "state", ChatClient.Reconnecting, 15000)
            verify(banner.visible)
            const stateLabel = findChild(banner, "bannerState")
            // Never connected in this session: "could not connect", not "connection lost".
            verify(!deadClient.wasOnline)
            verify(stateLabel.text.indexOf("Could not connect to " + deadClient.serverUrl) === 0,
                   stateLabel.text)
            verify(stateLabel.text.indexOf("Connection lost") < 0, stateLabel.text)
            const error = findChild(banner, "bannerError")
            verify(error.text.indexOf("the connection was refused") >= 0, error.text)
            const button = findChild(banner, "reconnectButton")
            verify(button.visible)
            compare(button.text, "Reconnect now")
        }

        // Over https the refusal is reported as such (the text of its kind), not as a TLS or
        // module problem.
        function test_refusedOverHttpsShowsItsText() {
            const banner = createTemporaryObject(bannerComponent, top, { client: deadTlsClient })
            tryCompare(deadTlsClient, "state", ChatClient.Reconnecting, 15000)
            verify(refusedTlsText !== "")
            const error = findChild(banner, "bannerError")
            tryCompare(error, "text", refusedTlsText)
            verify(error.visible)
        }
    }
    TestCase {
        name: "FindBar"
        when: windowShown

        function rowText(row) {
            const m = historyFixture.model
            return m.data(m.index(row, 0), Qt.UserRole + 4)
        }

        // Enter/F3 step to older matches, Shift+Enter/Shift+F3 to newer ones (wrapping), by
        // text or sender (chat::MessageFilterModel); Esc ends the search.
        function test_stepsThroughMatches() {
            historyFixture.fill(5)
            historyFixture.add("a needle here")
            historyFixture.add("plain")
            historyFixture.add("another NEEDLE")
            const bar = createTemporaryObject(findComponent, top)
            const chosen = createTemporaryObject(signalSpyComponent, top,
                                                 { target: bar, signalName: "matchChosen" })
            const closed = createTemporaryObject(signalSpyComponent, top,
                                                 { target: bar, signalName: "closed" })
            bar.open()
            verify(bar.visible)
            const field = findChild(bar, "findField")
            verify(field.activeFocus)
            field.text = "needle"
            // The newest match first.
            tryCompare(bar, "matchCount", 2)
            compare(rowText(bar.currentRow), "another NEEDLE")
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], bar.currentRow)
            compare(findChild(bar, "findCount").text, "2 of 2")
            keyClick(Qt.Key_Return)
            compare(rowText(bar.currentRow), "a needle here")
            compare(findChild(bar, "findCount").text, "1 of 2")
            keyClick(Qt.Key_Return) // wraps
            compare(rowText(bar.currentRow), "another NEEDLE")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            compare(rowText(bar.currentRow), "a needle here")
            compare(chosen.count, 4)
            // A new match arriving keeps the shown one, also when the oldest row goes (the
            // model's cap): currentRow follows it.
            const row = bar.currentRow
            historyFixture.add("needle three")
            tryCompare(bar, "matchCount", 3)
            tryCompare(bar, "currentRow", row - 1)
            compare(rowText(bar.currentRow), "a needle here")
            // Nothing found: said so, nothing chosen.
            field.text = "haystack"
            keyClick(Qt.Key_Return)
            compare(bar.matchCount, 0)
            compare(bar.currentRow, -1)
            compare(findChild(bar, "findCount").text, "No matches")
            keyClick(Qt.Key_Escape)
            verify(!bar.visible)
            compare(closed.count, 1)
            compare(field.text, "")
        }
    }

    Component {
        id: signalSpyComponent
        SignalSpy { }
    }

    TestCase {
        name: "MainWindow"
        when: windowShown

        function initTestCase() {
            tryCompare(chatClient, "synced", true, 15000)
            tryCompare(otherClient, "synced", true, 15000)
        }

        function openWindow(properties) {
            const win = createTemporaryObject(mainComponent, top, properties || {})
            win.requestActivate()
            tryVerify(function() { return win.active })
            return win
        }

        function rowWithText(text) {
            const m = chatClient.messages
            for (let i = m.count - 1; i >= 0; --i)
                if (m.data(m.index(i, 0), Qt.UserRole + 4) === text)
                    return i
            return -1
        }

        // Ctrl+F finds in the live conversation and marks the match, F3 steps, Esc closes and
        // gives the input its focus back; F2 renames (as in the desktop app).
        function test_shortcutsFindAndRename() {
            const win = openWindow()
            const text = "quick find target " + Date.now() + (runTag ? " " + runTag : "")
            verify(chatClient.sendMessage(text) !== 0)
            tryVerify(function() { return rowWithText(text) >= 0 }, 10000)
            const bar = findChild(win, "findBar")
            verify(!bar.visible)
            keyClick(Qt.Key_F, Qt.ControlModifier)
            verify(bar.visible)
            const field = findChild(bar, "findField")
            verify(field.activeFocus)
            field.text = text
            keyClick(Qt.Key_Return)
            compare(bar.matchCount, 1)
            compare(win.markedRow, rowWithText(text))
            tryVerify(function() { return findChild(win, "markedMessage").visible })
            keyClick(Qt.Key_F3)
            compare(win.markedRow, rowWithText(text))
            keyClick(Qt.Key_Escape)
            verify(!bar.visible)
            compare(win.markedRow, -1)
            tryVerify(function() { return findChild(win, "inputArea").activeFocus })

            keyClick(Qt.Key_F2)
            const dialog = findChild(win, "renameDialog")
            tryCompare(dialog, "opened", true)
            dialog.close()
            tryCompare(dialog, "visible", false)
        }

        // A match in the hidden part of a collapsed long message expands it and brings the
        // match's line into view.
        function test_findExpandsACollapsedMessage() {
            const win = openWindow()
            const tag = "hidden quick match " + Date.now() + (runTag ? " " + runTag : "")
            let lines = []
            for (let i = 0; i < 30; ++i)
                lines.push("line " + i + " of a long message")
            lines.push(tag)
            const text = lines.join("\n")
            verify(chatClient.sendMessage(text) !== 0)
            tryVerify(function() { return rowWithText(text) >= 0 }, 10000)
            const row = rowWithText(text)
            const list = findChild(win, "messageList")
            list.positionViewAtIndex(row, ListView.Center)
            tryVerify(function() { return list.itemAtIndex(row) !== null })
            const item = list.itemAtIndex(row)
            tryVerify(function() { return item.collapsed })
            keyClick(Qt.Key_F, Qt.ControlModifier)
            const bar = findChild(win, "findBar")
            const field = findChild(bar, "findField")
            field.text = tag
            keyClick(Qt.Key_Return)
            compare(win.markedRow, row)
            tryVerify(function() { return list.itemAtIndex(row) && list.itemAtIndex(row).expanded })
            verify(!list.itemAtIndex(row).collapsed)
            const at = text.indexOf(tag)
            tryVerify(function() {
                const shown = list.itemAtIndex(row)
                if (!shown)
                    return false
                const r = shown.revealTextPosition(at)
                const y = shown.y + r.y
                return y >= list.contentY && y + r.height <= list.contentY + list.height
            }, 5000, "the match's line is in view")
            keyClick(Qt.Key_Escape)
            chatClient.messages.setExpanded(list.itemAtIndex(row).messageId, false)
        }

        // Messages from others while the window is not looked at are notified through the
        // shared desktop::MessageNotifier and counted in the title; our own are not; a click
        // brings the window back at the message; muted: counted, not shown.
        function test_notifications() {
            const notifier = notifyFixture.notifier
            otherClient.setName("Quentin")
            tryCompare(otherClient, "ownName", "Quentin", 10000)
            const win = openWindow({ notifications: notifier })
            tryCompare(notifier, "attended", true)
            compare(notifier.unread, 0)
            win.hide()
            tryCompare(notifier, "attended", false)
            const shown = notifyFixture.shownCount
            const text = "are you there, quick? " + Date.now()
            verify(otherClient.sendMessage(text) !== 0)
            tryCompare(notifyFixture, "shownCount", shown + 1, 10000)
            compare(notifyFixture.lastTitle, "Quentin")
            compare(notifyFixture.lastBody, text)
            compare(notifier.unread, 1)
            verify(win.title.indexOf("(1) ") === 0, win.title)

            const own = "my own, quick " + Date.now()
            verify(chatClient.sendMessage(own) !== 0)
            tryVerify(function() { return rowWithText(own) >= 0 }, 10000)
            compare(notifyFixture.shownCount, shown + 1)

            notifyFixture.click(notifyFixture.shownCount - 1)
            tryVerify(function() { return win.visible && win.active })
            compare(win.markedRow, rowWithText(text))
            tryCompare(notifier, "unread", 0)
            verify(win.title.indexOf("(") !== 0, win.title)

            const mute = findChild(win, "muteButton")
            verify(mute.visible)
            mouseClick(mute)
            verify(notifier.muted)
            win.hide()
            tryCompare(notifier, "attended", false)
            const muted = "muted, quick " + Date.now()
            verify(otherClient.sendMessage(muted) !== 0)
            tryCompare(notifier, "unread", 1, 10000)
            compare(notifyFixture.shownCount, shown + 1)
            notifier.muted = false
        }
    }

    TestCase {
        name: "ColorScheme"
        when: windowShown

        // --color-scheme: the scheme's palette on the window reaches its controls.
        function test_paletteReachesControls() {
            const win = createTemporaryObject(schemeComponent, top)
            const button = findChild(win, "schemeButton")
            verify(ChatUi.applyColorScheme(win, "dark"))
            verify(Qt.colorEqual(win.palette.window, "#25272b"), win.palette.window)
            verify(Qt.colorEqual(button.palette.button, "#32353a"), button.palette.button)
            verify(Qt.colorEqual(button.palette.buttonText, "#e1e3e6"), button.palette.buttonText)
            verify(Qt.colorEqual(button.palette.disabled.buttonText, "#7d8085"),
                   button.palette.disabled.buttonText)
            verify(ChatUi.applyColorScheme(win, " Light "))
            verify(Qt.colorEqual(button.palette.button, "#e9eaed"), button.palette.button)
            verify(ChatUi.applyColorScheme(win, "system"))
            verify(!ChatUi.applyColorScheme(win, "blue"))
        }
    }

    TestCase {
        name: "Translations"
        when: windowShown

        function cleanup() {
            language.use("")
        }

        // Under a German locale the Quick client's own texts (qsTr in qml/) are German.
        function test_germanCatalogue() {
            verify(language.use("de_DE"))
            const input = createTemporaryObject(inputComponent, top)
            compare(findChild(input, "sendButton").text, "Senden")
            const bar = createTemporaryObject(findComponent, top)
            compare(findChild(bar, "findField").placeholderText,
                    "Nachrichten und Absender durchsuchen")
            language.use("")
            tryCompare(findChild(input, "sendButton"), "text", "Send")
        }
    }
}
