#include <wasi/messaging/producer.hpp>
#include <wasmq/host/guest_instance.hpp>

#include <wasmq/utf8.hpp>

#include <string>

namespace wasmq::host {

namespace {

// A handle is (generation << kIndexBits) | (index + 1): 0 is never valid. A slot's generation
// grows on each reuse, so a handle to a dropped resource never matches the slot's next tenant;
// a slot at kMaxGeneration is retired instead of wrapping back to a generation a stale handle
// may still carry.
constexpr unsigned kIndexBits = 20;
constexpr std::uint32_t kIndexMask = (1U << kIndexBits) - 1;
static_assert(GuestInstance::kMaxSlots == kIndexMask, "every slot index fits the handle's index bits");
static_assert(GuestInstance::kMaxGeneration == (1U << (32 - kIndexBits)) - 1, "generations fill the other bits");

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

/// The trap for a handle whose resource is `held`, where the call wants an R.
template <class R>
[[gnu::cold]] Trap WrongType(Handle handle,
                             const std::variant<types::Client, types::Message, request_reply::RequestOptions>& held) {
  return Trap{"handle " + std::to_string(handle) + " is a " + std::string(HeldName(held)) + ", not a " +
              std::string(ResourceName<R>())};
}

Call<void> RequireUtf8(std::string_view text, std::string_view what) {
  if (wasmq::is_valid_utf8(text)) return {};
  return std::unexpected(Trap{std::string(what) + " is not valid UTF-8"});
}

}  // namespace

GuestInstance::GuestInstance(std::shared_ptr<const GuestContext> context, Sharing sharing)
    : context_(std::move(context)), limits_(context_ ? context_->limits : GuestLimits{}), sharing_(sharing) {
  if (sharing_ == Sharing::kOneCallAtATime) spare_.reserve(kSpareBlocks);  // Recycle() never allocates
}

std::size_t GuestInstance::Size() const { return live_.load(std::memory_order_relaxed); }

// --- the table -----------------------------------------------------------------------------------

namespace {
// live_ has one writer at a time (the lock's holder, or the one caller): a plain load and store,
// not a locked read-modify-write. Relaxed: see live_.
void Add(std::atomic<std::size_t>& count, std::size_t delta) {
  count.store(count.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}
void Subtract(std::atomic<std::size_t>& count, std::size_t delta) {
  count.store(count.load(std::memory_order_relaxed) - delta, std::memory_order_relaxed);
}
}  // namespace

Trap GuestInstance::OverResourceLimit(std::size_t more) const {
  return Trap{"guest '" + (context_ ? context_->identity : std::string()) + "' would hold " +
              std::to_string(Size() + more) + " live resources; the limit is " + std::to_string(limits_.max_resources) +
              " (GuestLimits::max_resources): drop resources it no longer needs"};
}

Call<std::uint32_t> GuestInstance::ClaimSlotLocked() {
  if (Size() + 1 > limits_.max_resources) return std::unexpected(OverResourceLimit(1));
  if (!free_.empty()) {
    const std::uint32_t index = free_.back();
    free_.pop_back();
    return index;
  }
  if (slots_.size() >= kMaxSlots) {
    return std::unexpected(Trap{"this guest instance has used up its handle space (" + std::to_string(kMaxSlots) +
                                " slots, each retired after " + std::to_string(kMaxGeneration) + " uses)"});
  }
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

Handle GuestInstance::PlaceLocked(std::uint32_t index, std::shared_ptr<Resource> resource) {
  Slot& slot = slots_[index];
  slot.resource = std::move(resource);
  Add(live_, 1);
  return (slot.generation << kIndexBits) | (index + 1);
}

template <class R, class... Args>
std::shared_ptr<GuestInstance::Resource> GuestInstance::NewBlock(Args&&... args) {
  // spare_ is only filled under kOneCallAtATime, whose calls are ordered: no lock.
  if (spare_.empty()) return std::make_shared<Resource>(std::in_place_type<R>, std::forward<Args>(args)...);
  std::shared_ptr<Resource> block = std::move(spare_.back());
  spare_.pop_back();
  block->template emplace<R>(std::forward<Args>(args)...);  // a throw here drops the block with this frame
  return block;
}

void GuestInstance::Recycle(std::shared_ptr<Resource>&& block) noexcept {
  // Under kOneCallAtATime a borrow can only be this call's own (the runtime's BorrowMessage held
  // across it): the count is then above 1 and the block goes with that borrow instead.
  if (sharing_ != Sharing::kOneCallAtATime || block.use_count() != 1 || spare_.size() >= kSpareBlocks) return;
  block->emplace<request_reply::RequestOptions>();  // what it held goes now, not when it is reused
  spare_.push_back(std::move(block));               // within the capacity reserved: no allocation
}

template <class R, class... Args>
Call<Handle> GuestInstance::Emplace(Args&&... args) {
  auto shared = NewBlock<R>(std::forward<Args>(args)...);
  auto lock = Lock();
  auto index = ClaimSlotLocked();
  if (!index) return std::unexpected(index.error());  // `shared` goes with this frame: nothing leaks
  return PlaceLocked(*index, std::move(shared));
}

Call<std::vector<Handle>> GuestInstance::InsertAll(std::vector<types::Message>&& messages) {
  std::vector<std::shared_ptr<Resource>> shared;
  shared.reserve(messages.size());
  for (auto& message : messages) {
    shared.push_back(NewBlock<types::Message>(std::move(message)));
  }
  std::vector<Handle> handles;
  handles.reserve(shared.size());
  auto lock = Lock();
  // All or nothing: checked for the whole list first, so that a trap leaves no handle behind.
  if (Size() + shared.size() > limits_.max_resources) return std::unexpected(OverResourceLimit(shared.size()));
  for (auto& resource : shared) {
    auto index = ClaimSlotLocked();
    if (!index) {  // the handle space ran out midway: take back what was placed
      for (Handle placed : handles) {
        Slot& slot = slots_[(placed & kIndexMask) - 1];
        slot.resource.reset();
        Subtract(live_, 1);
        free_.push_back((placed & kIndexMask) - 1);  // never handed to the guest: no generation change
      }
      return std::unexpected(index.error());
    }
    handles.push_back(PlaceLocked(*index, std::move(resource)));
  }
  return handles;
}

Trap GuestInstance::NotLive(Handle handle) {
  return Trap{"handle " + std::to_string(handle) +
              " is not a live resource of this guest (never created, dropped, or moved)"};
}

std::size_t GuestInstance::IndexOf(Handle handle) const {
  const std::uint32_t low = handle & kIndexMask;
  const std::uint32_t generation = handle >> kIndexBits;
  if (low == 0 || low > slots_.size() || slots_[low - 1].generation != generation || !slots_[low - 1].resource)
      [[unlikely]] {
    return kNotLive;
  }
  return low - 1;
}

template <class R>
Call<std::shared_ptr<GuestInstance::Resource>> GuestInstance::Borrow(Handle handle) const {
  auto lock = Lock();
  const std::size_t index = IndexOf(handle);
  if (index == kNotLive) [[unlikely]]
    return std::unexpected(NotLive(handle));
  const auto& resource = slots_[index].resource;
  if (!std::holds_alternative<R>(*resource)) return std::unexpected(WrongType<R>(handle, *resource));
  return resource;  // the caller's copy keeps it alive for the call
}

template <class R>
Call<std::shared_ptr<GuestInstance::Resource>> GuestInstance::Remove(Handle handle) {
  auto lock = Lock();
  const std::size_t index = IndexOf(handle);
  if (index == kNotLive) [[unlikely]]
    return std::unexpected(NotLive(handle));
  Slot& slot = slots_[index];
  if (!std::holds_alternative<R>(*slot.resource)) return std::unexpected(WrongType<R>(handle, *slot.resource));
  std::shared_ptr<Resource> resource = std::move(slot.resource);
  Subtract(live_, 1);
  if (slot.generation < kMaxGeneration) {
    ++slot.generation;
    free_.push_back(static_cast<std::uint32_t>(index));
  }  // else retired: the slot stays empty, so every handle ever made for it stays invalid
  return resource;
}

template <class R>
Call<R> GuestInstance::Take(Handle handle) {
  auto resource = Remove<R>(handle);
  if (!resource) return std::unexpected(resource.error());
  // A borrow in progress on another thread may still share it: move out only the last reference's.
  if (resource->use_count() != 1) {
    return std::unexpected(Trap{"handle " + std::to_string(handle) + " was moved while borrowed by another call"});
  }
  return MoveOut<R>(std::move(*resource));
}

template <class R>
Call<R> GuestInstance::MoveOut(std::shared_ptr<Resource>&& block) {
  Call<R> taken(std::in_place, std::move(std::get<R>(*block)));
  Recycle(std::move(block));  // after the move: the block is emptied for its next resource
  return taken;               // the only return: named return value, no second move
}

template <class R>
Call<void> GuestInstance::Drop(Handle handle) {
  // Emptied here (after the lock), or destroyed by the borrow that still shares it when that call ends.
  auto resource = Remove<R>(handle);
  if (!resource) return std::unexpected(resource.error());
  Recycle(std::move(*resource));
  return {};
}

Call<void> GuestInstance::CheckMessage(std::size_t bytes, std::size_t entries) const {
  if (bytes > limits_.max_message_bytes) {
    return std::unexpected(Trap{"a message would hold " + std::to_string(bytes) + " bytes (data, content type and " +
                                "metadata); the limit is " + std::to_string(limits_.max_message_bytes) +
                                " (GuestLimits::max_message_bytes)"});
  }
  if (entries > limits_.max_metadata_entries) {
    return std::unexpected(Trap{"a message would hold " + std::to_string(entries) + " metadata entries; the limit is " +
                                std::to_string(limits_.max_metadata_entries) + " (GuestLimits::max_metadata_entries)"});
  }
  return {};
}

// --- types -------------------------------------------------------------------------------------

Call<std::expected<Handle, types::Error>> GuestInstance::ClientConnect(std::string_view name) {
  if (auto utf8 = RequireUtf8(name, "the connection name"); !utf8) return std::unexpected(utf8.error());
  ScopedGuest current(context_);
  auto client = types::Client::Connect(name);
  if (!client) return std::expected<Handle, types::Error>(std::unexpect, client.error());  // a WIT error, no trap
  auto handle = Emplace<types::Client>(std::move(*client));
  if (!handle) return std::unexpected(handle.error());
  return *handle;
}

Call<std::expected<void, types::Error>> GuestInstance::ClientDisconnect(Handle self) {
  auto client = Borrow<types::Client>(self);
  if (!client) return std::unexpected(client.error());
  return std::get<types::Client>(**client).Disconnect();
}

Call<void> GuestInstance::ClientDrop(Handle self) { return Drop<types::Client>(self); }

Call<Handle> GuestInstance::MessageNew(std::span<const std::uint8_t> data) {
  if (data.size() > limits_.max_message_bytes) {
    return std::unexpected(Trap{"a message would hold " + std::to_string(data.size()) + " bytes; the limit is " +
                                std::to_string(limits_.max_message_bytes) + " (GuestLimits::max_message_bytes)"});
  }
  return Emplace<types::Message>(data);
}

#define WASMQ_BORROW_MESSAGE(handle)                       \
  auto borrowed = Borrow<types::Message>(handle);          \
  if (!borrowed) return std::unexpected(borrowed.error()); \
  auto& message = std::get<types::Message>(**borrowed)

#define WASMQ_REQUIRE(check) \
  if (auto checked = (check); !checked) return std::unexpected(checked.error())

Call<std::optional<types::Topic>> GuestInstance::MessageTopic(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Topic();
}

Call<std::optional<std::string>> GuestInstance::MessageContentType(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.ContentType();
}

Call<void> GuestInstance::MessageSetContentType(Handle self, std::string_view content_type) {
  WASMQ_REQUIRE(RequireUtf8(content_type, "the content type"));
  WASMQ_BORROW_MESSAGE(self);
  const std::optional<std::string> held_type = message.ContentType();
  const std::size_t old_size = held_type ? held_type->size() : 0;
  WASMQ_REQUIRE(CheckMessage(message.SizeBytes() - old_size + content_type.size(), message.MetadataEntries()));
  message.SetContentType(content_type);
  return {};
}

Call<std::vector<std::uint8_t>> GuestInstance::MessageData(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Data();
}

Call<std::shared_ptr<const types::Message>> GuestInstance::BorrowMessage(Handle self) {
  auto borrowed = Borrow<types::Message>(self);
  if (!borrowed) return std::unexpected(borrowed.error());
  // Aliasing: takes over the borrow's share of the table's resource (moved: no second count),
  // points at the message in it.
  auto& message = std::get<types::Message>(**borrowed);
  return std::shared_ptr<const types::Message>(std::move(*borrowed), &message);
}

Call<void> GuestInstance::MessageSetData(Handle self, std::span<const std::uint8_t> data) {
  WASMQ_BORROW_MESSAGE(self);
  WASMQ_REQUIRE(CheckMessage(message.SizeBytes() - message.DataView().size() + data.size(), message.MetadataEntries()));
  message.SetData(data);
  return {};
}

Call<std::optional<types::Metadata>> GuestInstance::MessageMetadata(Handle self) {
  WASMQ_BORROW_MESSAGE(self);
  return message.Metadata();
}

Call<void> GuestInstance::MessageAddMetadata(Handle self, std::string_view key, std::string_view value) {
  WASMQ_REQUIRE(RequireUtf8(key, "a metadata key"));
  WASMQ_REQUIRE(RequireUtf8(value, "a metadata value"));
  WASMQ_BORROW_MESSAGE(self);
  const std::string* held = message.FindMetadata(key);
  const std::size_t bytes =
      held ? message.SizeBytes() - held->size() + value.size() : message.SizeBytes() + key.size() + value.size();
  WASMQ_REQUIRE(CheckMessage(bytes, message.MetadataEntries() + (held ? 0 : 1)));
  message.AddMetadata(key, value);
  return {};
}

Call<void> GuestInstance::MessageSetMetadata(Handle self, std::span<const std::tuple<std::string, std::string>> meta) {
  // Checked before anything changes; duplicates count once each here (the list only shrinks).
  std::size_t metadata_bytes = 0;
  for (const auto& [key, value] : meta) {
    WASMQ_REQUIRE(RequireUtf8(key, "a metadata key"));
    WASMQ_REQUIRE(RequireUtf8(value, "a metadata value"));
    metadata_bytes += key.size() + value.size();
  }
  WASMQ_BORROW_MESSAGE(self);
  const std::optional<std::string> held_type = message.ContentType();
  const std::size_t kept = message.DataView().size() + (held_type ? held_type->size() : 0);
  if (meta.size() > limits_.max_metadata_entries || kept + metadata_bytes > limits_.max_message_bytes) {
    types::Message trial(std::span<const std::uint8_t>{});  // exact counts after duplicates collapse
    trial.SetMetadata(meta);
    WASMQ_REQUIRE(CheckMessage(kept + trial.SizeBytes(), trial.MetadataEntries()));
  }
  message.SetMetadata(meta);
  return {};
}

Call<void> GuestInstance::MessageRemoveMetadata(Handle self, std::string_view key) {
  WASMQ_REQUIRE(RequireUtf8(key, "a metadata key"));
  WASMQ_BORROW_MESSAGE(self);
  message.RemoveMetadata(key);
  return {};
}

Call<void> GuestInstance::MessageDrop(Handle self) { return Drop<types::Message>(self); }

// --- producer ----------------------------------------------------------------------------------

Call<std::expected<void, types::Error>> GuestInstance::ProducerSend(Handle c, std::string_view topic, Handle message) {
  WASMQ_REQUIRE(RequireUtf8(topic, "the topic"));
  auto client = Borrow<types::Client>(c);
  if (!client) return std::unexpected(client.error());
  auto owned = Take<types::Message>(message);
  if (!owned) return std::unexpected(owned.error());
  return producer::Send(std::get<types::Client>(**client), topic, std::move(*owned));
}

// --- request-reply -----------------------------------------------------------------------------

Call<Handle> GuestInstance::RequestOptionsNew() { return Emplace<request_reply::RequestOptions>(); }

Call<void> GuestInstance::RequestOptionsSetTimeoutMs(Handle self, std::uint32_t timeout_ms) {
  auto options = Borrow<request_reply::RequestOptions>(self);
  if (!options) return std::unexpected(options.error());
  std::get<request_reply::RequestOptions>(**options).SetTimeoutMs(timeout_ms);
  return {};
}

Call<void> GuestInstance::RequestOptionsSetExpectedReplies(Handle self, std::uint32_t expected_replies) {
  auto options = Borrow<request_reply::RequestOptions>(self);
  if (!options) return std::unexpected(options.error());
  std::get<request_reply::RequestOptions>(**options).SetExpectedReplies(expected_replies);
  return {};
}

Call<void> GuestInstance::RequestOptionsDrop(Handle self) { return Drop<request_reply::RequestOptions>(self); }

Call<std::expected<std::vector<Handle>, types::Error>> GuestInstance::RequestReplyRequest(
    Handle c, std::string_view topic, Handle message, std::optional<Handle> options) {
  WASMQ_REQUIRE(RequireUtf8(topic, "the topic"));
  auto client = Borrow<types::Client>(c);
  if (!client) return std::unexpected(client.error());
  auto borrowed = Borrow<types::Message>(message);
  if (!borrowed) return std::unexpected(borrowed.error());
  std::optional<request_reply::RequestOptions> owned_options;
  if (options) {
    auto taken = Take<request_reply::RequestOptions>(*options);
    if (!taken) return std::unexpected(taken.error());
    owned_options = std::move(*taken);
  }
  ScopedGuest current(context_);
  auto replies = request_reply::Request(std::get<types::Client>(**client), topic, std::get<types::Message>(**borrowed),
                                        std::move(owned_options));
  if (!replies) return std::expected<std::vector<Handle>, types::Error>(std::unexpect, replies.error());
  auto handles = InsertAll(std::move(*replies));
  if (!handles) return std::unexpected(handles.error());
  return std::move(*handles);
}

Call<std::expected<void, types::Error>> GuestInstance::RequestReplyReply(Handle reply_to, Handle message) {
  auto request = Borrow<types::Message>(reply_to);
  if (!request) return std::unexpected(request.error());
  auto owned = Take<types::Message>(message);
  if (!owned) return std::unexpected(owned.error());
  ScopedGuest current(context_);
  return request_reply::Reply(std::get<types::Message>(**request), std::move(*owned));
}

#undef WASMQ_REQUIRE
#undef WASMQ_BORROW_MESSAGE

Call<Handle> GuestInstance::AdoptMessage(types::Message&& message) {
  return Emplace<types::Message>(std::move(message));
}

}  // namespace wasmq::host
