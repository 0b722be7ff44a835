#include "detail/routing_table.hpp"

#include "detail/queue_core.hpp"

#include <wasmq/name.hpp>

#include <algorithm>

namespace wasmq::detail {

namespace {

RoutingTable::Queues plus(const RoutingTable::Queues& queues, const std::shared_ptr<QueueCore>& queue) {
  RoutingTable::Queues result;
  result.reserve(queues.size() + 1);
  result.insert(result.end(), queues.begin(), queues.end());
  result.push_back(queue);
  return result;
}

RoutingTable::Queues minus(const RoutingTable::Queues& queues, const QueueCore& queue) {
  RoutingTable::Queues result;
  result.reserve(queues.size());
  std::copy_if(queues.begin(), queues.end(), std::back_inserter(result),
               [&](const auto& candidate) { return candidate.get() != &queue; });
  return result;
}

// The first token of `pattern`, and what follows its dot (empty for the last token).
std::pair<std::string_view, std::string_view> split(std::string_view pattern) noexcept {
  const std::size_t dot = pattern.find('.');
  if (dot == std::string_view::npos) return {pattern, {}};
  return {pattern.substr(0, dot), pattern.substr(dot + 1)};
}

}  // namespace

std::shared_ptr<const RoutingTable> RoutingTable::with(const std::shared_ptr<QueueCore>& queue) const {
  auto next = std::make_shared<RoutingTable>(*this);  // shares every node
  const std::string& binding = queue->binding();
  if (has_wildcard(binding)) {
    next->wildcards_ = insert(wildcards_, binding, queue);
  } else {
    const Queues* existing = exact_.find(binding);
    next->exact_ = exact_.set(binding, existing != nullptr ? plus(*existing, queue) : Queues{queue});
  }
  return next;
}

std::shared_ptr<const RoutingTable> RoutingTable::without(const QueueCore& queue) const {
  auto next = std::make_shared<RoutingTable>(*this);
  const std::string& binding = queue.binding();
  if (has_wildcard(binding)) {
    next->wildcards_ = erase(wildcards_, binding, queue);
  } else if (const Queues* existing = exact_.find(binding)) {
    Queues left = minus(*existing, queue);
    next->exact_ = left.empty() ? exact_.erase(binding) : exact_.set(binding, std::move(left));
  }
  return next;
}

RoutingTable::NodePtr RoutingTable::insert(const NodePtr& node, std::string_view pattern,
                                           const std::shared_ptr<QueueCore>& queue) {
  auto copy = node ? std::make_shared<Node>(*node) : std::make_shared<Node>();
  const auto [token, remainder] = split(pattern);
  if (token == ">") {
    copy->rest = plus(copy->rest, queue);
    return copy;
  }
  NodePtr child;
  if (token == "*") {
    child = copy->star;
  } else if (const NodePtr* found = copy->literal.find(token)) {
    child = *found;
  }
  if (remainder.empty()) {
    auto leaf = child ? std::make_shared<Node>(*child) : std::make_shared<Node>();
    leaf->here = plus(leaf->here, queue);
    child = std::move(leaf);
  } else {
    child = insert(child, remainder, queue);
  }
  if (token == "*") {
    copy->star = std::move(child);
  } else {
    copy->literal = copy->literal.set(token, std::move(child));
  }
  return copy;
}

RoutingTable::NodePtr RoutingTable::erase(const NodePtr& node, std::string_view pattern, const QueueCore& queue) {
  if (!node) return node;
  auto copy = std::make_shared<Node>(*node);
  const auto [token, remainder] = split(pattern);
  if (token == ">") {
    copy->rest = minus(copy->rest, queue);
  } else {
    NodePtr child;
    if (token == "*") {
      child = copy->star;
    } else if (const NodePtr* found = copy->literal.find(token)) {
      child = *found;
    }
    if (!child) return node;  // not routed here
    if (remainder.empty()) {
      auto leaf = std::make_shared<Node>(*child);
      leaf->here = minus(leaf->here, queue);
      child = leaf->empty() ? nullptr : NodePtr(std::move(leaf));
    } else {
      child = erase(child, remainder, queue);
    }
    if (token == "*") {
      copy->star = std::move(child);
    } else if (child) {
      copy->literal = copy->literal.set(token, std::move(child));
    } else {
      copy->literal = copy->literal.erase(token);
    }
  }
  if (copy->empty()) return nullptr;
  return copy;
}

}  // namespace wasmq::detail
