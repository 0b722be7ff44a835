#include "detail/routing_table.hpp"

#include "detail/queue_core.hpp"

#include <wasmq/name.hpp>

namespace wasmq::detail {

RoutingTable::RoutingTable(std::vector<std::shared_ptr<QueueCore>> queues) : queues_(std::move(queues)) {
  for (const auto& queue : queues_) {
    const std::string& binding = queue->binding();
    if (has_wildcard(binding)) {
      insert(wildcard_root_, binding, queue.get());
    } else {
      exact_[binding].push_back(queue.get());
    }
  }
}

void RoutingTable::insert(Node& root, std::string_view pattern, QueueCore* queue) {
  Node* node = &root;
  while (true) {
    const std::size_t dot = pattern.find('.');
    const std::string_view token = pattern.substr(0, dot);
    if (token == ">") {
      node->rest.push_back(queue);
      return;
    }
    std::unique_ptr<Node>* child = nullptr;
    if (token == "*") {
      child = &node->star;
    } else {
      auto found = node->literal.find(token);
      if (found == node->literal.end()) found = node->literal.emplace(std::string(token), nullptr).first;
      child = &found->second;
    }
    if (!*child) *child = std::make_unique<Node>();
    node = child->get();
    if (dot == std::string_view::npos) {
      node->here.push_back(queue);
      return;
    }
    pattern.remove_prefix(dot + 1);
  }
}

}  // namespace wasmq::detail
