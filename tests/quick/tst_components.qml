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
}
