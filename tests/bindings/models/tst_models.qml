// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest

Item {
    width: 400
    height: 400

    ListView {
        id: list
        anchors.fill: parent
        model: userModel
        delegate: Text {
            required property string identity
            required property var name
            required property bool online
            required property var row
            width: ListView.view.width
            text: (name === undefined ? "?" : name) + (online ? " online" : " offline")
        }
    }

    TestCase {
        name: "GeneratedUserModel"
        when: windowShown

        function delegateOf(n) {
            const hex = feed.identityHex(n)
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.identity === hex)
                    return item
            }
            return null
        }

        function test_delegatesShowColumns() {
            compare(list.count, 2)
            compare(userModel.count, 2)
            const ann = delegateOf(1)
            verify(ann !== null)
            compare(ann.text, "ann online")
            compare(ann.name, "ann")
            compare(ann.online, true)
        }

        function test_rowIsAGadget() {
            const ann = delegateOf(1)
            verify(ann !== null)
            compare(ann.row.name, "ann")
            compare(ann.row.online, true)
            compare(ann.row.identity, feed.identityHex(1))
            compare(typeof ann.row.identity, "string")
            const fields = userModel.get(list.indexAt(ann.x + 1, ann.y + 1))
            compare(fields.name, "ann")
        }

        function test_updateReachesTheDelegate() {
            verify(feed.setUser(2, "bobby", true))
            tryCompare(delegateOf(2), "text", "bobby online")
            verify(feed.setUser(2, "bob", false))
            tryCompare(delegateOf(2), "text", "bob offline")
            compare(list.count, 2)
        }
    }
}
