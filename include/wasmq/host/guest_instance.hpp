#pragma once
/// Host bindings for a WebAssembly runtime: one guest instance's resource table and one method per
/// WIT function, taking and returning canonical-ABI handles, so that a runtime binds each guest
/// import straight to a method.

#include <wasmq/detail/require_cpp23.hpp>
#include <wasmq/detail/visibility.hpp>

#include <wasi/messaging/producer.hpp>
#include <wasi/messaging/request_reply.hpp>
#include <wasi/messaging/types.hpp>
#include <wasmq/host/host.hpp>

#include <atomic>
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

WASMQ_PUBLIC_BEGIN

namespace wasmq::host {

namespace producer = ::wasi::messaging::producer;
namespace request_reply = ::wasi::messaging::request_reply;

/// A resource handle as the canonical ABI passes it. 0 is never a valid handle.
using Handle = std::uint32_t;

/// A misuse of handles that the canonical ABI traps on (unknown, dropped or moved handle, or one
/// of the wrong resource type). The runtime turns it into a trap of the guest; the host goes on.
struct Trap {
  std::string message{};
};
/// What each binding returns: the WIT result, or a trap.
template <class T>
using Call = std::expected<T, Trap>;

/// One guest instance as its runtime host sees it. Own/borrow rules: a returned `own<R>` is put in
/// the table and its handle returned; an `own<R>` argument is taken out of the table (the handle
/// dies, whatever the call's result); a `borrow<R>` argument is looked up and stays. A dropped or
/// moved handle is never valid again: a slot is reused with a new generation, and a slot whose
/// generation would wrap is retired for good. A borrowed resource stays alive for the call even if
/// dropped meanwhile.
///
/// Thread-safe by default (Sharing::kShared: each call takes the table's lock). A runtime that
/// enters its instance one call at a time — a WebAssembly instance, whose deliveries take turns —
/// may say so (Sharing::kOneCallAtATime) and the table takes no lock; its calls must then be
/// ordered by the caller (happens-before), as a mutex around each delivery orders them. Size()
/// may be called from any thread either way.
///
/// Limits (the context's GuestLimits) trap: more live resources than max_resources, a message
/// resource above max_message_bytes or max_metadata_entries. A string argument that is not
/// UTF-8 traps, as the canonical ABI's lifting does. A trap leaves the table as it was before the
/// call, less any `own` argument the call had taken.
class GuestInstance {
 public:
  /// Who may call at once: see the class comment.
  enum class Sharing : std::uint8_t { kShared, kOneCallAtATime };

  explicit GuestInstance(std::shared_ptr<const GuestContext> context, Sharing sharing = Sharing::kShared);

  /// Handles index a table of at most this many slots (20 bits of the handle); the other 12 bits
  /// are the slot's generation, so an instance can make about 4.3 billion resources in its life.
  static constexpr std::uint32_t kMaxSlots = (1U << 20) - 1;
  /// Reuses of one slot before it is retired.
  static constexpr std::uint32_t kMaxGeneration = (1U << 12) - 1;
  /// Under Sharing::kOneCallAtATime, the blocks of up to this many dropped or moved resources are
  /// kept (emptied) for the next ones, so that a guest that takes a delivery and sends a message
  /// on allocates no resource block per message. Not resources: they count against no limit.
  static constexpr std::size_t kSpareBlocks = 8;

  /// Live resources in the table (for leak checks when an instance ends).
  [[nodiscard]] std::size_t Size() const;

  // wasi:messaging/types
  [[nodiscard]] Call<std::expected<Handle, types::Error>> ClientConnect(std::string_view name);
  [[nodiscard]] Call<std::expected<void, types::Error>> ClientDisconnect(Handle self);
  [[nodiscard]] Call<void> ClientDrop(Handle self);
  [[nodiscard]] Call<Handle> MessageNew(std::span<const std::uint8_t> data);
  [[nodiscard]] Call<std::optional<types::Topic>> MessageTopic(Handle self);
  [[nodiscard]] Call<std::optional<std::string>> MessageContentType(Handle self);
  [[nodiscard]] Call<void> MessageSetContentType(Handle self, std::string_view content_type);
  [[nodiscard]] Call<std::vector<std::uint8_t>> MessageData(Handle self);
  [[nodiscard]] Call<void> MessageSetData(Handle self, std::span<const std::uint8_t> data);
  [[nodiscard]] Call<std::optional<types::Metadata>> MessageMetadata(Handle self);
  [[nodiscard]] Call<void> MessageAddMetadata(Handle self, std::string_view key, std::string_view value);
  [[nodiscard]] Call<void> MessageSetMetadata(Handle self, std::span<const std::tuple<std::string, std::string>> meta);
  [[nodiscard]] Call<void> MessageRemoveMetadata(Handle self, std::string_view key);
  [[nodiscard]] Call<void> MessageDrop(Handle self);
  /// The message behind a `borrow<message>`, to read without copying (DataView, TopicView): a
  /// runtime lowers `data` and `topic` straight from it. It stays alive while held, even if the
  /// guest drops the handle meanwhile.
  [[nodiscard]] Call<std::shared_ptr<const types::Message>> BorrowMessage(Handle self);

