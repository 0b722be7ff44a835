#include <wasi/messaging/guest_instance.hpp>
#include <wasi/messaging/producer.hpp>

#include <string>

namespace wasi::messaging::host {

namespace {

// A handle is (generation << index_bits) | (index + 1): 0 is never valid, and a handle to a
// dropped resource stays invalid after its slot is reused (until the 12-bit generation wraps).
constexpr unsigned index_bits = 20;
constexpr std::uint32_t index_mask = (1U << index_bits) - 1;
constexpr std::uint32_t generation_mask = (1U << (32 - index_bits)) - 1;

template <class R>
constexpr std::string_view ResourceName() {
  if constexpr (std::is_same_v<R, types::Client>) return "client";
  if constexpr (std::is_same_v<R, types::Message>) return "message";
  return "request-options";
}

std::string_view HeldName(const std::variant<types::Client, types::Message, request_reply::RequestOptions>& held) {
  switch (held.index()) {
    case 0: return "client";
    case 1: return "message";
    default: return "request-options";
  }
}

}  // namespace

GuestInstance::GuestInstance(std::shared_ptr<const GuestContext> context) : context_(std::move(context)) {}

std::size_t GuestInstance::Size() const {
  std::lock_guard lock(mutex_);
  return slots_.size() - free_.size();
}

Handle GuestInstance::insert(Resource&& resource) {
  auto shared = std::make_shared<Resource>(std::move(resource));
  std::lock_guard lock(mutex_);
  std::uint32_t index = 0;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.resource = std::move(shared);
  return (slot.generation << index_bits) | (index + 1);
}

Call<std::size_t> GuestInstance::index_of(Handle handle) const {
  const std::uint32_t low = handle & index_mask;
  const std::uint32_t generation = handle >> index_bits;
  if (low == 0 || low > slots_.size() || slots_[low - 1].generation != generation || !slots_[low - 1].resource) {
    return std::unexpected(Trap{"handle " + std::to_string(handle) +
                                " is not a live resource of this guest (never created, dropped, or moved)"});
  }
  return low - 1;
}

template <class R>
Call<std::shared_ptr<GuestInstance::Resource>> GuestInstance::borrow(Handle handle) const {
  std::lock_guard lock(mutex_);
  auto index = index_of(handle);
  if (!index) return std::unexpected(index.error());
  const auto& resource = slots_[*index].resource;
  if (!std::holds_alternative<R>(*resource)) {
    return std::unexpected(Trap{"handle " + std::to_string(handle) + " is a " + std::string(HeldName(*resource)) +
                                ", not a " + std::string(ResourceName<R>())});
  }
  return resource;  // the caller's copy keeps it alive for the call
}

template <class R>
Call<R> GuestInstance::take(Handle handle) {
  std::shared_ptr<Resource> resource;
  {
    std::lock_guard lock(mutex_);
    auto index = index_of(handle);
    if (!index) return std::unexpected(index.error());
    Slot& slot = slots_[*index];
    if (!std::holds_alternative<R>(*slot.resource)) {
      return std::unexpected(Trap{"handle " + std::to_string(handle) + " is a " +
                                  std::string(HeldName(*slot.resource)) + ", not a " + std::string(ResourceName<R>())});
    }
    resource = std::move(slot.resource);
    slot.generation = (slot.generation + 1) & generation_mask;
    if (slot.generation == 0) slot.generation = 1;
    free_.push_back(static_cast<std::uint32_t>(*index));
  }
  // A borrow in progress on another thread may still share it: move out only the last reference's.
  if (resource.use_count() == 1) return std::move(std::get<R>(*resource));
  return std::unexpected(Trap{"handle " + std::to_string(handle) + " was moved while borrowed by another call"});
}

// --- types -------------------------------------------------------------------------------------

Call<std::expected<Handle, types::Error>> GuestInstance::ClientConnect(std::string_view name) {
  ScopedGuest current(context_);
  auto client = types::Client::Connect(name);
  if (!client) return std::expected<Handle, types::Error>(std::unexpect, client.error());  // a WIT error, no trap
  return insert(std::move(*client));
}

Call<std::expected<void, types::Error>> GuestInstance::ClientDisconnect(Handle self) {
  auto client = borrow<types::Client>(self);
  if (!client) return std::unexpected(client.error());
  return std::get<types::Client>(**client).Disconnect();
}

Call<void> GuestInstance::ClientDrop(Handle self) {
  auto client = take<types::Client>(self);
  if (!client) return std::unexpected(client.error());
  return {};
}

Call<Handle> GuestInstance::MessageNew(std::span<const std::uint8_t> data) { return insert(types::Message(data)); }

#define WASMQ_BORROW_MESSAGE(handle)                       \
  auto borrowed = borrow<types::Message>(handle);          \
  if (!borrowed) return std::unexpected(borrowed.error()); \
  auto& message = std::get<types::Message>(**borrowed)

Call<std::optional<types::Topic>> GuestInstance::MessageTopic(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Topic();
}

Call<std::optional<std::string>> GuestInstance::MessageContentType(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.ContentType();
}

Call<void> GuestInstance::MessageSetContentType(Handle self, std::string_view content_type) {
  WASMQ_BORROW_MESSAGE(self);
  message.SetContentType(content_type);
  return {};
}

Call<std::vector<std::uint8_t>> GuestInstance::MessageData(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Data();
}

Call<void> GuestInstance::MessageSetData(Handle self, std::span<const std::uint8_t> data) {
  WASMQ_BORROW_MESSAGE(self);
  message.SetData(data);
  return {};
}

Call<std::optional<types::Metadata>> GuestInstance::MessageMetadata(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Metadata();
}

Call<void> GuestInstance::MessageAddMetadata(Handle self, std::string_view key, std::string_view value) {
  WASMQ_BORROW_MESSAGE(self);
  message.AddMetadata(key, value);
  return {};
}

Call<void> GuestInstance::MessageSetMetadata(Handle self, std::span<const std::tuple<std::string, std::string>> meta) {
  WASMQ_BORROW_MESSAGE(self);
  message.SetMetadata(meta);
  return {};
}

Call<void> GuestInstance::MessageRemoveMetadata(Handle self, std::string_view key) {
  WASMQ_BORROW_MESSAGE(self);
  message.RemoveMetadata(key);
  return {};
}

#undef WASMQ_BORROW_MESSAGE

Call<void> GuestInstance::MessageDrop(Handle self) {
  auto message = take<types::Message>(self);
  if (!message) return std::unexpected(message.error());
  return {};
}

// --- producer ----------------------------------------------------------------------------------

Call<std::expected<void, types::Error>> GuestInstance::ProducerSend(Handle c, std::string_view topic, Handle message) {
  auto client = borrow<types::Client>(c);
  if (!client) return std::unexpected(client.error());
  auto owned = take<types::Message>(message);
  if (!owned) return std::unexpected(owned.error());
  return producer::Send(std::get<types::Client>(**client), topic, std::move(*owned));
}

// --- request-reply -----------------------------------------------------------------------------

Call<Handle> GuestInstance::RequestOptionsNew() { return insert(request_reply::RequestOptions()); }

Call<void> GuestInstance::RequestOptionsSetTimeoutMs(Handle self, std::uint32_t timeout_ms) {
  auto options = borrow<request_reply::RequestOptions>(self);
  if (!options) return std::unexpected(options.error());
  std::get<request_reply::RequestOptions>(**options).SetTimeoutMs(timeout_ms);
  return {};
}

Call<void> GuestInstance::RequestOptionsSetExpectedReplies(Handle self, std::uint32_t expected_replies) {
  auto options = borrow<request_reply::RequestOptions>(self);
  if (!options) return std::unexpected(options.error());
  std::get<request_reply::RequestOptions>(**options).SetExpectedReplies(expected_replies);
  return {};
}

Call<void> GuestInstance::RequestOptionsDrop(Handle self) {
  auto options = take<request_reply::RequestOptions>(self);
  if (!options) return std::unexpected(options.error());
  return {};
}

Call<std::expected<std::vector<Handle>, types::Error>> GuestInstance::RequestReplyRequest(
    Handle c, std::string_view topic, Handle message, std::optional<Handle> options) {
  auto client = borrow<types::Client>(c);
  if (!client) return std::unexpected(client.error());
  auto borrowed = borrow<types::Message>(message);
  if (!borrowed) return std::unexpected(borrowed.error());
  std::optional<request_reply::RequestOptions> owned_options;
  if (options) {
    auto taken = take<request_reply::RequestOptions>(*options);
    if (!taken) return std::unexpected(taken.error());
    owned_options = std::move(*taken);
  }
  ScopedGuest current(context_);
  auto replies = request_reply::Request(std::get<types::Client>(**client), topic, std::get<types::Message>(**borrowed),
                                        std::move(owned_options));
  if (!replies) return std::expected<std::vector<Handle>, types::Error>(std::unexpect, replies.error());
  std::vector<Handle> handles;
  handles.reserve(replies->size());
  for (auto& reply : *replies) handles.push_back(insert(std::move(reply)));
  return handles;
}

Call<std::expected<void, types::Error>> GuestInstance::RequestReplyReply(Handle reply_to, Handle message) {
  auto request = borrow<types::Message>(reply_to);
  if (!request) return std::unexpected(request.error());
  auto owned = take<types::Message>(message);
  if (!owned) return std::unexpected(owned.error());
  return request_reply::Reply(std::get<types::Message>(**request), std::move(*owned));
}

Handle GuestInstance::AdoptMessage(types::Message&& message) { return insert(std::move(message)); }

}  // namespace wasi::messaging::host
