#include <wasi/messaging/request_reply.hpp>
#include <wasmq/testing/responder.hpp>
#include <wasmq/testing/text.hpp>

namespace wasmq::testkit {

namespace types = wasi::messaging::types;

ReplyScript canned(std::vector<std::string> replies) {
  return [replies = std::move(replies)](const types::Message&) { return replies; };
}

ReplyScript repeated(std::size_t count, std::string text) {
  return [count, text = std::move(text)](const types::Message&) { return std::vector<std::string>(count, text); };
}

ReplyScript echo() {
  return [](const types::Message& request) { return std::vector<std::string>{text_of(request)}; };
}

ReplyScript silent() {
  return [](const types::Message&) { return std::vector<std::string>{}; };
}

class Responder::Guest final : public wasi::messaging::incoming_handler::Guest {
 public:
  explicit Guest(Responder& owner) : owner_(owner) {}

  std::expected<void, types::Error> Handle(types::Message&& request) override {
    {
      std::lock_guard lock(owner_.mutex_);
      owner_.requests_.push_back(text_of(request));
    }
    for (const auto& reply : owner_.script_(request)) {
      auto sent = wasi::messaging::request_reply::Reply(request, message_of(reply));
      if (!sent) return sent;
    }
    return {};
  }

 private:
  Responder& owner_;
};

Responder::Responder(std::string topic, ReplyScript script) : topic_(std::move(topic)), script_(std::move(script)) {}

std::vector<std::string> Responder::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::shared_ptr<wasi::messaging::incoming_handler::Guest> Responder::guest() { return std::make_shared<Guest>(*this); }

}  // namespace wasmq::testkit
