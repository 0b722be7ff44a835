#pragma once
// An immutable map from a published name to the queues that receive it. Built under the broker's
// registry mutex, then only read (by any number of publishers, without locks).

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wasmq::detail {

class QueueCore;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

class RoutingTable {
 public:
  /// Builds a table from every live queue (each queue has exactly one binding).
  explicit RoutingTable(std::vector<std::shared_ptr<QueueCore>> queues);

  /// Calls `visit(QueueCore&)` once for each queue whose binding matches the valid `name`.
  /// Each binding matches along at most one path of the trie, so no queue is visited twice.
  template <class Visit>
  void for_each_match(std::string_view name, Visit&& visit) const {
    if (auto found = exact_.find(name); found != exact_.end()) {
      for (QueueCore* queue : found->second) visit(*queue);
    }
    if (!wildcard_root_.empty()) match(wildcard_root_, name, visit);
  }

  [[nodiscard]] std::size_t size() const noexcept { return queues_.size(); }

 private:
  struct Node {
    std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>> literal;
    std::unique_ptr<Node> star;    // the `*` token
    std::vector<QueueCore*> here;  // patterns that end at this node
    std::vector<QueueCore*> rest;  // patterns ending in `>` at this node
    [[nodiscard]] bool empty() const noexcept { return literal.empty() && !star && here.empty() && rest.empty(); }
  };

  void insert(Node& root, std::string_view pattern, QueueCore* queue);

  // `name` is what remains of the published name below `node` (never empty at entry).
  template <class Visit>
  static void match(const Node& node, std::string_view name, Visit& visit) {
    for (QueueCore* queue : node.rest) visit(*queue);  // `>` matches one or more tokens
    const std::size_t dot = name.find('.');
    const std::string_view token = name.substr(0, dot);
    const std::string_view remainder = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    auto descend = [&](const Node& child) {
      if (remainder.empty()) {
        for (QueueCore* queue : child.here) visit(*queue);
      } else {
        match(child, remainder, visit);
      }
    };
    if (auto found = node.literal.find(token); found != node.literal.end()) descend(*found->second);
    if (node.star) descend(*node.star);
  }

  std::vector<std::shared_ptr<QueueCore>> queues_;  // keeps every routed queue alive
  std::unordered_map<std::string, std::vector<QueueCore*>, StringHash, std::equal_to<>> exact_;
  Node wildcard_root_;
};

}  // namespace wasmq::detail
