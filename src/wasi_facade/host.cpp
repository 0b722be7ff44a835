#include <wasi/messaging/host.hpp>

#include <wasmq/name.hpp>

namespace wasi::messaging::host {

namespace {

thread_local std::shared_ptr<const GuestContext> current_guest;

bool any_matches(const std::vector<std::string>& patterns, std::string_view topic) noexcept {
  for (const auto& pattern : patterns) {
    if (wasmq::matches(pattern, topic)) return true;
  }
  return false;
}

types::Error to_wit_error(const wasmq::Error& error) {
  std::string text = std::string(wasmq::to_string(error.code)) + ": " + error.message;
  switch (error.code) {
    case wasmq::Errc::timeout: return types::Error::Timeout();
    case wasmq::Errc::closed: return types::Error::Connection(std::move(text));
    default: return types::Error::Other(std::move(text));
  }
}

class InprocBackend final : public Backend {
 public:
  InprocBackend(wasmq::Broker& broker, std::string description)
      : broker_(broker), description_(std::move(description)) {}

  std::expected<void, types::Error> Publish(wasmq::Message&& message) override {
    auto receipt = broker_.publish(std::move(message));
    if (!receipt) return std::unexpected(to_wit_error(receipt.error()));
    return {};
  }
  [[nodiscard]] std::string Describe() const override { return description_; }

 private:
  wasmq::Broker& broker_;
  std::string description_;
};

}  // namespace

wasmq::Message Backend::ToBrokerMessage(std::string_view topic, types::Message&& message) {
  wasmq::Message out;
  out.topic = std::string(topic);
  out.payload = std::move(message.payload_);  // the buffer moves; no byte is copied
  out.content_type = std::move(message.content_type_);
  out.metadata.reserve(message.metadata_.size());
  for (auto& [key, value] : message.metadata_) out.metadata.emplace_back(std::move(key), std::move(value));
  out.reply_to = std::move(message.reply_to_);
  return out;
}

std::shared_ptr<Backend> MakeInprocBackend(wasmq::Broker& broker, std::string description) {
  return std::make_shared<InprocBackend>(broker, std::move(description));
}

bool Permissions::MayPublish(std::string_view topic) const noexcept { return any_matches(publish, topic); }
bool Permissions::MaySubscribe(std::string_view topic) const noexcept { return any_matches(subscribe, topic); }

void ConnectionRegistry::AddBroker(std::string_view name, wasmq::Broker& broker) {
  const std::string url = "inproc://" + std::string(name);
  auto backend = MakeInprocBackend(broker, url);
  std::lock_guard lock(mutex_);
  backends_.insert_or_assign(url, backend);
  backends_.try_emplace("inproc", backend);  // the first broker is the default
}

void ConnectionRegistry::Add(std::string_view connection_name, std::shared_ptr<Backend> backend) {
  std::lock_guard lock(mutex_);
  backends_.insert_or_assign(std::string(connection_name), std::move(backend));
}

std::expected<std::shared_ptr<Backend>, types::Error> ConnectionRegistry::Resolve(
    std::string_view connection_name) const {
  std::lock_guard lock(mutex_);
  if (auto found = backends_.find(connection_name); found != backends_.end()) return found->second;
  std::string known;
  for (const auto& [name, backend] : backends_) known += (known.empty() ? "" : ", ") + name;
  return std::unexpected(types::Error::Connection("unknown connection name '" + std::string(connection_name) +
                                                  "'; this host knows: " + (known.empty() ? "(none)" : known)));
}

ScopedGuest::ScopedGuest(std::shared_ptr<const GuestContext> context) : previous_(std::move(current_guest)) {
  current_guest = std::move(context);
}

ScopedGuest::~ScopedGuest() { current_guest = std::move(previous_); }

std::shared_ptr<const GuestContext> CurrentGuest() noexcept { return current_guest; }

}  // namespace wasi::messaging::host
