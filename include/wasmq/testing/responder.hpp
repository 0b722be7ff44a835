#pragma once
/// Scripted request-reply responders: canned replies, several replies, or silence (a timeout).

#include <wasi/messaging/types.hpp>
#include <wasmq/detail/visibility.hpp>
#include <wasmq/host/host.hpp>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

WASMQ_PUBLIC_BEGIN

namespace wasmq::testkit {

/// What a responder answers to one request: the texts of its replies, in order (none: silence).
using ReplyScript = std::function<std::vector<std::string>(const wasi::messaging::types::Message& request)>;

/// Answers every request with these replies, in order (one text: one reply; three: three).
ReplyScript canned(std::vector<std::string> replies);
/// Answers `count` times with `text`.
ReplyScript repeated(std::size_t count, std::string text);
/// Answers each request with its own data.
ReplyScript echo();
/// Never answers: the requester waits for its timeout.
ReplyScript silent();

/// A responder on one topic, made by Harness::respond. It receives like any guest (through the
/// harness's connection, so faults and traffic apply) and replies with request_reply::Reply.
/// Thread-safe.
class Responder {
 public:
  Responder(std::string topic, ReplyScript script);
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  [[nodiscard]] const std::string& topic() const noexcept { return topic_; }
  /// The data of every request received so far, in order.
  [[nodiscard]] std::vector<std::string> requests() const;
  /// Stops responding: requests to the topic then find no responders (unless another serves it).
  void stop() { subscription_.Close(); }
  [[nodiscard]] bool active() const noexcept { return subscription_.Active(); }

  /// For the harness: the guest that answers, and where its subscription is kept.
  std::shared_ptr<wasi::messaging::incoming_handler::Guest> guest();
  void attach(wasmq::host::GuestSubscription subscription) { subscription_ = std::move(subscription); }

 private:
  class Guest;

  std::string topic_;
  ReplyScript script_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  wasmq::host::GuestSubscription subscription_;
};

}  // namespace wasmq::testkit

WASMQ_PUBLIC_END