  // wasi:messaging/producer
  [[nodiscard]] Call<std::expected<void, types::Error>> ProducerSend(Handle c, std::string_view topic, Handle message);

  // wasi:messaging/request-reply
  [[nodiscard]] Call<Handle> RequestOptionsNew();
  [[nodiscard]] Call<void> RequestOptionsSetTimeoutMs(Handle self, std::uint32_t timeout_ms);
  [[nodiscard]] Call<void> RequestOptionsSetExpectedReplies(Handle self, std::uint32_t expected_replies);
  [[nodiscard]] Call<void> RequestOptionsDrop(Handle self);
  [[nodiscard]] Call<std::expected<std::vector<Handle>, types::Error>> RequestReplyRequest(
      Handle c, std::string_view topic, Handle message, std::optional<Handle> options);
  [[nodiscard]] Call<std::expected<void, types::Error>> RequestReplyReply(Handle reply_to, Handle message);

  // wasi:messaging/incoming-handler (exported by the guest)
  /// Puts a delivered message in the table, for passing as `own<message>` to the guest's handle.
  /// Traps (and drops the message) when the table is at max_resources.
  [[nodiscard]] Call<Handle> AdoptMessage(types::Message&& message);

 private:
  using Resource = std::variant<types::Client, types::Message, request_reply::RequestOptions>;
  struct Slot {
    std::shared_ptr<Resource> resource{};
    std::uint32_t generation = 1;
  };

  /// The table's lock under Sharing::kShared; an empty one (no lock taken) otherwise.
  [[nodiscard]] std::unique_lock<std::mutex> Lock() const {
    if (sharing_ == Sharing::kOneCallAtATime) return {};
    return std::unique_lock(mutex_);
  }
  /// Makes an R from `args` in a block of its own (no move of it afterwards) and puts it in the table.
  template <class R, class... Args>
  [[nodiscard]] Call<Handle> Emplace(Args&&... args);
  /// A block holding an R made from `args`: a spare one when there is one, else a new one.
  template <class R, class... Args>
  [[nodiscard]] std::shared_ptr<Resource> NewBlock(Args&&... args);
  /// Empties a block taken out of the table and keeps it as a spare (kOneCallAtATime, while
  /// fewer than kSpareBlocks are kept and no borrow shares it); otherwise lets it go.
  void Recycle(std::shared_ptr<Resource>&& block) noexcept;
  [[nodiscard]] Call<std::vector<Handle>> InsertAll(std::vector<types::Message>&& messages);
  [[nodiscard]] Call<std::uint32_t> ClaimSlotLocked();  // caller holds Lock()
  Trap OverResourceLimit(std::size_t more) const;       // caller holds Lock()
  Handle PlaceLocked(std::uint32_t index, std::shared_ptr<Resource> resource);
  template <class R>
  [[nodiscard]] Call<std::shared_ptr<Resource>> Borrow(Handle handle) const;
  /// Takes the resource out of the table: the handle dies. Its last reference, or null while a
  /// borrow on another thread still shares it.
  template <class R>
  [[nodiscard]] Call<std::shared_ptr<Resource>> Remove(Handle handle);
  /// Remove, then moves the R out: an `own<R>` argument.
  template <class R>
  [[nodiscard]] Call<R> Take(Handle handle);
  /// Moves the R out of a block no borrow shares, then recycles the block.
  template <class R>
  [[nodiscard]] Call<R> MoveOut(std::shared_ptr<Resource>&& block);
  /// Remove, and the resource goes with it (or with the borrow that still holds it).
  template <class R>
  [[nodiscard]] Call<void> Drop(Handle handle);
  /// The slot of a live handle, or kNotLive (caller holds Lock()).
  [[nodiscard]] std::size_t IndexOf(Handle handle) const;
  static constexpr std::size_t kNotLive = ~std::size_t{0};
  [[nodiscard, gnu::cold]] static Trap NotLive(Handle handle);
  [[nodiscard]] Call<void> CheckMessage(std::size_t bytes, std::size_t entries) const;  // a message after a change

  std::shared_ptr<const GuestContext> context_;
  GuestLimits limits_;
  Sharing sharing_;
  mutable std::mutex mutex_;  // taken under Sharing::kShared only
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;               // reusable slots; retired ones are in neither
  std::vector<std::shared_ptr<Resource>> spare_;  // see kSpareBlocks; each holds an empty RequestOptions
  // Written under Lock(); atomic so that Size() reads it from any thread. Relaxed: a count for
  // leak checks and statistics, ordered with nothing else.
  std::atomic<std::size_t> live_{0};
};

}  // namespace wasmq::host

WASMQ_PUBLIC_END
