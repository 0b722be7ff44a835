#pragma once
/// Host bindings for a WebAssembly runtime: one guest instance's resource table and one method per
/// WIT function, taking and returning canonical-ABI handles, so that a runtime binds each guest
/// import straight to a method.

#include <wasi/messaging/host.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasi/messaging/types.hpp>

#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace wasi::messaging::host {

/// A resource handle as the canonical ABI passes it. 0 is never a valid handle.
using Handle = std::uint32_t;

/// A misuse of handles that the canonical ABI traps on (unknown, dropped or moved handle, or one
/// of the wrong resource type). The runtime turns it into a trap of the guest; the host goes on.
struct Trap {
  std::string message;
};
/// What each binding returns: the WIT result, or a trap.
template <class T>
using Call = std::expected<T, Trap>;

/// One guest instance as its runtime host sees it. Own/borrow rules: a returned `own<R>` is put in
/// the table and its handle returned; an `own<R>` argument is taken out of the table (the handle
/// dies, whatever the call's result); a `borrow<R>` argument is looked up and stays. A dropped or
/// moved handle is never valid again, even once its slot is reused (a generation number tells).
/// Thread-safe; a borrowed resource stays alive for the call even if dropped meanwhile.
class GuestInstance {
 public:
  explicit GuestInstance(std::shared_ptr<const GuestContext> context);

  /// Live resources in the table (for leak checks when an instance ends).
  [[nodiscard]] std::size_t Size() const;

  // wasi:messaging/types
  Call<std::expected<Handle, types::Error>> ClientConnect(std::string_view name);
  Call<std::expected<void, types::Error>> ClientDisconnect(Handle self);
  Call<void> ClientDrop(Handle self);
  Call<Handle> MessageNew(std::span<const std::uint8_t> data);
  Call<std::optional<types::Topic>> MessageTopic(Handle self);
  Call<std::optional<std::string>> MessageContentType(Handle self);
  Call<void> MessageSetContentType(Handle self, std::string_view content_type);
  Call<std::vector<std::uint8_t>> MessageData(Handle self);
  Call<void> MessageSetData(Handle self, std::span<const std::uint8_t> data);
  Call<std::optional<types::Metadata>> MessageMetadata(Handle self);
  Call<void> MessageAddMetadata(Handle self, std::string_view key, std::string_view value);
  Call<void> MessageSetMetadata(Handle self, std::span<const std::tuple<std::string, std::string>> meta);
  Call<void> MessageRemoveMetadata(Handle self, std::string_view key);
  Call<void> MessageDrop(Handle self);

  // wasi:messaging/producer
  Call<std::expected<void, types::Error>> ProducerSend(Handle c, std::string_view topic, Handle message);

  // wasi:messaging/request-reply
  Call<Handle> RequestOptionsNew();
  Call<void> RequestOptionsSetTimeoutMs(Handle self, std::uint32_t timeout_ms);
  Call<void> RequestOptionsSetExpectedReplies(Handle self, std::uint32_t expected_replies);
  Call<void> RequestOptionsDrop(Handle self);
  Call<std::expected<std::vector<Handle>, types::Error>> RequestReplyRequest(Handle c, std::string_view topic,
                                                                             Handle message,
                                                                             std::optional<Handle> options);
  Call<std::expected<void, types::Error>> RequestReplyReply(Handle reply_to, Handle message);

  // wasi:messaging/incoming-handler (exported by the guest)
  /// Puts a delivered message in the table, for passing as `own<message>` to the guest's handle.
  Handle AdoptMessage(types::Message&& message);

 private:
  using Resource = std::variant<types::Client, types::Message, request_reply::RequestOptions>;
  struct Slot {
    std::shared_ptr<Resource> resource;
    std::uint32_t generation = 1;
  };

  Handle insert(Resource&& resource);
  template <class R>
  Call<std::shared_ptr<Resource>> borrow(Handle handle) const;
  template <class R>
  Call<R> take(Handle handle);
  Call<std::size_t> index_of(Handle handle) const;  // caller holds mutex_

  std::shared_ptr<const GuestContext> context_;
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace wasi::messaging::host
