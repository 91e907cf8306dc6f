// SPDX-License-Identifier: Apache-2.0
// The quickstart-chat module schema as GET /v1/database/:name/schema returns it. Hand-written
// in the exact shape of RawModuleDefV9 / RawModuleDefV10 (PROTOCOL.md §4.5), so that bindings
// generators and SDK tools see what a real SpacetimeDB would serve for this module. Object keys
// keep declaration order, which is why this is text and not built with QJsonObject (that would
// sort the keys).

#include "chatmodule.h"

namespace host {

namespace {

// clang-format off
// The row types of `user` and `message`: the same typespace in both versions.
const char kTypespaceTypes[] = R"json([
      {"Product": {"elements": [
        {"name": {"some": "identity"}, "algebraic_type": {"Product": {"elements": [
          {"name": {"some": "__identity__"}, "algebraic_type": {"U256": []}}]}}},
        {"name": {"some": "name"}, "algebraic_type": {"Sum": {"variants": [
          {"name": {"some": "some"}, "algebraic_type": {"String": []}},
          {"name": {"some": "none"}, "algebraic_type": {"Product": {"elements": []}}}]}}},
        {"name": {"some": "online"}, "algebraic_type": {"Bool": []}}]}},
      {"Product": {"elements": [
        {"name": {"some": "sender"}, "algebraic_type": {"Product": {"elements": [
          {"name": {"some": "__identity__"}, "algebraic_type": {"U256": []}}]}}},
        {"name": {"some": "sent"}, "algebraic_type": {"Product": {"elements": [
          {"name": {"some": "__timestamp_micros_since_unix_epoch__"}, "algebraic_type": {"I64": []}}]}}},
        {"name": {"some": "text"}, "algebraic_type": {"String": []}}]}}
    ])json";

const char kSchemaV9Head[] = R"json({
  "typespace": {
    "types": )json";
const char kSchemaV9Tail[] = R"json(
  },
  "tables": [
    {
      "name": "user",
      "product_type_ref": 0,
      "primary_key": [0],
      "indexes": [
        {"name": {"some": "user_identity_idx_btree"}, "accessor_name": {"some": "identity"},
         "algorithm": {"BTree": {"columns": [0]}}}
      ],
      "constraints": [
        {"name": {"some": "user_identity_key"}, "data": {"Unique": {"columns": [0]}}}
      ],
      "sequences": [],
      "schedule": {"none": []},
      "table_type": {"User": []},
      "table_access": {"Public": []}
    },
    {
      "name": "message",
      "product_type_ref": 1,
      "primary_key": [],
      "indexes": [],
      "constraints": [],
      "sequences": [],
      "schedule": {"none": []},
      "table_type": {"User": []},
      "table_access": {"Public": []}
    }
  ],
  "reducers": [
    {"name": "set_name",
     "params": {"elements": [{"name": {"some": "name"}, "algebraic_type": {"String": []}}]},
     "lifecycle": {"none": []}},
    {"name": "send_message",
     "params": {"elements": [{"name": {"some": "text"}, "algebraic_type": {"String": []}}]},
     "lifecycle": {"none": []}},
    {"name": "init", "params": {"elements": []}, "lifecycle": {"some": {"Init": []}}},
    {"name": "identity_connected", "params": {"elements": []},
     "lifecycle": {"some": {"OnConnect": []}}},
    {"name": "identity_disconnected", "params": {"elements": []},
     "lifecycle": {"some": {"OnDisconnect": []}}}
  ],
  "types": [
    {"name": {"scope": [], "name": "User"}, "ty": 0, "custom_ordering": true},
    {"name": {"scope": [], "name": "Message"}, "ty": 1, "custom_ordering": true}
  ],
  "misc_exports": [],
  "row_level_security": []
}
)json";

const char kSchemaV10Head[] = R"json({
  "sections": [
    {"Typespace": {
      "types": )json";
const char kSchemaV10Tail[] = R"json(
    }},
    {"Types": [
      {"source_name": {"scope": [], "source_name": "User"}, "ty": 0, "custom_ordering": true},
      {"source_name": {"scope": [], "source_name": "Message"}, "ty": 1, "custom_ordering": true}
    ]},
    {"Tables": [
      {
        "source_name": "user",
        "product_type_ref": 0,
        "primary_key": [0],
        "indexes": [
          {"source_name": {"some": "user_identity_idx_btree"}, "accessor_name": {"some": "identity"},
           "algorithm": {"BTree": {"columns": [0]}}}
        ],
        "constraints": [
          {"source_name": {"some": "user_identity_key"}, "data": {"Unique": {"columns": [0]}}}
        ],
        "sequences": [],
        "table_type": {"User": []},
        "table_access": {"Public": []},
        "default_values": [],
        "is_event": false
      },
      {
        "source_name": "message",
        "product_type_ref": 1,
        "primary_key": [],
        "indexes": [],
        "constraints": [],
        "sequences": [],
        "table_type": {"User": []},
        "table_access": {"Public": []},
        "default_values": [],
        "is_event": false
      }
    ]},
    {"Reducers": [
      {"source_name": "set_name",
       "params": {"elements": [{"name": {"some": "name"}, "algebraic_type": {"String": []}}]},
       "visibility": {"ClientCallable": []},
       "ok_return_type": {"Product": {"elements": []}},
       "err_return_type": {"String": []}},
      {"source_name": "send_message",
       "params": {"elements": [{"name": {"some": "text"}, "algebraic_type": {"String": []}}]},
       "visibility": {"ClientCallable": []},
       "ok_return_type": {"Product": {"elements": []}},
       "err_return_type": {"String": []}},
      {"source_name": "init", "params": {"elements": []}, "visibility": {"Private": []},
       "ok_return_type": {"Product": {"elements": []}}, "err_return_type": {"String": []}},
      {"source_name": "identity_connected", "params": {"elements": []},
       "visibility": {"Private": []},
       "ok_return_type": {"Product": {"elements": []}}, "err_return_type": {"String": []}},
      {"source_name": "identity_disconnected", "params": {"elements": []},
       "visibility": {"Private": []},
       "ok_return_type": {"Product": {"elements": []}}, "err_return_type": {"String": []}}
    ]},
    {"LifeCycleReducers": [
      {"lifecycle_spec": {"Init": []}, "function_name": "init"},
      {"lifecycle_spec": {"OnConnect": []}, "function_name": "identity_connected"},
      {"lifecycle_spec": {"OnDisconnect": []}, "function_name": "identity_disconnected"}
    ]},
    {"ExplicitNames": {"entries": [
      {"Table": {"source_name": "user", "canonical_name": "user"}},
      {"Table": {"source_name": "message", "canonical_name": "message"}},
      {"Function": {"source_name": "set_name", "canonical_name": "set_name"}},
      {"Function": {"source_name": "send_message", "canonical_name": "send_message"}},
      {"Function": {"source_name": "init", "canonical_name": "init"}},
      {"Function": {"source_name": "identity_connected", "canonical_name": "identity_connected"}},
      {"Function": {"source_name": "identity_disconnected", "canonical_name": "identity_disconnected"}},
      {"Index": {"source_name": "user_identity_idx_btree", "canonical_name": "user_identity_idx_btree"}}
    ]}}
  ]
}
)json";
// clang-format on

} // namespace

QByteArray ChatModule::schemaJson(int version) {
    if (version == 9)
        return kSchemaV9Head + QByteArray(kTypespaceTypes) + kSchemaV9Tail;
    if (version == 10)
        return kSchemaV10Head + QByteArray(kTypespaceTypes) + kSchemaV10Tail;
    return {};
}

} // namespace host
