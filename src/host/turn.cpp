#include <wasmq/host/turn.hpp>

namespace wasmq::host {

namespace {

class OneAtATimeGuest final : public incoming_handler::Guest {
 public:
  explicit OneAtATimeGuest(std::shared_ptr<incoming_handler::Guest> guest) : guest_(std::move(guest)) {}

  std::expected<void, types::Error> Handle(types::Message&& message) override {
    if (turn_.HeldByThisThread()) {
      return std::unexpected(types::Error::Other("re-entrant delivery refused: the guest is busy on this thread"));
    }
    Turn::Held held(turn_);
    return guest_->Handle(std::move(message));
  }

 private:
  std::shared_ptr<incoming_handler::Guest> guest_;
  Turn turn_;
};

}  // namespace

std::shared_ptr<incoming_handler::Guest> OneAtATime(std::shared_ptr<incoming_handler::Guest> guest) {
  return std::make_shared<OneAtATimeGuest>(std::move(guest));
}

}  // namespace wasmq::host
