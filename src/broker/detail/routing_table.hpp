#pragma once
// An immutable map from a published name to the queues that receive it. Publishers read it
// without locks (any number of them, each holding the snapshot it loaded); the broker makes the
// next snapshot under its registry mutex from the current one plus one change — with(queue) or
// without(queue) — sharing everything else, so a subscribe or an unsubscribe costs O(log n) in
// the number of queues (persistent_map.hpp), not a rebuild.

#include "detail/persistent_map.hpp"
#include "detail/same_text.hpp"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace wasmq::detail {

class QueueCore;

class RoutingTable {
 public:
  using Queues = std::vector<std::shared_ptr<QueueCore>>;  // keeps every routed queue alive

  /// This table plus `queue`, routed by its binding (a name or a pattern).
  [[nodiscard]] std::shared_ptr<const RoutingTable> with(const std::shared_ptr<QueueCore>& queue) const;
  /// This table without `queue`.
  [[nodiscard]] std::shared_ptr<const RoutingTable> without(const QueueCore& queue) const;

  /// A publisher's memory of its last exact lookup in one table: a name bound in the table and
  /// its queues, both owned by the table (valid while it lives). A publisher that sends to one
  /// name again and again compares the name instead of hashing it and walking the map.
  struct LastExact {
    std::string_view name;
    const Queues* queues = nullptr;  // null: nothing remembered yet

    /// Whether `topic` is the name remembered (then a bound name, so a valid one).
    [[nodiscard]] bool is(std::string_view topic) const noexcept { return queues != nullptr && same_text(name, topic); }
  };

  /// Calls `visit(QueueCore&)` once for each queue whose binding matches the valid `name`.
  /// Each binding matches along at most one path of the trie, so no queue is visited twice.
  /// `last`, when given, is this table's LastExact for the caller alone, updated when `name` is
  /// another bound name; `is_last`: the caller found `last->is(name)` (it asks once per publish,
  /// before the name's check, so this does not ask again).
  template <class Visit>
  void for_each_match(std::string_view name, Visit&& visit, LastExact* last = nullptr, bool is_last = false) const {
    const Queues* exact = nullptr;
    if (is_last) {
      exact = last->queues;
    } else if (const auto* entry = exact_.find_entry(name)) {
      exact = &entry->second;
      if (last != nullptr) *last = {entry->first, exact};
    }
    if (exact != nullptr) {
      for (const auto& queue : *exact) visit(*queue);
    }
    if (wildcards_) match(*wildcards_, name, visit);
  }

  /// True when some queue's binding is exactly `name` (then `name` is a valid name).
  [[nodiscard]] bool has_exact(std::string_view name) const noexcept { return exact_.find(name) != nullptr; }

 private:
  // One level of the pattern trie; nodes are shared between snapshots and never change.
  struct Node {
    PersistentMap<std::shared_ptr<const Node>> literal;
    std::shared_ptr<const Node> star;  // the `*` token
    Queues here;                       // patterns that end at this node
    Queues rest;                       // patterns ending in `>` at this node
    [[nodiscard]] bool empty() const noexcept { return literal.empty() && !star && here.empty() && rest.empty(); }
  };
  using NodePtr = std::shared_ptr<const Node>;

  // The node replacing `node` once `queue` is added under (or removed from) `pattern` below it;
  // null when nothing is left.
  static NodePtr insert(const NodePtr& node, std::string_view pattern, const std::shared_ptr<QueueCore>& queue);
  static NodePtr erase(const NodePtr& node, std::string_view pattern, const QueueCore& queue);

  // `name` is what remains of the published name below `node` (never empty at entry).
  template <class Visit>
  static void match(const Node& node, std::string_view name, Visit& visit) {
    for (const auto& queue : node.rest) visit(*queue);  // `>` matches one or more tokens
    const std::size_t dot = name.find('.');
    const std::string_view token = name.substr(0, dot);
    const std::string_view remainder = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    auto descend = [&](const Node& child) {
      if (remainder.empty()) {
        for (const auto& queue : child.here) visit(*queue);
      } else {
        match(child, remainder, visit);
      }
    };
    if (const NodePtr* found = node.literal.find(token)) descend(**found);
    if (node.star) descend(*node.star);
  }

  PersistentMap<Queues> exact_;  // bindings without wildcards
  NodePtr wildcards_;            // the root of the pattern trie; null when there are no patterns
};

}  // namespace wasmq::detail
